"""The interventions forms: set up a course, book onto it, take a session's register, a referral's next step,
note and lift suitability exclusions.

Thin views: access comes from accounts.access (through queries and the service's checks), every change goes
through safeguard.interventions.service (which uses record_event for timeline events) in one transaction, and a
refused change is shown against its field with nothing written.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from safeguard.accounts.access import role_of
from safeguard.cases.models import Case
from safeguard.interventions import lifecycle, queries, service
from safeguard.interventions.catalogue import CATALOGUE
from safeguard.interventions.forms import (
    BookForm,
    CourseForm,
    DecisionForm,
    ExclusionForm,
    GovForm,
    RegisterForm,
    StepForm,
)
from safeguard.interventions.models import Cohort, Enrolment, SuitabilityFactor
from safeguard.interventions.views import _staff_only
from safeguard.practice.models import Referral
from safeguard.timeline.validate import TimelineError
from safeguard.workforce.models import DeliveryUnit

REFUSED = (lifecycle.TransitionError, TimelineError, PermissionDenied)


def _page(request: HttpRequest, form: GovForm, *, title: str, submit: str, back: str, back_text: str,
          caption: str = "", intro: str = "", nothing: str = "", warning: bool = False) -> HttpResponse:
    context = {"form": form, "title": title, "submit": submit, "back": back, "back_text": back_text,
               "caption": caption, "intro": intro, "nothing": nothing, "warning": warning}
    return render(request, "interventions/form.html", context, status=400 if form.errors else 200)


def _require(request: HttpRequest, roles: frozenset[str], what: str) -> None:
    if role_of(request.user) not in roles:
        who = " or ".join(lifecycle.ROLE_LABELS.get(r, r) for r in sorted(roles))
        raise PermissionDenied(f"Only a {who} can {what}")


def _cohort(request: HttpRequest, pk: int) -> Cohort:
    cohort = queries.cohorts_for(queries.units_of(request.user), include_closed=True).filter(pk=pk).first()
    if cohort is None:
        raise Http404("No such course")
    return cohort


# -- courses ------------------------------------------------------------------------------------------------
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def new_course(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    _require(request, lifecycle.PLACES, "set up a course")
    unit_id = getattr(getattr(request.user, "profile", None), "unit_id", None)
    unit = DeliveryUnit.objects.filter(pk=unit_id).first() if unit_id is not None else None
    if unit is None:
        raise PermissionDenied("Your account has no delivery unit: ask an administrator to set it")
    form = CourseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cohort = service.create_cohort(data["intervention"], unit, capacity=data["capacity"],
                                           starts_on=data["starts_on"], sessions=data["sessions"],
                                           location=data["location"], user=request.user)
        except REFUSED as error:
            form.refuse(error)
        else:
            messages.success(request, f"Course set up: {cohort.name} from {cohort.starts_on:%d %B %Y}")
            return redirect("interventions-course", pk=cohort.pk)
    return _page(request, form, title="Set up a course", submit="Set up the course", caption=str(unit),
                 back=reverse("interventions-queue"), back_text="Back to the programme queue",
                 intro="A course is one intervention delivered in one place for a number of people, one session a "
                       "week from the start date.")


def _waiting_for(request: HttpRequest, cohort: Cohort) -> list[tuple[int, str]]:
    """Referrals the user can see that could take a place on this course (status allows booking)."""
    bookable = {t.from_status for t in lifecycle.TRANSITIONS if t.to_status == "scheduled"}
    found = []
    for wait in queries.waiting_list(request.user, service.today()):
        r = wait.referral
        if r.status in bookable and r.programme == cohort.programme and r.intervention in ("", cohort.intervention):
            found.append((r.pk, f"{r.case.name or r.case.ref} ({r.case.ref}): {wait.status.label.lower()}, "
                                f"referred {r.referred_on:%d %B %Y}"))
    return found


def _posted(request: HttpRequest) -> Any:
    """The form data when the form was sent (even empty: an empty answer is an answer to check)."""
    return request.POST if request.method == "POST" else None

@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def book_course(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    _require(request, lifecycle.PLACES, "book a place on a course")
    cohort = _cohort(request, pk)
    today = service.today()
    waiting = _waiting_for(request, cohort)
    form = BookForm(_posted(request), waiting=waiting, today=today)
    if request.method == "POST" and form.is_valid():
        referral = Referral.objects.filter(case__in=Case.objects.visible_to(request.user),
                                           pk=form.cleaned_data["referral"]).first()
        try:
            if referral is None:
                raise lifecycle.TransitionError("Select who to book from the list")
            service.book(referral, cohort, user=request.user, on=form.cleaned_data["on"])
        except REFUSED as error:
            form.refuse(error, "referral")
        else:
            messages.success(request, f"Booked {referral.case.name or referral.case.ref} onto the course")
            return redirect("interventions-course", pk=cohort.pk)
    taken = getattr(cohort, "taken", 0)
    return _page(request, form, title=f"Book a place on {cohort.name}", submit="Book the place",
                 caption=f"From {cohort.starts_on:%d %B %Y}, {cohort.location or cohort.unit}",
                 back=reverse("interventions-course", args=[cohort.pk]), back_text="Back to the course",
                 intro=f"{taken} of {cohort.capacity} places taken.",
                 nothing="Nobody you can see is waiting for a place on this programme.")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def register(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The register for one session: each place held on the day, with what is already recorded."""
    role = _staff_only(request)
    cohort = _cohort(request, pk)
    session = cohort.sessions.filter(number=number).first()
    if session is None:
        raise Http404("No such session")
    visible = set(Case.objects.visible_to(request.user).values_list("pk", flat=True))
    places = [p for p in Enrolment.objects.filter(cohort=cohort, enrolled_on__lte=session.on)
              .select_related("referral__case").order_by("enrolled_on", "id")
              if (p.ended_on is None or p.ended_on >= session.on) and p.referral.case_id in visible]
    if role not in lifecycle.PLACES | lifecycle.PRACTICE:
        raise PermissionDenied("Only practitioners, senior probation officers and heads of unit take registers")
    recorded = {a.enrolment_id: a.outcome for a in session.attendance.all()}
    labels = [(p.pk, f"{p.referral.case.name or p.referral.case.ref} ({p.referral.case.ref})") for p in places]
    form = RegisterForm(_posted(request), places=labels,
                        initial={f"place_{pk}": outcome for pk, outcome in recorded.items()})
    if request.method == "POST" and form.is_valid():
        by_pk = {p.pk: p for p in places}
        done = 0
        try:
            with transaction.atomic():  # the whole register or nothing
                for place_pk, outcome in form.outcomes().items():
                    if recorded.get(place_pk) == outcome:
                        continue
                    try:
                        service.record_attendance(session, by_pk[place_pk].referral, outcome, user=request.user)
                    except REFUSED as error:
                        form.refuse(error, f"place_{place_pk}")
                        raise
                    done += 1
        except REFUSED:
            pass
        else:
            messages.success(request, f"Register saved for session {session.number}: {done} "
                                      f"{'change' if done == 1 else 'changes'}")
            return redirect("interventions-course", pk=cohort.pk)
    when = "has not happened yet" if session.on > service.today() else f"was on {session.on:%d %B %Y}"
    return _page(request, form, title=f"Register for session {session.number}", submit="Save the register",
                 caption=f"{cohort.name} from {cohort.starts_on:%d %B %Y}",
                 back=reverse("interventions-course", args=[cohort.pk]), back_text="Back to the course",
                 intro=f"Session {session.number} {when}. An unacceptable absence is a missed appointment: it goes "
                       "on the case record, and two in 12 months need an enforcement decision (rule 21).",
                 nothing="Nobody whose case you can see held a place on this course on the day.")


# -- a referral's next step ------------------------------------------------------------------------------------
def _referral(request: HttpRequest, pk: int) -> Referral:
    referral = queries.referral_for(request.user, pk)
    if referral is None:
        raise Http404("No such referral")
    return referral


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def step(request: HttpRequest, pk: int, to_status: str) -> HttpResponse:
    role = _staff_only(request)
    referral = _referral(request, pk)
    transition = next((t for t in lifecycle.allowed_from(referral.status) if t.to_status == to_status), None)
    if transition is None:
        raise Http404("That step is not open for this referral")
    if role not in transition.roles:
        raise PermissionDenied(str(lifecycle.TransitionNotPermitted(transition, role)))
    cohorts = None
    if to_status == "scheduled":
        cohorts = [c for c in queries.cohorts_for(queries.units_of(request.user)) if c.programme == referral.programme
                   and (not referral.intervention or c.intervention == referral.intervention)]
    interventions = ([(i.code, i.name) for i in CATALOGUE if i.programme == referral.programme]
                     if to_status == "assessed_suitable" else [])
    form = StepForm(_posted(request), transition=transition, today=service.today(), cohorts=cohorts,
                    interventions=interventions if len(interventions) > 1 else ())
    form.guard(request.user, referral.case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cohort = next((c for c in cohorts or [] if str(c.pk) == data.get("cohort")), None)
        try:
            service.change_status(referral, to_status, user=request.user, on=data["on"], reason=data.get("reason", ""),
                                  note=data["note"], cohort=cohort, intervention=data.get("intervention") or "")
        except REFUSED as error:
            form.refuse(error, "cohort" if cohorts is not None else None)
        else:
            messages.success(request, f"Recorded: {lifecycle.status(to_status).label.lower()}")
            return redirect("interventions-referral", pk=referral.pk)
    return _page(request, form, title=transition.label, submit=transition.label, intro=transition.hint,
                 caption=f"{referral.case.name or referral.case.ref}: {queries.intervention_name(referral)}",
                 back=reverse("interventions-referral", args=[referral.pk]), back_text="Back to the referral")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def rule16_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """After a practitioner's "not suitable", the SPO's decision that no start is needed (rule 16 stops)."""
    _staff_only(request)
    _require(request, frozenset({"spo"}), "record a manager decision")
    referral = _referral(request, pk)
    form = DecisionForm(_posted(request))
    form.guard(request.user, referral.case)
    if request.method == "POST" and form.is_valid():
        try:
            service.close_start_after_not_suitable(referral, user=request.user, decision=form.cleaned_data["decision"])
        except REFUSED as error:
            form.refuse(error, "decision")
        else:
            messages.success(request, "Decision recorded: rule 16 no longer asks for a start")
            return redirect("interventions-referral", pk=referral.pk)
    return _page(request, form, title="No start needed", submit="Record the decision",
                 caption=f"{referral.case.name or referral.case.ref}: {queries.intervention_name(referral)}",
                 back=reverse("interventions-referral", args=[referral.pk]), back_text="Back to the referral",
                 intro="The programme team found him not suitable. Rule 16 keeps asking for a start until a senior "
                       "probation officer records a manager decision: say what is planned instead.")


# -- suitability exclusions ------------------------------------------------------------------------------------
def _case(request: HttpRequest, ref: str) -> Case:
    case = Case.objects.visible_to(request.user).filter(ref=ref).first()
    if case is None:
        raise Http404("No such case")
    return case


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def note_exclusion(request: HttpRequest, ref: str) -> HttpResponse:
    _staff_only(request)
    _require(request, lifecycle.PRACTICE, "note a suitability exclusion")
    case = _case(request, ref)
    form = ExclusionForm(_posted(request), today=service.today())
    form.guard(request.user, case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            factor = service.note_exclusion(case, data["code"], user=request.user, on=data["on"], note=data["note"])
        except REFUSED as error:
            form.refuse(error, "code")
        else:
            messages.success(request, f"Noted: {factor.get_code_display()}")
            return redirect("interventions-case", ref=case.ref)
    return _page(request, form, title="Note a suitability exclusion", submit="Note the exclusion",
                 caption=f"{case.name or case.ref} ({case.ref})",
                 back=reverse("interventions-case", args=[case.ref]), back_text="Back to interventions",
                 intro="An exclusion rules out the interventions it applies to while it lasts; lift it when it no "
                       "longer applies.")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def lift_exclusion(request: HttpRequest, ref: str, pk: int) -> HttpResponse:
    _staff_only(request)
    _require(request, lifecycle.PRACTICE, "lift a suitability exclusion")
    case = _case(request, ref)
    factor = SuitabilityFactor.objects.filter(case=case, pk=pk, ended_on=None).first()
    if factor is None:
        raise Http404("No such exclusion in force")
    form = ExclusionForm(_posted(request), today=service.today(), initial={"code": factor.code})
    form.questions = tuple(q for q in form.questions if q.name == "on")
    del form.fields["code"], form.fields["note"]
    form.fields["on"].label = "Date lifted"
    if request.method == "POST" and form.is_valid():
        try:
            noted = factor.noted_on
            if form.cleaned_data["on"] is not None and form.cleaned_data["on"] < noted:
                raise lifecycle.TransitionError(f"Date lifted must be on or after {noted.day} {noted:%B %Y}, when it "
                                                "was noted")
            service.end_exclusion(factor, user=request.user, on=form.cleaned_data["on"])
        except REFUSED as error:
            form.refuse(error, "on")
        else:
            messages.success(request, f"Lifted: {factor.get_code_display()}")
            return redirect("interventions-case", ref=case.ref)
    return _page(request, form, title=f"Lift: {factor.get_code_display()}", submit="Lift the exclusion",
                 caption=f"{case.name or case.ref} ({case.ref})",
                 back=reverse("interventions-case", args=[case.ref]), back_text="Back to interventions",
                 intro=f"Noted on {factor.noted_on:%d %B %Y}. Lifting it makes the interventions it ruled out "
                       "possible again.")


__all__ = ["book_course", "lift_exclusion", "new_course", "note_exclusion", "register", "rule16_decision", "step"]
