from django.urls import include, path

urlpatterns = [
    path("", include("safeguard.ops.urls")),  # /healthz, /readyz, /metrics
    path("api/", include("safeguard.api.urls")),
    path("", include("safeguard.accounts.urls")),  # /account/ (two-factor, password) and /users/ (administrators)
    path("agencies/", include("safeguard.agencies.urls")),
    path("victims/", include("safeguard.victims.urls")),
    path("cases/<str:ref>/assessments/", include("safeguard.assessments.urls")),
    path("", include("safeguard.interventions.urls")),  # /interventions/ and /workforce/
    path("", include("safeguard.insights_web.urls")),  # /insights/ and /audit-sample/
    path("cases/<str:ref>/new-information/", include("safeguard.signals_web.urls")),
    path("", include("safeguard.web.urls")),
]
