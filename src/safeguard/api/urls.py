from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from safeguard.api import assessments, measure_views, pages, partner, problems, victim_views, views

v1 = [
    path("cases/", views.CaseList.as_view(), name="api-cases"),
    path("cases/<str:ref>/", views.CaseDetail.as_view(), name="api-case"),
    path("cases/<str:ref>/people/", views.PeopleList.as_view(), name="api-case-people"),
    path("cases/<str:ref>/events/", views.EventList.as_view(), name="api-case-events"),
    path("cases/<str:ref>/events/<int:seq>/", views.EventDetail.as_view(), name="api-case-event"),
    path("cases/<str:ref>/events/<int:seq>/void/", views.EventVoid.as_view(), name="api-case-event-void"),
    path("cases/<str:ref>/obligations/", views.CaseObligationList.as_view(), name="api-case-obligations"),
    path("cases/<str:ref>/assessments/", assessments.AssessmentList.as_view(), name="api-case-assessments"),
    path("cases/<str:ref>/assessments/<int:pk>/", assessments.AssessmentDetail.as_view(),
         name="api-case-assessment"),
    path("obligations/", views.ObligationQueue.as_view(), name="api-obligations"),
    path("obligations/<int:pk>/", views.ObligationDetail.as_view(), name="api-obligation"),
    path("checks/", views.CheckQueue.as_view(), name="api-checks"),
    path("checks/<int:pk>/", views.CheckDetail.as_view(), name="api-check"),
    path("checks/<int:pk>/return/", views.CheckReturn.as_view(), name="api-check-return"),
    path("requests/", partner.RequestQueue.as_view(), name="api-requests"),
    path("requests/<int:pk>/", partner.RequestDetail.as_view(), name="api-request"),
    path("requests/<int:pk>/answer/", partner.RequestAnswer.as_view(), name="api-request-answer"),
    path("victims/", victim_views.VictimRecordList.as_view(), name="api-victims"),
    path("victims/<int:pk>/", victim_views.VictimRecordDetail.as_view(), name="api-victim"),
    path("measures/", measure_views.MeasureList.as_view(), name="api-measures"),
    path("measures/<str:measure>/", measure_views.MeasureDetail.as_view(), name="api-measure"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("webhooks/deliveries/", pages.deliveries, name="api-deliveries"),
    re_path(r"^.*$", problems.not_found),
]
