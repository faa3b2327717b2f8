"""Pages under /interventions/ and /workforce/ (included once from safeguard.urls)."""

from django.urls import path

from safeguard.interventions import pages, views
from safeguard.workforce import views as workforce

urlpatterns = [
    path("interventions/", views.queue, name="interventions-queue"),
    path("interventions/referrals/<int:pk>/", views.referral_page, name="interventions-referral"),
    path("interventions/cases/<str:ref>/", views.case_page, name="interventions-case"),
    path("interventions/courses/<int:pk>/", views.course_page, name="interventions-course"),
    path("interventions/courses/new/", pages.new_course, name="interventions-course-new"),
    path("interventions/courses/<int:pk>/book/", pages.book_course, name="interventions-book"),
    path("interventions/courses/<int:pk>/sessions/<int:number>/", pages.register, name="interventions-register"),
    path("interventions/referrals/<int:pk>/decision/", pages.rule16_decision, name="interventions-decision"),
    path("interventions/referrals/<int:pk>/<str:to_status>/", pages.step, name="interventions-step"),
    path("interventions/cases/<str:ref>/exclusions/", pages.note_exclusion, name="interventions-exclusion"),
    path("interventions/cases/<str:ref>/exclusions/<int:pk>/lift/", pages.lift_exclusion,
         name="interventions-lift"),
    path("workforce/capacity/", workforce.capacity_page, name="workforce-capacity"),
    path("workforce/supervision/", workforce.supervision_page, name="workforce-supervision"),
    path("workforce/allocate/<str:ref>/", workforce.allocate_page, name="workforce-allocate"),
]
