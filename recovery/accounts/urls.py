from django.urls import path

from recovery.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("switch-organisation/", views.switch_organisation, name="switch"),
    path("account/tokens/", views.tokens, name="tokens"),
    path("people/", views.people, name="people"),
    path("people/<int:user_id>/", views.person, name="person"),
    path("manage/users/", views.users, name="users"),
    path("manage/users/new/", views.user_new, name="user-new"),
    path("manage/users/<int:user_id>/", views.user_detail, name="user"),
]
