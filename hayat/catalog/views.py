"""Web pages for service types, services, tariffs with their included sessions, and the price grid.

Everyone signed in may look; Admin changes the catalogue.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hayat.catalog import forms, selectors, services
from hayat.catalog.models import Service, ServiceType, Tariff
from hayat.catalog.pricing import price_grid
from hayat.core.errors import DomainError
from hayat.core.policy import can, require_capability
from hayat.facilities.views import form_page, run_and_tell, submit

PAGE_SIZE = 25


def list_page(request, rows, template: str, rows_template: str, **context):
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(page=page, can_manage=can(request.user, "catalog.manage"))
    return render(request, rows_template if request.htmx else template, context)


# Service types and services ----------------------------------------------------------------------------------

@require_capability("catalog.view")
def service_type_list(request):
    filter_form = forms.FilterForm(request.GET)
    filters = filter_form.values()
    rows = selectors.service_types(search=filters.get("q", ""), active=filters.get("active", ""))
    return list_page(request, rows, "catalog/service_type_list.html", "catalog/_service_type_rows.html",
                     filter_form=filter_form)


@require_capability("catalog.manage")
def service_type_create(request):
    form = forms.ServiceTypeForm(request.POST or None)
    service_type = submit(request, form, lambda: services.save_service_type(by=request.user,
                                                                           data=form.service_type_data()))
    if service_type:
        messages.success(request, _("Service type %(name)s created.") % {"name": service_type.name})
        return redirect("catalog:service_type_list")
    return form_page(request, form, title=_("New service type"), submit_label=_("Create service type"),
                     crumbs=[(_("Service types"), reverse("catalog:service_type_list"))],
                     cancel=reverse("catalog:service_type_list"))


@require_capability("catalog.manage")
def service_type_edit(request, pk):
    service_type = get_object_or_404(ServiceType, pk=pk)
    form = forms.ServiceTypeForm(request.POST or None, initial={
        "name": service_type.name, "description": service_type.description, "is_active": service_type.is_active})
    if submit(request, form, lambda: services.save_service_type(by=request.user, service_type=service_type,
                                                                data=form.service_type_data())):
        messages.success(request, _("Changes saved."))
        return redirect("catalog:service_type_list")
    return form_page(request, form, title=service_type.name, submit_label=_("Save changes"),
                     crumbs=[(_("Service types"), reverse("catalog:service_type_list"))],
                     cancel=reverse("catalog:service_type_list"))


@require_capability("catalog.view")
def service_list(request):
    filter_form = forms.ServiceFilter(request.GET)
    filters = filter_form.values()
    service_type = filters.get("service_type")
    rows = selectors.services(search=filters.get("q", ""), active=filters.get("active", ""),
                              service_type=service_type.pk if service_type else "")
    return list_page(request, rows, "catalog/service_list.html", "catalog/_service_rows.html",
                     filter_form=filter_form)


@require_capability("catalog.manage")
def service_create(request):
    form = forms.ServiceForm(request.POST or None, initial={"service_type": request.GET.get("service_type")})
    service = submit(request, form, lambda: services.save_service(by=request.user, data=form.service_data()))
    if service:
        messages.success(request, _("Service %(name)s created.") % {"name": service.name})
        return redirect("catalog:service_list")
    return form_page(request, form, title=_("New service"), submit_label=_("Create service"),
                     crumbs=[(_("Services"), reverse("catalog:service_list"))], cancel=reverse("catalog:service_list"))


@require_capability("catalog.manage")
def service_edit(request, pk):
    service = get_object_or_404(Service, pk=pk)
    form = forms.ServiceForm.for_service(service, request.POST or None)
    if submit(request, form, lambda: services.save_service(by=request.user, service=service,
                                                           data=form.service_data())):
        messages.success(request, _("Changes saved."))
        return redirect("catalog:service_list")
    history = service.history.select_related("history_user").order_by("-history_date")[:10]
    return form_page(request, form, title=service.name, submit_label=_("Save changes"),
                     crumbs=[(_("Services"), reverse("catalog:service_list"))], cancel=reverse("catalog:service_list"),
                     history=history)


# Tariffs -----------------------------------------------------------------------------------------------------

@require_capability("catalog.view")
def tariff_list(request):
    filter_form = forms.FilterForm(request.GET)
    filters = filter_form.values()
    rows = selectors.tariffs(search=filters.get("q", ""), active=filters.get("active", ""))
    return list_page(request, rows, "catalog/tariff_list.html", "catalog/_tariff_rows.html", filter_form=filter_form)


@require_capability("catalog.manage")
def tariff_create(request):
    form = forms.TariffForm(request.POST or None)
    tariff = submit(request, form, lambda: services.save_tariff(by=request.user, data=form.tariff_data()))
    if tariff:
        messages.success(request, _("Tariff %(name)s created. Now add its services.") % {"name": tariff.name})
        return redirect(tariff)
    return form_page(request, form, title=_("New tariff"), submit_label=_("Create tariff"),
                     crumbs=[(_("Tariffs"), reverse("catalog:tariff_list"))], cancel=reverse("catalog:tariff_list"))


@require_capability("catalog.view")
def tariff_detail(request, pk):
    try:
        tariff = selectors.tariff(pk)
    except Tariff.DoesNotExist as missing:
        raise Http404 from missing
    prices = {price.room_type_id: price.price for price in tariff.prices.all()}
    _tariffs, room_types = selectors.grid_axes()
    return render(request, "catalog/tariff_detail.html", {
        "tariff": tariff, "room_prices": [(room_type, prices.get(room_type.pk)) for room_type in room_types],
        "include_form": forms.IncludeServiceForm(), "can_manage": can(request.user, "catalog.manage"),
        "history": tariff.history.select_related("history_user").order_by("-history_date")[:10],
    })


@require_capability("catalog.manage")
def tariff_edit(request, pk):
    tariff = get_object_or_404(Tariff, pk=pk)
    form = forms.TariffForm.for_tariff(tariff, request.POST or None)
    if submit(request, form, lambda: services.save_tariff(by=request.user, tariff=tariff, data=form.tariff_data())):
        messages.success(request, _("Changes saved."))
        return redirect(tariff)
    return form_page(request, form, title=_("Edit %(name)s") % {"name": tariff.name}, submit_label=_("Save changes"),
                     crumbs=[(_("Tariffs"), reverse("catalog:tariff_list")), (tariff.name, tariff.get_absolute_url())],
                     cancel=tariff.get_absolute_url())


@require_POST
@require_capability("catalog.manage")
def tariff_include(request, pk):
    """Adds a service to the tariff, or sets its sessions when it is already included."""
    tariff = get_object_or_404(Tariff, pk=pk)
    form = forms.IncludeServiceForm(request.POST)
    if form.is_valid():
        run_and_tell(request, lambda: services.include_service(by=request.user, tariff=tariff,
                                                               service=form.cleaned_data["service"],
                                                               sessions=form.cleaned_data["sessions"]),
                     _("%(service)s: %(sessions)s sessions included.")
                     % {"service": form.cleaned_data["service"].name, "sessions": form.cleaned_data["sessions"]})
    else:
        messages.error(request, _("Choose a service and a number of sessions from 1 to 500."))
    return redirect(tariff)


@require_POST
@require_capability("catalog.manage")
def tariff_sessions(request, pk, service_pk):
    tariff = get_object_or_404(Tariff, pk=pk)
    service = get_object_or_404(Service, pk=service_pk)
    form = forms.SessionsForm(request.POST)
    if form.is_valid():
        run_and_tell(request, lambda: services.include_service(by=request.user, tariff=tariff, service=service,
                                                               sessions=form.cleaned_data["sessions"]),
                     _("Sessions changed."))
    else:
        messages.error(request, _("Sessions must be a number from 1 to 500."))
    return redirect(tariff)


@require_POST
@require_capability("catalog.manage")
def tariff_exclude(request, pk, service_pk):
    tariff = get_object_or_404(Tariff, pk=pk)
    service = get_object_or_404(Service, pk=service_pk)
    run_and_tell(request, lambda: services.exclude_service(by=request.user, tariff=tariff, service=service),
                 _("%(service)s removed from the tariff.") % {"service": service.name})
    return redirect(tariff)


@require_capability("catalog.view", POST="catalog.manage")
def price_grid_page(request):
    """The tariff × room-type prices as one form; Admin saves the whole grid at once."""
    editable = can(request.user, "catalog.manage")
    tariffs, room_types = selectors.grid_axes()
    data = request.POST if request.method == "POST" else None
    form = forms.PriceGridForm(data, tariffs=tariffs, room_types=room_types, prices=price_grid(tariffs))
    if data is not None and form.is_valid():
        try:
            services.set_price_grid(by=request.user, prices=form.prices())
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Prices saved."))
            return redirect("catalog:price_grid")
    return render(request, "catalog/price_grid.html", {"form": form, "room_types": room_types, "editable": editable})
