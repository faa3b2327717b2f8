"""New information on the case page (issue 12): risk signals found in a case's recent notes, information received
and partner agencies' replies become suggestions ("Record that he has a new partner?"). "Yes, record it" opens
the matching event form pre-filled, and saving it records the event through record_event (so its obligations
follow); "Dismiss" records who dismissed it and why. Nothing changes a case until a person confirms.

    models.py    SignalDecision: a suggestion confirmed or dismissed, by whom, when and why
    service.py   the suggestions still open on a case, and recording a decision (audited)
    views.py     confirming (the pre-filled event form) and dismissing
    templatetags the panel on the case page
"""
