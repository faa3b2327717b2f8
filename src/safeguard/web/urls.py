from django.contrib.auth import views as auth_views
from django.urls import path

from safeguard.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", auth_views.LoginView.as_view(template_name="web/sign_in.html"), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("caseload/", views.caseload, name="caseload"),
    path("cases/<str:ref>/", views.case_page, name="case"),
]
