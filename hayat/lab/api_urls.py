from rest_framework.routers import DefaultRouter

from hayat.lab import api

router = DefaultRouter()
router.include_root_view = False
router.register("lab-results", api.LabResultViewSet, basename="lab-result")
router.register("lab-groups", api.LabGroupViewSet, basename="lab-group")
router.register("lab-files", api.LabFileViewSet, basename="lab-file")
router.register("lab-test-types", api.LabTestTypeViewSet, basename="lab-test-type")

urlpatterns = router.urls
