"""Structured domestic-abuse risk assessments (issue 5): the record, its checks, workflow, tier and documents.

    content.py    our own labels and help text (no licensed SARA, DASH or OASys wording)
    record.py     what the case record holds that an assessment must deal with (pure)
    checks.py     sufficiency and contradiction checks (pure; sufficiency reuses policy rule 8)
    tier.py       the national tiering rules for the inputs Safeguard holds (pure)
    diff.py       readable differences between versions (pure)
    models.py     assessments, their immutable versions, and risk-plan actions
    service.py    the actions: draft, submit (records `assessed`), countersign, return, plan actions
    documents.py  PDFs (WeasyPrint) for an audience, with redaction
"""
