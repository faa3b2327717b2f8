from django.urls import path

from safeguard.web.views import access_log, auth, case, caseload, record, restriction, team, void

urlpatterns = [
    path("", auth.home, name="home"),
    path("sign-in/", auth.SignInView.as_view(), name="login"),
    path("sign-out/", auth.SignOutView.as_view(), name="logout"),
    path("caseload/", caseload.caseload, name="caseload"),
    path("caseload/search/", caseload.caseload_search, name="caseload-search"),
    path("team/", team.team_page, name="team"),
    path("cases/<str:ref>/", case.case_page, name="case"),
    path("cases/<str:ref>/record/", record.record_menu, name="record-menu"),
    path("cases/<str:ref>/restriction/", restriction.restriction_page, name="case-restriction"),
    path("cases/<str:ref>/access-log/", access_log.access_log_page, name="case-access-log"),
    path("cases/<str:ref>/record/<slug:event_type>/", record.record, name="record"),
    path("cases/<str:ref>/events/<int:seq>/void/", void.void_page, name="case-event-void"),
]
