from django.urls import path

from hayat.patients import views

app_name = "patients"

urlpatterns = [
    path("", views.patient_list, name="list"),
    path("new/", views.patient_create, name="create"),
    path("quick/", views.quick_register, name="quick"),
    path("picker/", views.picker_search, name="picker"),
    path("duplicates/", views.check_duplicates, name="check_duplicates"),
    path("districts/", views.districts, name="districts"),
    path("<int:pk>/", views.patient_detail, name="detail"),
    path("<int:pk>/edit/", views.patient_edit, name="edit"),
    path("<int:pk>/active/", views.patient_set_active, name="set_active"),
    path("<int:pk>/merge/", views.patient_merge, name="merge"),
    path("<int:pk>/unmerge/", views.patient_unmerge, name="unmerge"),
    path("<int:pk>/anonymise/", views.patient_anonymise, name="anonymise"),
    path("<int:pk>/delete/", views.patient_delete, name="delete"),
]
