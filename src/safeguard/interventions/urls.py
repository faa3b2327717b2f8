"""Pages under /interventions/ and /workforce/ (included once from safeguard.urls)."""

from django.urls import path

from safeguard.interventions import views
from safeguard.workforce import views as workforce

urlpatterns = [
    path("interventions/", views.queue, name="interventions-queue"),
    path("interventions/referrals/<int:pk>/", views.referral_page, name="interventions-referral"),
    path("interventions/cases/<str:ref>/", views.case_page, name="interventions-case"),
    path("interventions/courses/<int:pk>/", views.course_page, name="interventions-course"),
    path("workforce/capacity/", workforce.capacity_page, name="workforce-capacity"),
    path("workforce/allocate/<str:ref>/", workforce.allocate_page, name="workforce-allocate"),
]
