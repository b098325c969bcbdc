from django.urls import path

from hayat.clinical import mapping_views, phase_views, views

app_name = "clinical"

urlpatterns = [
    path("", views.episode_list, name="episode_list"),
    path("new/", views.episode_create, name="episode_create"),
    path("<int:pk>/", views.episode_detail, name="episode_detail"),
    path("<int:pk>/edit/", views.episode_edit, name="episode_edit"),
    path("<int:pk>/vitals/", views.vitals_add, name="vitals_add"),
    path("<int:pk>/diagnoses/", views.diagnosis_add, name="diagnosis_add"),
    path("<int:pk>/diagnoses/<int:diagnosis_pk>/", views.diagnosis_amend, name="diagnosis_amend"),
    path("<int:pk>/ready-for-coding/", phase_views.send_to_coding, name="send_to_coding"),
    path("<int:pk>/return/", phase_views.return_to_doctor, name="return_to_doctor"),
    path("<int:pk>/code/", phase_views.complete_coding, name="complete_coding"),
    path("<int:pk>/bed/", phase_views.assign_bed, name="assign_bed"),
    path("<int:pk>/transfer/", phase_views.transfer, name="transfer"),
    path("<int:pk>/discharge/", phase_views.discharge, name="discharge"),
    path("<int:pk>/cancel/", phase_views.cancel, name="cancel"),
    path("<int:pk>/timed-uses/", views.timed_use_start, name="timed_use_start"),
    path("timed-uses/<int:pk>/stop/", views.timed_use_stop, name="timed_use_stop"),
    path("timed-uses/<int:pk>/undo/", views.timed_use_undo, name="timed_use_undo"),
    path("icd/search/", views.icd_search, name="icd_search"),
    path("icd/mappings/", mapping_views.mapping_list, name="mapping_list"),
    path("icd/mappings/new/", mapping_views.mapping_create, name="mapping_create"),
    path("icd/mappings/<int:pk>/", mapping_views.mapping_edit, name="mapping_edit"),
    path("icd/mappings/<int:pk>/delete/", mapping_views.mapping_delete, name="mapping_delete"),
]
