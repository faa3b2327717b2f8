"""The suggestions still open on a case, and recording a person's decision on one.

A suggestion is the signals of one kind (safeguard.signals.detect) in the text of one recent event: a case note,
information received, or a partner agency's reply to a check (its summary). It stays open until someone confirms
it (records the event it suggests) or dismisses it (saying why). Events recorded by confirming a suggestion are
not read again, so confirming never raises the same suggestion twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguard.audit.log import write_audit
from safeguard.cases.models import Case, CaseEvent
from safeguard.signals import Signal, detect
from safeguard.signals.detector import sentence_span
from safeguard.signals.suggestions import suggestion_for
from safeguard.signals_web.models import SignalDecision
from safeguard.victims.redaction import never_disclose_values, scrub
from safeguard.web import labels

RECENT_DAYS = 120  # how far back the panel reads
EXCERPT_LIMIT = 600  # characters of the text shown around the matched words
# The event types whose text is read, the field holding it, and the `information_received` source it counts as.
SOURCES: dict[str, str] = {"note": "text", "information_received": "text", "check_returned": "summary"}
AGENCY_SOURCE = {"police": "police", "childrens_services": "childrens_services"}


@dataclass
class Suggestion:
    event: CaseEvent
    kind: str
    text: str
    signals: list[Signal]  # every match of this kind in the text, in order
    details: dict[str, Any]  # suggestion_for(): question, hint, evidence, event, asks_for, follow_up

    @property
    def key(self) -> str:
        return f"{self.event.seq}/{self.kind}"

    @property
    def question(self) -> str:
        return str(self.details["question"])

    @property
    def event_type(self) -> str:
        return str(self.details["event"]["type"])

    @property
    def source_words(self) -> str:
        payload = self.event.payload
        day = f"{self.event.on.day} {self.event.on:%B %Y}"
        if self.event.type == "check_returned":
            return f"{labels.value_label(payload.get('agency', ''))} reply to a check, {day}"
        if self.event.type == "information_received":
            return f"Information from {labels.value_label(payload.get('source', 'other')).lower()}, {day}"
        return f"Case note, {day}"

    def excerpt(self) -> list[tuple[str, bool]]:
        """The sentences holding the matched words, as (text, matched) pieces for highlighting."""
        first, last = self.signals[0], self.signals[-1]
        start = sentence_span(self.text, first.start, first.end)[0]
        end = sentence_span(self.text, last.start, last.end)[1]
        if end - start > EXCERPT_LIMIT:
            start, end = sentence_span(self.text, first.start, first.end)
        pieces: list[tuple[str, bool]] = [("… ", False)] if start > 0 else []
        at = start
        for signal in self.signals:
            if signal.start < at or signal.end > end:
                continue
            if signal.start > at:
                pieces.append((self.text[at:signal.start], False))
            pieces.append((self.text[signal.start:signal.end], True))
            at = signal.end
        pieces.append((self.text[at:end], False))
        if end < len(self.text.rstrip()):
            pieces.append((" …", False))
        return [(text, matched) for text, matched in pieces if text]

    @property
    def asks_for(self) -> list[str]:
        return [labels.field_label(self.event_type, name) for name in self.details["asks_for"]]

    @property
    def follow_up(self) -> list[str]:
        return list(self.details["follow_up"])


def _source_of(event: CaseEvent) -> str | None:
    if event.type == "information_received":
        return str(event.payload.get("source") or "other")
    if event.type == "check_returned":
        return AGENCY_SOURCE.get(str(event.payload.get("agency")))
    return None


def suggestions_in(event: CaseEvent, *, hidden: list[str] | None = None) -> list[Suggestion]:
    """Every suggestion the text of one event raises, one per kind of signal, in the order found. `hidden`: the
    case's never-disclose values, when the caller has read them for many events."""
    field = SOURCES.get(event.type)
    text = event.payload.get(field) if field else None
    if not isinstance(text, str) or not text.strip():
        return []
    # Excerpts and prefilled answers come from this text: a never-disclose address typed into it is
    # withheld first (no one who works on suggestions may see one: safeguard.victims.redaction).
    text = scrub(text, case=event.case, user=None, channel="page", values=hidden)
    by_kind: dict[str, list[Signal]] = {}
    for signal in detect(text):
        by_kind.setdefault(signal.kind, []).append(signal)
    source = _source_of(event)
    return [Suggestion(event, kind, text, found, suggestion_for(found[0], text, source=source))
            for kind, found in by_kind.items()]


def _recent(case: Case, as_of: date | None = None) -> Any:
    since = (as_of or timezone.localdate()) - timedelta(days=RECENT_DAYS)
    confirming = SignalDecision.objects.filter(case=case, recorded_event__isnull=False).values("recorded_event")
    return (case.events.filter(type__in=SOURCES, on__gte=since).exclude(pk__in=confirming)
            .order_by("-on", "-seq"))


def open_suggestions(case: Case, *, as_of: date | None = None,
                     read_hidden: Callable[[], list[str]] | None = None) -> list[Suggestion]:
    """The suggestions on a case nobody has confirmed or dismissed, newest first. `read_hidden`: how to read the
    case's never-disclose values, when there are texts to scrub (a page shares one read between its tags)."""
    decided = set(SignalDecision.objects.filter(case=case).values_list("source_event_id", "kind"))
    events = list(_recent(case, as_of))
    hidden = (read_hidden or (lambda: never_disclose_values(case)))() if events else []
    return [s for event in events for s in suggestions_in(event, hidden=hidden) if (event.pk, s.kind) not in decided]


def find_open(case: Case, seq: int, kind: str) -> Suggestion | None:
    event = case.events.filter(seq=seq, type__in=SOURCES).first()
    if event is None or SignalDecision.objects.filter(source_event=event, kind=kind).exists():
        return None
    if SignalDecision.objects.filter(recorded_event=event).exists():
        return None
    return next((s for s in suggestions_in(event) if s.kind == kind), None)


def recently_confirmed(case: Case, *, days: int = 14) -> list[SignalDecision]:
    since = timezone.now() - timedelta(days=days)
    return list(SignalDecision.objects.filter(case=case, decision="confirmed", decided_at__gte=since)
                .select_related("recorded_event", "source_event"))


def _audit(decision: SignalDecision, user: Any) -> None:
    detail: dict[str, Any] = {"kind": decision.kind, "seq": decision.source_event.seq, "outcome": decision.decision}
    if decision.reason:
        detail["code"] = decision.reason
    if decision.recorded_event is not None:
        detail["event"] = decision.recorded_event.seq
    write_audit(f"signal.{decision.decision}", user=user, case_ref=decision.case.ref, object_type="signal_decision",
                object_id=str(decision.pk), detail=detail)


@transaction.atomic
def confirm(suggestion: Suggestion, recorded: CaseEvent, *, user: Any) -> SignalDecision:
    """Record that a person confirmed a suggestion by saving the event it suggested (called in the transaction
    that saved the event)."""
    first = suggestion.signals[0]
    decision = SignalDecision.objects.create(
        case=suggestion.event.case, source_event=suggestion.event, kind=suggestion.kind, start=first.start,
        end=first.end, decision="confirmed", recorded_event=recorded, decided_by=user)
    _audit(decision, user)
    return decision


@transaction.atomic
def dismiss(suggestion: Suggestion, *, user: Any, reason: str, reason_text: str = "") -> SignalDecision:
    """Record that a person dismissed a suggestion, and why. The case itself does not change."""
    first = suggestion.signals[0]
    decision = SignalDecision.objects.create(
        case=suggestion.event.case, source_event=suggestion.event, kind=suggestion.kind, start=first.start,
        end=first.end, decision="dismissed", reason=reason, reason_text=reason_text.strip(), decided_by=user)
    _audit(decision, user)
    return decision
