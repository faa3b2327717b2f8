"""Pages for the inspection measures (issue 8): dashboards with server-drawn SVG charts and their data tables,
monthly trends against the latest national inspection figure, the cases behind any number, exports (CSV, XLSX,
PDF) and the case-audit tool for quality assurance.

    choosing.py   which scope and period a page shows (the choices come from accounts.access.insight_scopes)
    charts.py     matplotlib charts as inline, accessible SVG, each with its data table
    exports.py    CSV (formula-safe), XLSX and PDF of any dashboard
    casesample.py the case audit: a seeded random sample, inspectors' questions, agreement with Safeguard
    views.py      thin page views; counts come from safeguard.insights, cases from Case.objects.visible_to
"""
