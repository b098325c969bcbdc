from django.urls import path
from rest_framework.routers import DefaultRouter

from hayat.stays import api, operations_api
from hayat.stays.medical import api as medical_api

router = DefaultRouter()
router.include_root_view = False
router.register("bookings", api.BookingViewSet, basename="booking")

urlpatterns = [
    path("bookings/<id:pk>/guests/<id:line_pk>/", api.GuestLineView.as_view(), name="booking-guest-line"),
    path("bookings/<id:pk>/check-in/", operations_api.CheckInView.as_view(), name="booking-check-in"),
    path("bookings/<id:pk>/check-out/", operations_api.CheckOutView.as_view(), name="booking-check-out"),
    path("bookings/<id:pk>/guests/<id:line_pk>/change/", operations_api.MidStayChangeView.as_view(),
         name="booking-guest-change"),
    path("bookings/<id:pk>/sessions/", operations_api.SessionsView.as_view(), name="booking-sessions"),
    path("bookings/<id:pk>/services/", operations_api.ExtraServiceView.as_view(), name="booking-extra-service"),
    path("bookings/<id:pk>/hold/", operations_api.HoldView.as_view(), name="booking-hold"),
    path("bookings/<id:pk>/services/<id:usage_pk>/undo/", operations_api.UsageUndoView.as_view(),
         name="booking-usage-undo"),
    path("reservations/", operations_api.ReservationListView.as_view(), name="reservation-list"),
    path("waitlist/", operations_api.WaitlistView.as_view(), name="waitlist"),
    path("waitlist/<id:pk>/cancel/", operations_api.WaitlistCancelView.as_view(), name="waitlist-cancel"),
    path("waitlist/<id:pk>/book/", operations_api.WaitlistConvertView.as_view(), name="waitlist-book"),
    path("waitlist/<id:pk>/called/", operations_api.WaitlistCalledView.as_view(), name="waitlist-called"),
    path("illness-histories/", operations_api.IllnessListView.as_view(), name="illness-history-list"),
    path("illness-histories/<id:pk>/", operations_api.IllnessDetailView.as_view(), name="illness-history-detail"),
    path("illness-histories/<id:pk>/state/", operations_api.IllnessStateView.as_view(), name="illness-history-state"),
    path("illness-histories/<id:pk>/care-team/", operations_api.CareTeamView.as_view(),
         name="illness-history-care-team"),
    path("illness-histories/<id:pk>/record/", medical_api.MedicalRecordView.as_view(), name="medical-record"),
    path("illness-histories/<id:pk>/diagnoses/", medical_api.DiagnosisView.as_view(), name="medical-record-diagnosis"),
    path("illness-histories/<id:pk>/examination/", medical_api.ExaminationView.as_view(),
         name="medical-record-examination"),
    path("illness-histories/<id:pk>/diary/", medical_api.DiaryView.as_view(), name="medical-record-diary"),
    path("illness-histories/<id:pk>/epicrisis/", medical_api.EpicrisisView.as_view(), name="medical-record-epicrisis"),
    *router.urls,
]
