from django.urls import path

from safeguard.agencies import views

app_name = "agencies"

urlpatterns = [
    path("", views.index, name="index"),
    path("queue/", views.queue, name="queue"),
    path("queue/<int:pk>/", views.queue_item, name="queue-item"),
    path("breach/", views.breach, name="breach"),
    path("cases/<str:ref>/", views.case_hub, name="case"),
    path("cases/<str:ref>/requests/new/", views.request_new, name="request-new"),
    path("cases/<str:ref>/requests.csv", views.requests_csv, name="requests-csv"),
    path("cases/<str:ref>/marac/new/", views.marac_new, name="marac-new"),
    path("cases/<str:ref>/mappa/", views.mappa, name="mappa"),
    path("cases/<str:ref>/controls/new/", views.control_new, name="control-new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/edit/", views.request_edit, name="request-edit"),
    path("requests/<int:pk>/send/", views.request_send, name="request-send"),
    path("requests/<int:pk>/use/", views.request_use, name="request-use"),
    path("marac/<int:pk>/", views.marac_detail, name="marac"),
    path("marac/<int:pk>/pack.pdf", views.marac_pack, name="marac-pack"),
    path("marac/actions/<int:pk>/done/", views.marac_action_done, name="marac-action-done"),
    path("controls/<int:pk>/", views.control_detail, name="control"),
    path("disclosure/<int:pk>/", views.disclosure, name="disclosure"),
]
