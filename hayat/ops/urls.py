from django.urls import path

from hayat.ops import views

app_name = "ops"

urlpatterns = [
    path("activity/", views.activity, name="activity"),
    path("activity/verify/", views.audit_verify, name="audit_verify"),
    path("jobs/", views.jobs, name="jobs"),
]
