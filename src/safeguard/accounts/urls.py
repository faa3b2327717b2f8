from django.urls import path

from safeguard.accounts import admin_views, views

app_name = "accounts"

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/password/", views.change_password, name="change-password"),
    path("account/sign-out-everywhere/", views.sign_out_everywhere, name="sign-out-everywhere"),
    path("account/two-factor/reset/", views.reset_two_factor, name="reset-two-factor"),
    path("account/two-factor/recovery-codes/", views.new_recovery_codes, name="recovery-codes"),
    path("account/two-factor/set-up/", views.setup, name="two-factor-setup"),
    path("account/two-factor/verify/", views.verify, name="two-factor-verify"),
    path("users/", admin_views.users, name="users"),
    path("users/new/", admin_views.new_user, name="user-new"),
    path("users/<int:pk>/", admin_views.user_detail, name="user"),
    path("users/<int:pk>/deactivate/", admin_views.deactivate, name="user-deactivate"),
    path("users/<int:pk>/reactivate/", admin_views.reactivate, name="user-reactivate"),
    path("users/<int:pk>/reset-two-factor/", admin_views.reset_two_factor, name="user-reset-two-factor"),
    path("users/<int:pk>/unlock/", admin_views.unlock, name="user-unlock"),
    path("users/<int:pk>/approve-role/", admin_views.approve_role, name="user-approve-role"),
    path("users/<int:pk>/refuse-role/", admin_views.refuse_role, name="user-refuse-role"),
]
