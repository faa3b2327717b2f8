"""Inspection-grade insights: the inspectors' measures, computed by database aggregation over the stored
obligations and the case records, for any scope and period (issue 8).

    measures.py   the registry of Measure objects (definitions as data) and how each is counted
    scope.py      scope (country, region, delivery unit, team, practitioner) and period
    docs.py       docs/measures.md, generated from the registry
    dashboard.py  data for dashboards: monthly trends and the cases behind any number
    commands.py   `safeguard metrics`
"""
