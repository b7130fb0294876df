from django.urls import path

from recovery.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("switch-organisation/", views.switch_organisation, name="switch"),
    path("account/tokens/", views.tokens, name="tokens"),
    path("account/tokens/<int:token_id>/revoke/", views.token_revoke, name="token-revoke"),
    path("people/", views.people, name="people"),
    path("people/<int:user_id>/", views.person, name="person"),
    path("manage/users/", views.users, name="users"),
    path("manage/users/new/", views.user_new, name="user-new"),
    path("manage/users/<int:user_id>/", views.user_detail, name="user"),
    path("manage/users/<int:user_id>/roles/new/", views.user_role_new, name="user-role-new"),
    path(
        "manage/users/<int:user_id>/roles/<int:assignment_id>/remove/",
        views.user_role_remove,
        name="user-role-remove",
    ),
    path("manage/users/<int:user_id>/status/", views.user_status, name="user-status"),
]
