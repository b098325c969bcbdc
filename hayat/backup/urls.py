from django.urls import path

from hayat.backup import views

app_name = "backup"

urlpatterns = [
    path("", views.backup_list, name="list"),
    path("schedule/", views.backup_schedule, name="schedule"),
    path("<int:pk>/row/", views.backup_row, name="row"),
    path("<int:pk>/download/", views.backup_download, name="download"),
    path("<int:pk>/verify/", views.backup_verify, name="verify"),
    path("<int:pk>/restore/", views.backup_restore, name="restore"),
    path("restore/", views.restore_status, name="restore_status"),
]
