"""The one redaction helper every renderer uses: pages, exports, PDFs, API responses and emails.

Two questions, both answered from safeguard.accounts.access:

- `show(value, user=, case=, channel=)`: the text of a sealed value (EncryptedTextField) for this user on
  this channel, with the case's never-disclose values scrubbed out of it unless the user may see them there;
  a placeholder when they may not see it at all.
- `scrub(text, case=, user=, channel=)`: any text (a question, an answer, MARAC actions, a note) with every
  never-disclose value of the case's victims and children replaced by NEVER_DISCLOSE. Free text is where a
  refuge address leaks: someone types it into a summary. Values are matched as addresses, whole and by their
  parts (postcode, number and street, building name), whatever the case, spacing, punctuation or
  abbreviations: safeguard.victims.address_match.

`scrub_payload(value, case=, user=, channel=)` scrubs every string in an event's payload (or any list or dict):
the case page's timeline, the API's event payloads and the timeline export use it.

`detail_text(detail, user=, channel=)` shows one contact detail (withheld when marked never disclose and the
user or channel is not entitled). Channels: "page", "export", "pdf", "api", "email".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from safeguard.accounts.access import can_reveal_never_disclose, can_see_victims
from safeguard.victims.address_match import redact
from safeguard.victims.fields import WITHHELD, Sealed

CHANNELS = ("page", "export", "pdf", "api", "email")
NEVER_DISCLOSE = "[never disclose: withheld]"
ON_ENTRY = (f"This text contains an address that must never be disclosed; it will be stored as {NEVER_DISCLOSE}. "
            "Check the text and save again.")


def _check_channel(channel: str) -> None:
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}: one of {', '.join(CHANNELS)}")


def never_disclose_values(case: Any) -> list[str]:
    """The plain text of every never-disclose detail on the case's victims' and children's records."""
    from safeguard.victims.models import ContactDetail

    details = ContactDetail.objects.filter(record__case_id=case.pk, never_disclose=True)
    return [d.value.unseal() for d in details if d.value]


def hidden_on_entry(user: Any, case: Any) -> list[str]:
    """The never-disclose values free text typed by `user` on `case` must not hold: none for a user entitled to
    see them on screen (a victim-facing worker writing up a safety plan), else never_disclose_values(case)."""
    if can_reveal_never_disclose(user, case, "page"):
        return []
    return never_disclose_values(case)


def withheld_on_entry(texts: dict[str, Any], values: list[str]) -> dict[str, str]:
    """Of `texts` (field name -> text typed), those that hold one of `values`, each with it taken out (as
    scrub_values does): what the form warns about (ON_ENTRY) and what will be stored if saved again."""
    if not values:
        return {}
    out = {}
    for name, text in texts.items():
        if isinstance(text, str) and text and (redacted := scrub_values(text, values)) != text:
            out[name] = redacted
    return out


def page_values(context: Any, case: Any) -> list[str]:
    """never_disclose_values(case) for a page's template tags, read once per render: kept on the template's render
    context (one render; a tag in an included template has its own)."""
    cache = context.render_context.setdefault("never_disclose", {})
    if case.pk not in cache:
        cache[case.pk] = never_disclose_values(case)
    return list(cache[case.pk])


def detail_values(case: Any) -> list[tuple[Any, str]]:
    """Every contact detail on the case's victims' and children's records (removed ones too) with its plain
    text, for documents to scrub from their free text what their reader may not see. Whether a value is shown
    is decided by may_show_detail, never by the caller holding the text."""
    from safeguard.victims.models import ContactDetail

    details = ContactDetail.objects.filter(record__case_id=case.pk).select_related("record__person", "record__case")
    return [(d, d.value.unseal()) for d in details if d.value]


def scrub_values(text: str, values: Iterable[str]) -> str:
    """`text` with every never-disclose value in `values` found as an address (safeguard.victims.address_match:
    whole or by its parts, whatever the case, spacing, punctuation or abbreviations) replaced by NEVER_DISCLOSE.
    `scrub_values(text, values) != text` says whether the text holds one."""
    return redact(text, values, NEVER_DISCLOSE)


def scrub(text: Any, *, case: Any, user: Any, channel: str, values: list[str] | None = None) -> str:
    """`text` (str, or None for "") with the case's never-disclose values withheld from those not entitled
    to them on this channel. Pass `values` (never_disclose_values(case)) when scrubbing many texts."""
    _check_channel(channel)
    if isinstance(text, Sealed):
        raise TypeError("a sealed value goes through show(), which also decides whether it may be seen")
    plain = "" if text is None else str(text)
    if not plain or can_reveal_never_disclose(user, case, channel):
        return plain
    return scrub_values(plain, never_disclose_values(case) if values is None else values)


def scrub_payload(value: Any, *, case: Any, user: Any, channel: str, values: list[str] | None = None) -> Any:
    """An event's payload (or any list/dict of text) with scrub() applied to every string in it: the one way a
    case event's free text (a note, information received, an answer's summary) reaches a page, an export, a
    PDF or an API response. Returns a copy; the stored event is not changed."""
    _check_channel(channel)
    if can_reveal_never_disclose(user, case, channel):
        return value
    hidden = never_disclose_values(case) if values is None else values
    if not hidden:
        return value

    def clean(item: Any) -> Any:
        if isinstance(item, str):
            return scrub_values(item, hidden)
        if isinstance(item, list | tuple):
            return [clean(v) for v in item]
        if isinstance(item, dict):
            return {k: clean(v) for k, v in item.items()}
        return item

    return clean(value)


def show(value: Sealed | str | None, *, user: Any, case: Any, channel: str, sensitive: bool = True) -> str:
    """A sealed value's text for `user` on `channel`. `sensitive` values (victims' contact details, safety
    plans) need can_see_victims; the others (control terms, a request's addresses) need only that the
    caller has already decided the user may see the record they belong to."""
    _check_channel(channel)
    if sensitive and not can_see_victims(user, case):
        return WITHHELD
    plain = value.unseal() if isinstance(value, Sealed) else ("" if value is None else str(value))
    return scrub(plain, case=case, user=user, channel=channel)


def may_show_detail(detail: Any, *, user: Any, channel: str) -> bool:
    case = detail.record.case
    if not can_see_victims(user, case):
        return False
    return not detail.never_disclose or can_reveal_never_disclose(user, case, channel)


def detail_text(detail: Any, *, user: Any, channel: str) -> str:
    """One contact detail as this user may see it on this channel."""
    _check_channel(channel)
    if not may_show_detail(detail, user=user, channel=channel):
        return NEVER_DISCLOSE if detail.never_disclose else WITHHELD
    return show(detail.value, user=user, case=detail.record.case, channel=channel) if not detail.never_disclose \
        else detail.value.unseal()
