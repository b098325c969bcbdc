from django.urls import include, path
from rest_framework.routers import DefaultRouter

from hayat.facilities import api

router = DefaultRouter()
router.include_root_view = False
router.register("departments", api.DepartmentViewSet, basename="department")
router.register("wards", api.WardViewSet, basename="ward")
router.register("buildings", api.BuildingViewSet, basename="building")
router.register("amenities", api.AmenityViewSet, basename="amenity")
router.register("room-types", api.RoomTypeViewSet, basename="room-type")
router.register("rooms", api.RoomViewSet, basename="room")
router.register("beds", api.BedViewSet, basename="bed")
router.register("maintenance", api.MaintenanceViewSet, basename="maintenance")

urlpatterns = [
    path("availability/", api.AvailabilityView.as_view(), name="availability"),
    path("availability/free-rooms/", api.FreeRoomsView.as_view(), name="availability-free-rooms"),
    path("availability/free-beds/", api.FreeBedsView.as_view(), name="availability-free-beds"),
    path("", include(router.urls)),
]
