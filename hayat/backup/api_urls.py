from rest_framework.routers import DefaultRouter

from hayat.backup import api

router = DefaultRouter()
router.include_root_view = False
router.register("backups", api.BackupViewSet, basename="backup")

urlpatterns = router.urls
