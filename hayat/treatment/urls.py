from django.urls import path

from hayat.treatment import views

app_name = "treatment"

urlpatterns = [
    path("", views.grid, name="grid"),
    path("day-sheet/", views.day_sheet, name="day_sheet"),
    path("plan/", views.plan_house, name="plan_house"),
    path("sessions/<int:pk>/move/", views.session_move, name="session_move"),
    path("sessions/<int:pk>/mark/", views.session_mark, name="session_mark"),
    path("stays/<int:pk>/", views.stay, name="stay"),
    path("stays/<int:pk>/prescribe/", views.prescribe, name="prescribe"),
    path("stays/<int:pk>/prescribe-included/", views.prescribe_included, name="prescribe_included"),
    path("stays/<int:pk>/plan/", views.plan, name="plan"),
    path("prescriptions/<int:pk>/cancel/", views.prescription_cancel, name="prescription_cancel"),
    path("setup/", views.setup, name="setup"),
    path("setup/rooms/new/", views.cabinet_create, name="cabinet_create"),
    path("setup/rooms/<int:pk>/", views.cabinet_edit, name="cabinet_edit"),
    path("setup/therapists/new/", views.therapist_create, name="therapist_create"),
    path("setup/therapists/<int:pk>/", views.therapist_edit, name="therapist_edit"),
    path("setup/rooms/<int:pk>/hours/", views.hours_add, {"kind": "cabinet"}, name="cabinet_hours_add"),
    path("setup/therapists/<int:pk>/hours/", views.hours_add, {"kind": "therapist"}, name="therapist_hours_add"),
    path("setup/hours/<int:pk>/remove/", views.hours_remove, name="hours_remove"),
    path("setup/closed-hours/", views.closed_add, name="closed_add"),
    path("setup/closed-hours/<int:pk>/remove/", views.closed_remove, name="closed_remove"),
]
