"""Included from safeguard/urls.py under cases/<ref>/new-information/. The event is named by its sequence number
on the case and the kind of signal by ?kind= (path parameters stay the project's usual ones)."""

from django.urls import path

from safeguard.signals_web import views

app_name = "signals_web"

urlpatterns = [
    path("<int:seq>/record/", views.confirm, name="confirm"),
    path("<int:seq>/dismiss/", views.dismiss, name="dismiss"),
]
