from rest_framework.routers import DefaultRouter

from hayat.notifications import api

router = DefaultRouter()
router.include_root_view = False
router.register("messages", api.MessageViewSet, basename="message")
router.register("message-templates", api.TemplateViewSet, basename="message-template")

urlpatterns = router.urls
