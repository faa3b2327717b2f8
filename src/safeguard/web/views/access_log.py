"""Who looked at this case: the audit entries for one case (reads and writes), newest first, a page at a time,
filterable by person. For managers: accounts.access.can_see_case_access_log (404 for anyone who cannot see the
case, 403 for those who can but are not its managers)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from safeguard.accounts.access import can_see_case_access_log
from safeguard.audit.log import write_audit
from safeguard.audit.models import AuditEntry
from safeguard.web import queries
from safeguard.web.views.restriction import person_label

PER_PAGE = 50


@require_safe
@login_required
def access_log_page(request: HttpRequest, ref: str) -> HttpResponse:
    case = queries.visible_case(request.user, ref)
    if case is None:
        raise Http404("No such case")
    if not can_see_case_access_log(request.user, case):
        raise PermissionDenied("The case's access log is for its senior probation officer, head of unit and "
                               "quality assurance")
    entries = AuditEntry.objects.filter(case_ref=case.ref).select_related("user__staff", "user__profile")
    people_ids = set(entries.exclude(user=None).values_list("user_id", flat=True).distinct())
    people = sorted(((str(u.pk), person_label(u)) for u in
                     User.objects.filter(pk__in=people_ids).select_related("staff", "profile")), key=lambda p: p[1])
    person = request.GET.get("person", "")
    if person:
        if not person.isdigit() or int(person) not in people_ids:
            person = ""  # an unknown person: show everyone rather than an empty page that looks like no reads
        else:
            entries = entries.filter(user_id=int(person))
    page = Paginator(entries.order_by("-seq"), PER_PAGE).get_page(request.GET.get("page"))
    rows = [(e, person_label(e.user) if e.user else "System") for e in page.object_list]
    # Recorded after reading, so the log shows what was there when it was opened.
    write_audit("case.access_log_viewed", user=request.user, case_ref=case.ref, object_type="case",
                object_id=str(case.pk))
    return render(request, "web/case_access_log.html", {
        "case": case, "page": page, "people": people, "person": person, "rows": rows,
    })
