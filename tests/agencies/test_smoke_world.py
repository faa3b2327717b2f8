from __future__ import annotations

from partner_world import World


def test_world_builds(world: World) -> None:
    assert world.police_request.status == "sent"
    assert world.draft.status == "drafted"
    assert world.consideration.person.ref == "N1"
