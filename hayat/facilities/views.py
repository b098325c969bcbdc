"""Web pages for departments, wards, buildings, amenities, room types, rooms, beds, maintenance and availability.

Everyone signed in may look; Admin manages the set-up; Admin and reception record maintenance.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hayat.accounts.models import Department
from hayat.core import clock
from hayat.core.charging import POLICY_FIELDS
from hayat.core.errors import DomainError
from hayat.core.forms import add_domain_error
from hayat.core.params import id_from
from hayat.core.policy import can, require_capability
from hayat.facilities import availability, forms, maintenance, selectors, services
from hayat.facilities.models import Amenity, Bed, Building, Maintenance, MaintenanceStatus, Room, RoomType, Ward

PAGE_SIZE = 25


def submit(request, form, action: Callable[[], Any]) -> Any:
    """Runs `action` for a valid posted form; a refusal from the service lands on the form. None otherwise."""
    if request.method == "POST" and form.is_valid():
        try:
            return action()
        except DomainError as error:
            add_domain_error(form, error)
    return None


def list_page(request, rows, template: str, rows_template: str, **context):
    """A paginated list; an htmx request (live search, filters) gets only the rows."""
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(page=page, can_manage=can(request.user, "facilities.manage"))
    return render(request, rows_template if request.htmx else template, context)


def form_page(request, form, *, title: str, crumbs: list[tuple[str, str]], submit_label: str, cancel: str,
              **context):
    return render(request, "facilities/form.html", {"form": form, "title": title, "crumbs": crumbs,
                                                    "submit_label": submit_label, "cancel": cancel, **context})


# Departments and wards ---------------------------------------------------------------------------------------

@require_capability("facilities.view")
def department_list(request):
    filters = forms.DepartmentFilter(request.GET).values()
    rows = selectors.departments(search=filters.get("q", ""), active=filters.get("active", ""))
    return list_page(request, rows, "facilities/department_list.html", "facilities/_department_rows.html",
                     filter_form=forms.DepartmentFilter(request.GET))


@require_capability("facilities.manage")
def department_create(request):
    form = forms.DepartmentForm(request.POST or None)
    department = submit(request, form, lambda: services.create_department(by=request.user,
                                                                         data=form.department_data()))
    if department:
        messages.success(request, _("Department %(name)s created.") % {"name": department.name})
        return redirect("facilities:department_list")
    return form_page(request, form, title=_("New department"), submit_label=_("Create department"),
                     crumbs=[(_("Departments"), reverse("facilities:department_list"))],
                     cancel=reverse("facilities:department_list"))


@require_capability("facilities.manage")
def department_edit(request, pk):
    department = get_object_or_404(Department, pk=pk)
    form = forms.DepartmentForm.for_department(department, request.POST or None)
    if submit(request, form, lambda: services.update_department(by=request.user, department=department,
                                                                data=form.department_data())):
        messages.success(request, _("Changes saved."))
        return redirect("facilities:department_list")
    return form_page(request, form, title=department.name, submit_label=_("Save changes"),
                     crumbs=[(_("Departments"), reverse("facilities:department_list"))],
                     cancel=reverse("facilities:department_list"))


@require_capability("facilities.view")
def ward_list(request):
    filter_form = forms.WardFilter(request.GET)
    filters = filter_form.values()
    rows = selectors.wards(search=filters.get("q", ""), active=filters.get("active", ""),
                           department=pk_of(filters.get("department")), building=pk_of(filters.get("building")))
    return list_page(request, rows, "facilities/ward_list.html", "facilities/_ward_rows.html",
                     filter_form=filter_form)


@require_capability("facilities.manage")
def ward_create(request):
    form = forms.WardForm(request.POST or None, initial={"department": request.GET.get("department")})
    ward = submit(request, form, lambda: services.create_ward(by=request.user, data=form.ward_data()))
    if ward:
        messages.success(request, _("Ward %(name)s created.") % {"name": ward.name})
        return redirect("facilities:ward_list")
    return form_page(request, form, title=_("New ward"), submit_label=_("Create ward"),
                     crumbs=[(_("Wards"), reverse("facilities:ward_list"))], cancel=reverse("facilities:ward_list"))


@require_capability("facilities.manage")
def ward_edit(request, pk):
    ward = get_object_or_404(Ward.objects.select_related("department"), pk=pk)
    form = forms.WardForm.for_ward(ward, request.POST or None)
    if submit(request, form, lambda: services.update_ward(by=request.user, ward=ward, data=form.ward_data())):
        messages.success(request, _("Changes saved."))
        return redirect("facilities:ward_list")
    return form_page(request, form, title=str(ward), submit_label=_("Save changes"),
                     crumbs=[(_("Wards"), reverse("facilities:ward_list"))], cancel=reverse("facilities:ward_list"))


# Buildings, amenities, room types ----------------------------------------------------------------------------

@require_capability("facilities.view")
def building_list(request):
    filters = forms.FilterForm(request.GET).values()
    rows = selectors.buildings(search=filters.get("q", ""), active=filters.get("active", ""))
    return list_page(request, rows, "facilities/building_list.html", "facilities/_building_rows.html",
                     filter_form=forms.FilterForm(request.GET))


@require_capability("facilities.manage")
def building_create(request):
    form = forms.BuildingForm(request.POST or None)
    building = submit(request, form, lambda: services.create_building(by=request.user, data=form.building_data()))
    if building:
        messages.success(request, _("Building %(name)s created.") % {"name": building.name})
        return redirect("facilities:building_list")
    return form_page(request, form, title=_("New building"), submit_label=_("Create building"),
                     crumbs=[(_("Buildings"), reverse("facilities:building_list"))],
                     cancel=reverse("facilities:building_list"))


@require_capability("facilities.manage")
def building_edit(request, pk):
    building = get_object_or_404(Building, pk=pk)
    form = forms.BuildingForm(request.POST or None, initial={
        "code": building.code, "name": building.name, "address": building.address, "is_active": building.is_active})
    if submit(request, form, lambda: services.update_building(by=request.user, building=building,
                                                              data=form.building_data())):
        messages.success(request, _("Changes saved."))
        return redirect("facilities:building_list")
    return form_page(request, form, title=building.name, submit_label=_("Save changes"),
                     crumbs=[(_("Buildings"), reverse("facilities:building_list"))],
                     cancel=reverse("facilities:building_list"))


@require_capability("facilities.view")
def amenity_list(request):
    filters = forms.FilterForm(request.GET).values()
    return list_page(request, selectors.amenities(search=filters.get("q", "")), "facilities/amenity_list.html",
                     "facilities/_amenity_rows.html", filter_form=forms.FilterForm(request.GET))


@require_capability("facilities.manage")
def amenity_create(request):
    form = forms.AmenityForm(request.POST or None)
    amenity = submit(request, form, lambda: services.save_amenity(by=request.user, data=form.amenity_data()))
    if amenity:
        messages.success(request, _("Amenity %(name)s created.") % {"name": amenity.name})
        return redirect("facilities:amenity_list")
    return form_page(request, form, title=_("New amenity"), submit_label=_("Create amenity"),
                     crumbs=[(_("Amenities"), reverse("facilities:amenity_list"))],
                     cancel=reverse("facilities:amenity_list"))


@require_capability("facilities.manage")
def amenity_edit(request, pk):
    amenity = get_object_or_404(Amenity, pk=pk)
    form = forms.AmenityForm(request.POST or None, initial={"name": amenity.name, "icon": amenity.icon})
    if submit(request, form, lambda: services.save_amenity(by=request.user, amenity=amenity,
                                                           data=form.amenity_data())):
        messages.success(request, _("Changes saved."))
        return redirect("facilities:amenity_list")
    return form_page(request, form, title=amenity.name, submit_label=_("Save changes"),
                     crumbs=[(_("Amenities"), reverse("facilities:amenity_list"))],
                     cancel=reverse("facilities:amenity_list"))


@require_capability("facilities.view")
def room_type_list(request):
    filters = forms.FilterForm(request.GET).values()
    rows = selectors.room_types(search=filters.get("q", ""), active=filters.get("active", ""))
    return list_page(request, rows, "facilities/room_type_list.html", "facilities/_room_type_rows.html",
                     filter_form=forms.FilterForm(request.GET))


@require_capability("facilities.manage")
def room_type_create(request):
    form = forms.RoomTypeForm(request.POST or None)
    room_type = submit(request, form, lambda: services.create_room_type(by=request.user,
                                                                       data=form.room_type_data()))
    if room_type:
        messages.success(request, _("Room type %(name)s created.") % {"name": room_type.name})
        return redirect("facilities:room_type_list")
    return form_page(request, form, title=_("New room type"), submit_label=_("Create room type"),
                     crumbs=[(_("Room types"), reverse("facilities:room_type_list"))],
                     cancel=reverse("facilities:room_type_list"))


@require_capability("facilities.manage")
def room_type_edit(request, pk):
    room_type = get_object_or_404(RoomType, pk=pk)
    form = forms.RoomTypeForm(request.POST or None, initial={
        "name": room_type.name, "description": room_type.description, "use": room_type.use,
        "is_active": room_type.is_active,
        **{name: getattr(room_type, name) for name in POLICY_FIELDS}})
    if submit(request, form, lambda: services.update_room_type(by=request.user, room_type=room_type,
                                                               data=form.room_type_data())):
        messages.success(request, _("Changes saved."))
        return redirect("facilities:room_type_list")
    return form_page(request, form, title=room_type.name, submit_label=_("Save changes"),
                     crumbs=[(_("Room types"), reverse("facilities:room_type_list"))],
                     cancel=reverse("facilities:room_type_list"))


# Rooms and beds ----------------------------------------------------------------------------------------------

@require_capability("facilities.view")
def room_list(request):
    filter_form = forms.RoomFilter(request.GET)
    filters = filter_form.values()
    rows = selectors.rooms(search=filters.get("q", ""), active=filters.get("active", ""),
                           room_type=pk_of(filters.get("room_type")), building=pk_of(filters.get("building")),
                           floor=filters.get("floor") if filters.get("floor") is not None else "",
                           ward=pk_of(filters.get("ward")), amenity=pk_of(filters.get("amenity")))
    return list_page(request, rows, "facilities/room_list.html", "facilities/_room_rows.html",
                     filter_form=filter_form)


@require_capability("facilities.manage")
def room_create(request):
    form = forms.RoomForm(request.POST or None)
    room = submit(request, form, lambda: services.create_room(by=request.user, data=form.room_data()))
    if room:
        messages.success(request, _("Room %(name)s created with %(beds)s beds.")
                         % {"name": room.name, "beds": room.capacity})
        return redirect(room)
    return form_page(request, form, title=_("New room"), submit_label=_("Create room"),
                     crumbs=[(_("Rooms"), reverse("facilities:room_list"))], cancel=reverse("facilities:room_list"))


@require_capability("facilities.view")
def room_detail(request, pk):
    try:
        room = selectors.room_with_beds(pk)
    except Room.DoesNotExist as missing:
        raise Http404 from missing
    today = clock.today()
    strip_days = 14
    plan = availability.room_plans(today, today + timedelta(days=strip_days),
                                   rooms=Room.objects.filter(pk=room.pk)).get(room.pk)
    strip = [(today + timedelta(days=index), plan.free_places(index) if plan else 0) for index in range(strip_days)]
    return render(request, "facilities/room_detail.html", {
        "room": room, "today": availability.room_day(room, today), "strip": strip,
        "periods": selectors.maintenance_of(room)[:20],
        "history": room.history.select_related("history_user").order_by("-history_date")[:10],
        "bed_form": forms.BedForm(), "can_manage": can(request.user, "facilities.manage"),
        "can_maintain": can(request.user, "maintenance.manage"),
    })


@require_capability("facilities.manage")
def room_edit(request, pk):
    room = get_object_or_404(Room.objects.select_related("building", "room_type", "ward"), pk=pk)
    form = forms.RoomForm.for_room(room, request.POST or None)
    if submit(request, form, lambda: services.update_room(by=request.user, room=room, data=form.room_data())):
        messages.success(request, _("Changes saved."))
        return redirect(room)
    return form_page(request, form, title=_("Edit room %(name)s") % {"name": room.name},
                     submit_label=_("Save changes"),
                     crumbs=[(_("Rooms"), reverse("facilities:room_list")), (str(room), room.get_absolute_url())],
                     cancel=room.get_absolute_url())


@require_POST
@require_capability("facilities.manage")
def room_set_active(request, pk):
    room = get_object_or_404(Room, pk=pk)
    active = request.POST.get("active") == "1"
    run_and_tell(request, lambda: services.set_room_active(by=request.user, room=room, active=active),
                 _("Room back in service.") if active else _("Room taken out of service."))
    return redirect(room)


@require_POST
@require_capability("facilities.manage")
def bed_add(request, pk):
    room = get_object_or_404(Room, pk=pk)
    form = forms.BedForm(request.POST)
    if form.is_valid():
        run_and_tell(request, lambda: services.add_bed(by=request.user, room=room, number=form.cleaned_data["number"]),
                     _("Bed added; the room's capacity grew by one."))
    return redirect(room)


@require_POST
@require_capability("facilities.manage")
def bed_rename(request, pk):
    bed = get_object_or_404(Bed, pk=pk)
    form = forms.BedRenameForm(request.POST)
    if form.is_valid():
        run_and_tell(request, lambda: services.rename_bed(by=request.user, bed=bed, number=form.cleaned_data["number"]),
                     _("Bed renumbered."))
    else:
        messages.error(request, _("Give the bed a number."))
    return redirect("facilities:room_detail", pk=bed.room_id)


@require_POST
@require_capability("facilities.manage")
def bed_set_active(request, pk):
    bed = get_object_or_404(Bed, pk=pk)
    active = request.POST.get("active") == "1"
    run_and_tell(request, lambda: services.set_bed_active(by=request.user, bed=bed, active=active),
                 _("Bed back in service; capacity grew by one.") if active
                 else _("Bed taken out of service; capacity fell by one."))
    return redirect("facilities:room_detail", pk=bed.room_id)


# Maintenance -------------------------------------------------------------------------------------------------

@require_capability("facilities.view")
def maintenance_list(request):
    filter_form = forms.MaintenanceFilter(request.GET)
    filters = filter_form.values()
    status = filters.get("status", "")
    timeline = request.GET.get("view") == "timeline"
    since = filters.get("since") or (clock.today() if timeline else None)
    until = filters.get("until") or (since + timedelta(days=13) if timeline else None)
    if since and until and until < since:
        until = since
    if timeline and (until - since).days > 62:
        until = since + timedelta(days=62)
    rows = selectors.maintenance(search=filters.get("q", ""), status="" if status == "open" else status,
                                 open_only=status == "open", kind=filters.get("kind", ""),
                                 building=pk_of(filters.get("building")), since=since, until=until)
    page = Paginator(rows, 50 if timeline else PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "filter_form": filter_form, "timeline": timeline,
               "can_maintain": can(request.user, "maintenance.manage")}
    if timeline:
        days = [since + timedelta(days=index) for index in range((until - since).days + 1)]
        context.update(days=days, bars=[(period, timeline_cells(period, days)) for period in page])
    template = "facilities/_maintenance_rows.html" if request.htmx else "facilities/maintenance_list.html"
    return render(request, template, context)


def timeline_cells(period: Maintenance, days: list) -> list[bool]:
    first, after = availability.days_touched(period.start, period.end)
    return [first <= day < after for day in days]


@require_capability("maintenance.manage")
def maintenance_create(request):
    room_id = id_from(request.GET.get("room"))
    room = Room.objects.filter(pk=room_id).first() if room_id else None
    initial = {"room": room, "bed": id_from(request.GET.get("bed"))}
    form = forms.MaintenanceForm(request.POST or None, room=room, initial=initial)
    period = submit(request, form, lambda: maintenance.schedule(by=request.user, data=form.maintenance_data()))
    if period:
        messages.success(request, _("Maintenance scheduled; the place is out of availability for that time."))
        return redirect(period.room)
    crumbs = [(_("Maintenance"), reverse("facilities:maintenance_list"))]
    if room:
        crumbs = [(_("Rooms"), reverse("facilities:room_list")), (str(room), room.get_absolute_url())]
    return form_page(request, form, title=_("Schedule maintenance"), submit_label=_("Schedule"), crumbs=crumbs,
                     cancel=room.get_absolute_url() if room else reverse("facilities:maintenance_list"))


@require_capability("maintenance.manage")
def maintenance_edit(request, pk):
    period = get_object_or_404(Maintenance.objects.select_related("room__building", "bed", "performed_by"), pk=pk)
    form = forms.MaintenanceForm.for_period(period, request.POST or None)
    other_room = id_from(request.GET.get("room"))
    if other_room:
        form = forms.MaintenanceForm(None, room=Room.objects.filter(pk=other_room).first(),
                                     initial={**form.initial, "room": other_room})
    if submit(request, form, lambda: maintenance.reschedule(by=request.user, period=period,
                                                            data=form.maintenance_data())):
        messages.success(request, _("Maintenance period changed."))
        return redirect(period.room)
    return render(request, "facilities/maintenance_form.html", {
        "form": form, "period": period, "changes": period.status_changes.select_related("by"),
        "next_statuses": [(status, MaintenanceStatus(status).label)
                          for status in sorted(maintenance.LIFECYCLE.allowed_from(period.status))],
    })


@require_POST
@require_capability("maintenance.manage")
def maintenance_transition(request, pk):
    period = get_object_or_404(Maintenance, pk=pk)
    form = forms.TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the new status."))
    else:
        run_and_tell(request, lambda: maintenance.transition(by=request.user, period=period,
                                                             to=form.cleaned_data["to"],
                                                             reason=form.cleaned_data["reason"]),
                     _("Status changed to %(status)s.") % {"status": MaintenanceStatus(form.cleaned_data["to"]).label})
    return redirect("facilities:maintenance_edit", pk=period.pk)


# Availability ------------------------------------------------------------------------------------------------

@require_capability("facilities.view")
def availability_page(request):
    form = forms.RangeForm(request.GET)
    matrix = free = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            matrix = availability.availability_matrix(data["start"], data["end"])
            free = availability.free_room_places(data["start"], data["end"], room_type=data["room_type"],
                                                 guests=data["guests"])
        except DomainError as error:
            add_domain_error(form, error)
    template = "facilities/_availability.html" if request.htmx else "facilities/availability.html"
    return render(request, template, {"form": form, "matrix": matrix, "free": free})


def run_and_tell(request, action: Callable[[], Any], success: str) -> None:
    try:
        action()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)


def pk_of(value) -> int | str:
    return getattr(value, "pk", "") if value is not None else ""
