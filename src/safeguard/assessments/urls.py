"""Included under cases/<str:ref>/assessments/ by safeguard.urls."""

from django.urls import path

from safeguard.assessments import views

urlpatterns = [
    path("", views.assessment_list, name="assessment-list"),
    path("<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("<int:pk>/edit/", views.assessment_edit, name="assessment-edit"),
    path("<int:pk>/submit/", views.assessment_submit, name="assessment-submit"),
    path("<int:pk>/countersign/", views.assessment_countersign, name="assessment-countersign"),
    path("<int:pk>/return/", views.assessment_return, name="assessment-return"),
    path("<int:pk>/versions/<int:number>/", views.assessment_version, name="assessment-version"),
    path("<int:pk>/assessment.pdf", views.assessment_pdf, name="assessment-pdf"),
    path("<int:pk>/marac-referral.pdf", views.marac_pdf, name="assessment-marac-pdf"),
    path("plan/<int:action_pk>/done/", views.plan_action_done, name="assessment-plan-done"),
]
