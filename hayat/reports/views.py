"""The reports page, and per report: its page (filters, chart, table), CSV, Excel and print view."""

from __future__ import annotations

from collections.abc import Callable

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from hayat.core import clock
from hayat.core.policy import can, require_capability
from hayat.core.ratelimits import expensive
from hayat.reports import cells, charts, exports
from hayat.reports.filters import ReportFilterForm
from hayat.reports.kinds import ALL
from hayat.reports.registry import Report, Table


@require_capability("reports.view")
def index(request: HttpRequest) -> HttpResponse:
    groups: dict[str, list[Report]] = {}
    for report in ALL:
        if can(request.user, report.capability):
            groups.setdefault(str(report.group), []).append(report)
    return render(request, "reports/index.html", {"groups": groups})


def read(request: HttpRequest, report: Report) -> tuple[ReportFilterForm, Table | None]:
    form = ReportFilterForm(request.GET, today=clock.today(), used=report.filters)
    if not form.is_valid():
        return form, None
    return form, report.read(form.filters())


def chart_of(report: Report, table: Table):
    labels = [cells.for_reader(value, table.kind_of(0)) for value in table.column_values(report.chart.label)]
    by_key = {column.key: column for column in table.columns}
    keys = report.chart.series or [column.key for column in table.columns[1:]]
    series = [(by_key[key].label, table.column_values(key)) for key in keys]
    return charts.drawing(title=str(report.title), labels=labels, series=series, style=report.chart.style)


def page(report: Report, template: str) -> Callable:
    def view(request: HttpRequest) -> HttpResponse:
        form, table = read(request, report)
        context = {"report": report, "form": form, "query": request.GET.urlencode(), "table": table}
        if table is not None:
            context.update(shown=cells.shown(table), chart=chart_of(report, table), filters=form.filters())
        return render(request, template, context, status=200 if table is not None or not request.GET else 400)
    return view


def csv_export(report: Report) -> Callable:
    def view(request: HttpRequest) -> HttpResponse:
        form, table = read(request, report)
        if table is None:
            return refused(form)
        response = HttpResponse(exports.as_csv(table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{file_name(report, form)}.csv"'
        return response
    return view


def xlsx_export(report: Report) -> Callable:
    def view(request: HttpRequest) -> HttpResponse:
        form, table = read(request, report)
        if table is None:
            return refused(form)
        return FileResponse(exports.as_xlsx(table, title=str(report.title)), as_attachment=True,
                            filename=f"{file_name(report, form)}.xlsx",
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return view


def file_name(report: Report, form: ReportFilterForm) -> str:
    filters = form.filters()
    return f"{report.slug}-{filters.start.isoformat()}-{filters.last_day.isoformat()}"


def refused(form: ReportFilterForm) -> HttpResponse:
    errors = "; ".join(str(error) for errors in form.errors.values() for error in errors)
    return HttpResponse(_("Choose valid filters: %(errors)s") % {"errors": errors}, status=400,
                        content_type="text/plain; charset=utf-8")


def views_of(report: Report) -> dict[str, Callable]:
    """The report's four views, each behind the report's capability and the limits of expensive pages."""
    guard = require_capability(report.capability)
    made = {"": page(report, "reports/report.html"), "_print": page(report, "reports/print.html"),
            "_csv": csv_export(report), "_xlsx": xlsx_export(report)}
    return {suffix: guard(expensive(view)) for suffix, view in made.items()}
