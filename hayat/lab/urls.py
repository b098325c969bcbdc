from django.urls import path

from hayat.lab import views

app_name = "lab"

urlpatterns = [
    path("", views.result_list, name="result_list"),
    path("new/", views.result_create, name="result_create"),
    path("new/links/", views.patient_links, name="patient_links"),
    path("<int:pk>/", views.result_detail, name="result_detail"),
    path("<int:pk>/edit/", views.result_edit, name="result_edit"),
    path("<int:pk>/groups/new/", views.group_add, name="group_add"),
    path("groups/<int:pk>/delete/", views.group_delete, name="group_delete"),
    path("files/<int:pk>/", views.attachment_file, name="attachment_file"),
    path("files/<int:pk>/thumbnail/", views.attachment_thumbnail, name="attachment_thumbnail"),
    path("files/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("test-types/", views.test_type_list, name="test_type_list"),
    path("test-types/new/", views.test_type_create, name="test_type_create"),
    path("test-types/<int:pk>/", views.test_type_edit, name="test_type_edit"),
]
