from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from safeguard.api import pages, problems, views

v1 = [
    path("cases/", views.CaseList.as_view(), name="api-cases"),
    path("cases/<str:ref>/", views.CaseDetail.as_view(), name="api-case"),
    path("cases/<str:ref>/people/", views.PeopleList.as_view(), name="api-case-people"),
    path("cases/<str:ref>/events/", views.EventList.as_view(), name="api-case-events"),
    path("cases/<str:ref>/events/<int:seq>/", views.EventDetail.as_view(), name="api-case-event"),
    path("cases/<str:ref>/obligations/", views.CaseObligationList.as_view(), name="api-case-obligations"),
    path("obligations/", views.ObligationQueue.as_view(), name="api-obligations"),
    path("obligations/<int:pk>/", views.ObligationDetail.as_view(), name="api-obligation"),
    path("checks/", views.CheckQueue.as_view(), name="api-checks"),
    path("checks/<int:pk>/", views.CheckDetail.as_view(), name="api-check"),
    path("checks/<int:pk>/return/", views.CheckReturn.as_view(), name="api-check-return"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("webhooks/deliveries/", pages.deliveries, name="api-deliveries"),
    re_path(r"^.*$", problems.not_found),
]
