from django.urls import path
from rest_framework.routers import DefaultRouter

from hayat.treatment import api

router = DefaultRouter()
router.include_root_view = False
router.register("treatment-rooms", api.CabinetViewSet, basename="treatment-room")
router.register("therapists", api.TherapistViewSet, basename="therapist")
router.register("treatment-closed-hours", api.ClosedHoursViewSet, basename="treatment-closed-hours")
router.register("treatment-sessions", api.SessionViewSet, basename="treatment-session")

urlpatterns = [
    path("treatment-hours/<int:pk>/", api.HoursView.as_view(), name="treatment-hours-detail"),
    path("treatment-rules/", api.RulesView.as_view(), name="treatment-rules"),
    path("bookings/<int:pk>/prescriptions/", api.PrescriptionsView.as_view(), name="booking-prescriptions"),
    path("bookings/<int:pk>/prescriptions/included/", api.IncludedPrescriptionsView.as_view(),
         name="booking-prescriptions-included"),
    path("bookings/<int:pk>/treatment-plan/", api.PlanView.as_view(), name="booking-treatment-plan"),
    path("bookings/<int:pk>/treatment-moves/", api.TreatmentMovesView.as_view(), name="booking-treatment-moves"),
    path("treatment-plan/", api.HousePlanView.as_view(), name="treatment-house-plan"),
    path("prescriptions/<int:pk>/cancel/", api.PrescriptionCancelView.as_view(), name="prescription-cancel"),
    *router.urls,
]
