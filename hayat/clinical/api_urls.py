from django.urls import path
from rest_framework.routers import DefaultRouter

from hayat.clinical import api, icd_api

router = DefaultRouter()
router.include_root_view = False
router.register("episodes", api.EpisodeViewSet, basename="episode")
router.register("icd-codes", icd_api.IcdCodeViewSet, basename="icd-code")
router.register("icd-mappings", icd_api.IcdMappingViewSet, basename="icd-mapping")

urlpatterns = [
    path("episodes/<id:pk>/diagnoses/<id:diagnosis_pk>/", api.EpisodeDiagnosisView.as_view(),
         name="episode-diagnosis"),
    path("episodes/<id:pk>/timed-uses/", api.TimedUseListView.as_view(), name="episode-timed-uses"),
    path("timed-uses/<id:pk>/stop/", api.TimedUseStopView.as_view(), name="timed-use-stop"),
    path("timed-uses/<id:pk>/undo/", api.TimedUseUndoView.as_view(), name="timed-use-undo"),
    *router.urls,
]
