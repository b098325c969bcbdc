from django.urls import path

from hayat.documents.api import view_for
from hayat.documents.kinds import KINDS

urlpatterns = [path(f"documents/{kind.slug}/<id:pk>/", view_for(kind), name=f"document-{kind.slug}")
               for kind in KINDS.values()]
