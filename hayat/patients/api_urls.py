from rest_framework.routers import DefaultRouter

from hayat.patients import api

router = DefaultRouter()
router.include_root_view = False
router.register("patients", api.PatientViewSet, basename="patient")
router.register("regions", api.RegionViewSet, basename="region")
router.register("districts", api.DistrictViewSet, basename="district")

urlpatterns = router.urls
