"""Rate-limit counters in a cache every web process shares (the database, or Redis when REDIS_URL is set), and
conditional GETs: If-None-Match answered with 304 and the ETag."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.cache import caches as caches_in_use
from django.db import connection

from safeguard.api.conf import CACHE_TABLE, DATABASE_CACHE, caches
from safeguard.practice.models import AgencyCheck

pytestmark = pytest.mark.django_db


def test_the_cache_is_chosen_from_the_environment() -> None:
    redis = caches({"REDIS_URL": "redis://cache.internal:6379/2"})["default"]
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://cache.internal:6379/2"
    database = caches({})["default"]  # a deployment without Redis
    assert database["BACKEND"] == "django.core.cache.backends.db.DatabaseCache" and database["LOCATION"] == CACHE_TABLE
    assert caches({"SAFEGUARD_CACHE": "locmem"})["default"]["BACKEND"].endswith("LocMemCache")
    assert caches({"PYTEST_VERSION": "9"})["default"]["BACKEND"].endswith("LocMemCache")
    assert caches({"PYTEST_VERSION": "9", "SAFEGUARD_CACHE": "database"})["default"] == database
    import redis as redis_client  # the package Django's RedisCache needs is installed

    assert redis_client.__version__


def test_throttle_counters_live_in_the_shared_database_cache(world: Any, settings: Any) -> None:
    """The deployment's cache without Redis: the counters are rows of the database table the migrations made,
    which every web process reads."""
    settings.CACHES = DATABASE_CACHE
    assert type(caches_in_use["default"]).__name__ == "DatabaseCache"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": "60/hour", "user": "2/hour", "write": "2/hour"}}
    client = world.client("pp", scopes=("read",))
    assert client.get("/api/v1/cases/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {connection.ops.quote_name(CACHE_TABLE)}")  # noqa: S608
        keys = [row[0] for row in cursor.fetchall()]
    assert any("throttle_user" in key for key in keys), keys
    assert client.get("/api/v1/cases/").status_code == 200
    assert client.get("/api/v1/cases/").status_code == 429
    cache.clear()  # another process reading the same table sees the same counters; cleared, the limit resets
    assert client.get("/api/v1/cases/").status_code == 200


def test_a_current_etag_gets_304_and_a_stale_one_the_resource(world: Any) -> None:
    client = world.client("pp", scopes=("read", "write_events"))
    first = client.get("/api/v1/cases/X900001/")
    tag = first["ETag"]
    same = client.get("/api/v1/cases/X900001/", HTTP_IF_NONE_MATCH=tag)
    assert same.status_code == 304 and same["ETag"] == tag and same.content == b""
    assert client.get("/api/v1/cases/X900001/", HTTP_IF_NONE_MATCH=f'"nope", W/{tag}').status_code == 304
    events = client.get("/api/v1/cases/X900001/events/", HTTP_IF_NONE_MATCH=tag)
    assert events.status_code == 304
    note = {"on": "2021-06-20", "type": "note", "by": "P1", "text": "Seen"}
    assert client.post("/api/v1/cases/X900001/events/", note, format="json", HTTP_IF_MATCH=tag).status_code == 201
    changed = client.get("/api/v1/cases/X900001/", HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200 and changed["ETag"] != tag
    assert client.get("/api/v1/cases/X900001/events/", HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_a_partner_polls_a_check_with_if_none_match(world: Any) -> None:
    check = AgencyCheck.objects.get(case=world.case)
    police = world.client("police", scopes=("partner_agency",))
    tag = police.get(f"/api/v1/checks/{check.pk}/")["ETag"]
    assert police.get(f"/api/v1/checks/{check.pk}/", HTTP_IF_NONE_MATCH=tag).status_code == 304


def test_the_schema_documents_304_where_if_none_match_is_accepted(client: Any) -> None:
    document = client.get("/api/v1/schema/?format=json").json()
    for path in ("/api/v1/cases/{ref}/", "/api/v1/cases/{ref}/events/", "/api/v1/requests/{id}/",
                 "/api/v1/victims/{id}/", "/api/v1/measures/"):
        operation = document["paths"][path]["get"]
        assert "If-None-Match" in {p["name"] for p in operation["parameters"]}, path
        assert "304" in operation["responses"], path
    assert settings.CACHES["default"]["BACKEND"]
