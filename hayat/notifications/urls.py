from django.urls import path

from hayat.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("<int:pk>/resend/", views.resend, name="resend"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("settings/", views.settings_page, name="settings"),
    path("templates/", views.templates, name="templates"),
    path("templates/<str:kind>/<str:language>/", views.template_edit, name="template_edit"),
    path("patients/<int:patient_pk>/preference/", views.patient_preference, name="patient_preference"),
]
