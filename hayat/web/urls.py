from django.urls import path

from hayat.web import views

app_name = "web"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("jump/", views.jump, name="jump"),
    path("searches/save/", views.saved_search_save, name="saved_search_save"),
    path("searches/<int:pk>/delete/", views.saved_search_delete, name="saved_search_delete"),
]
