from django.urls import path

from hayat.stays import (
    calendar_views,
    change_views,
    checkin_views,
    reservation_views,
    session_views,
    views,
    waitlist_views,
    wizard_views,
)

app_name = "stays"

urlpatterns = [
    path("bookings/", views.booking_list, name="booking_list"),
    path("bookings/<int:pk>/", views.booking_detail, name="booking_detail"),
    path("bookings/<int:pk>/dates/", views.booking_dates, name="booking_dates"),
    path("bookings/<int:pk>/details/", views.booking_details, name="booking_details"),
    path("bookings/<int:pk>/status/", views.booking_status, name="booking_status"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/move/", calendar_views.booking_move, name="booking_move"),
    path("bookings/<int:pk>/guests/add/", views.guest_add, name="guest_add"),
    path("bookings/<int:pk>/guests/<int:line_pk>/", views.guest_edit, name="guest_edit"),
    path("bookings/<int:pk>/guests/<int:line_pk>/remove/", views.guest_remove, name="guest_remove"),
    path("bookings/<int:pk>/check-in/", checkin_views.check_in, name="check_in"),
    path("bookings/<int:pk>/check-out/", checkin_views.check_out, name="check_out"),
    path("bookings/<int:pk>/guests/<int:line_pk>/change/", change_views.mid_stay_change, name="mid_stay_change"),
    path("bookings/<int:pk>/sessions/done/", session_views.session_done, name="session_done"),
    path("bookings/<int:pk>/services/new/", session_views.extra_service, name="extra_service"),
    path("bookings/<int:pk>/deposit/", reservation_views.reservation_deposit, name="reservation_deposit"),
    path("bookings/<int:pk>/hold/", reservation_views.reservation_hold, name="reservation_hold"),
    path("reservations/", reservation_views.reservation_list, name="reservation_list"),
    path("waitlist/", waitlist_views.waitlist_page, name="waitlist"),
    path("waitlist/<int:pk>/cancel/", waitlist_views.waitlist_cancel, name="waitlist_cancel"),
    path("waitlist/<int:pk>/book/", waitlist_views.waitlist_convert, name="waitlist_convert"),
    path("illness-histories/<int:pk>/", checkin_views.illness_detail, name="illness_detail"),
    path("illness-histories/<int:pk>/state/", checkin_views.illness_state, name="illness_state"),
    path("illness-histories/<int:pk>/care-team/", checkin_views.illness_team, name="illness_team"),
    path("calendar/", calendar_views.calendar_page, name="calendar"),
    path("book/", wizard_views.wizard_start, name="wizard_start"),
    path("book/<uuid:token>/", wizard_views.wizard_dates, name="wizard_dates"),
    path("book/<uuid:token>/rooms/", wizard_views.wizard_rooms, name="wizard_rooms"),
    path("book/<uuid:token>/rooms/matrix/", wizard_views.wizard_matrix, name="wizard_matrix"),
    path("book/<uuid:token>/guests/", wizard_views.wizard_guests, name="wizard_guests"),
    path("book/<uuid:token>/confirm/", wizard_views.wizard_confirm, name="wizard_confirm"),
    path("book/<uuid:token>/discard/", wizard_views.wizard_discard, name="wizard_discard"),
]
