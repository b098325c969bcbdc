from django.urls import path

from hayat.documents import views
from hayat.documents.kinds import KINDS

app_name = "documents"

urlpatterns = [
    path("letterhead/", views.letterhead, name="letterhead"),
    path("patients/<int:patient_pk>/language/", views.patient_language, name="patient_language"),
    *(path(f"{kind.slug}/<int:pk>/", views.document_view(kind), name=kind.slug.replace("-", "_"))
      for kind in KINDS.values()),
]
