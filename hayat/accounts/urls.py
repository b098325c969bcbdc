from django.urls import path

from hayat.accounts import views

app_name = "accounts"

urlpatterns = [
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/lockout/", views.user_lockout, name="user_lockout"),
    path("users/<int:pk>/password/", views.user_reset_password, name="user_reset_password"),
    path("users/<int:pk>/avatar/", views.avatar, name="avatar"),
    path("users/<int:pk>/avatar/upload/", views.user_set_avatar, name="user_set_avatar"),
    path("profile/", views.profile, name="profile"),
]
