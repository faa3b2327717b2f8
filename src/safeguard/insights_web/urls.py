"""Included once from safeguard/urls.py: the dashboards under /insights/ and the case audit under /audit-sample/.

Which measure, part and scope a page shows are query parameters (?measure=police-checks&part=not_met&scope=
team-3), so path parameters stay the project's usual ones (pk, ref) that the URL-walking access tests fill in.
"""

from django.urls import path

from safeguard.insights_web import views
from safeguard.insights_web.exports import FORMATS

app_name = "insights_web"

urlpatterns = [
    path("insights/", views.dashboard, name="dashboard"),
    path("insights/measure/", views.measure_page, name="measure"),
    path("insights/cases/", views.cases_page, name="cases"),
    *(path(f"insights/{page}export.{fmt}", views.export, {"fmt": fmt, "page": name}, name=f"{name}-{fmt}")
      for fmt in FORMATS for page, name in (("", "export"), ("measure/", "measure-export"),
                                            ("cases/", "cases-export"))),
    path("audit-sample/", views.samples, name="audit-samples"),
    path("audit-sample/<int:pk>/", views.sample_page, name="audit-sample"),
    path("audit-sample/<int:pk>/cases/<str:ref>/", views.answer_case, name="audit-case"),
]
