from django.urls import path

from safeguard.victims import views

app_name = "victims"

urlpatterns = [
    path("", views.record_list, name="list"),
    path("cases/<str:ref>/", views.case_records, name="case"),
    path("cases/<str:ref>/export.csv", views.case_export, name="case-export"),
    path("<int:pk>/", views.record_detail, name="record"),
    path("<int:pk>/details/", views.add_detail, name="add-detail"),
    path("<int:pk>/workers/", views.add_worker, name="add-worker"),
    path("<int:pk>/contacts/", views.add_contact, name="add-contact"),
    path("<int:pk>/access/", views.access_log, name="access-log"),
    path("details/<int:pk>/remove/", views.remove_detail, name="remove-detail"),
]
