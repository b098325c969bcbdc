from django.urls import include, path
from rest_framework.routers import DefaultRouter

from hayat.catalog import api

router = DefaultRouter()
router.include_root_view = False
router.register("service-types", api.ServiceTypeViewSet, basename="service-type")
router.register("services", api.ServiceViewSet, basename="service")
router.register("tariffs", api.TariffViewSet, basename="tariff")
router.register("tariff-prices", api.TariffPriceViewSet, basename="tariff-price")

urlpatterns = [path("", include(router.urls))]
