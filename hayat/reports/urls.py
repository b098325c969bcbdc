from django.urls import path

from hayat.reports import views
from hayat.reports.kinds import ALL

app_name = "reports"

urlpatterns = [path("", views.index, name="index")]
for report in ALL:
    for suffix, view in views.views_of(report).items():
        urlpatterns.append(path(f"{report.slug}{suffix.replace('_', '/')}/" if suffix else f"{report.slug}/", view,
                                name=f"{report.slug}{suffix}"))
