"""Every AgencyCheck already on file gets its request record (made by a receiver for checks from now on)."""

from django.db import migrations


def backfill(apps, schema_editor):
    AgencyCheck = apps.get_model("practice", "AgencyCheck")
    AgencyRequest = apps.get_model("agencies", "AgencyRequest")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    for check in AgencyCheck.objects.filter(agency_request__isnull=True).select_related("case").iterator():
        status = "returned" if check.returned_on else ("sent" if check.requested_on else "drafted")
        sent_event = None
        if check.requested_on:
            sent_event = (CaseEvent.objects.filter(case_id=check.case_id, type="check_requested", on=check.requested_on,
                                                   payload__agency=check.agency).order_by("-seq").first())
        request = AgencyRequest.objects.create(
            case_id=check.case_id, agency=check.agency, area_id=check.case.unit_id, status=status,
            agency_check=check, sent_on=check.requested_on, returned_on=check.returned_on,
            callouts=check.callouts, summary=check.summary,
            sent_event=sent_event if sent_event is not None and not AgencyRequest.objects.filter(
                sent_event=sent_event).exists() else None)
        request.about.set(check.about.all())


class Migration(migrations.Migration):
    dependencies = [("agencies", "0001_initial")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
