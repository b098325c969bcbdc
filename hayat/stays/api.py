"""REST API for bookings: the same selectors and services as the web pages, so every rule holds at both doors.

Refusals come back as {"detail", "code"}: 409 "no_longer_available" for a taken room or bed, 409
"patient_overlap" for a patient booked elsewhere, 409 "illegal_transition", 400 for rule and input errors.
"""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from hayat.catalog.models import Tariff
from hayat.core import audit, clock
from hayat.core.api import AccessLoggedList
from hayat.core.errors import DomainError
from hayat.core.idempotency import idempotent
from hayat.core.params import (
    EARLIEST_DATE,
    LATEST_DATE,
    SaneDateSerializerField,
    count_from,
    date_from,
    id_from,
)
from hayat.facilities.models import Bed, Room
from hayat.patients.models import Patient
from hayat.stays import lifecycle, selectors, services
from hayat.stays.calendar import MAX_DAYS, calendar
from hayat.stays.models import Booking, BookingSource, BookingStatus, GuestLine
from hayat.stays.selectors import BookingFilters
from hayat.stays.services import BookingData, GuestChoice

# --- output -------------------------------------------------------------------------------------------------


class GuestLineOutput(serializers.ModelSerializer):
    patient_code = serializers.CharField(source="patient.code", read_only=True)
    patient_name = serializers.CharField(source="patient.full_name", read_only=True)
    room_name = serializers.CharField(source="room.__str__", read_only=True)
    room_type = serializers.CharField(source="room.room_type.name", read_only=True)
    bed_number = serializers.CharField(source="bed.number", default=None, allow_null=True, read_only=True)
    tariff_name = serializers.CharField(source="tariff.name", read_only=True)
    nights = serializers.IntegerField(read_only=True)
    total = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = GuestLine
        fields = ["id", "patient", "patient_code", "patient_name", "room", "room_name", "room_type", "bed",
                  "bed_number", "tariff", "tariff_name", "start_date", "end_date", "nights", "price_per_day", "total",
                  "is_open", "holds_place", "removed_at"]


class TimelineEntryOutput(serializers.Serializer):
    """One entry of the booking's history, as the booking page shows it: a status change (from, to, why) or
    another recorded change (dates, guests, moves, room or tariff from a day, early departure)."""

    at = serializers.DateTimeField()
    actor = serializers.CharField()
    kind = serializers.CharField(help_text="\"status\" or the recorded action, e.g. \"booking.dates\".")
    title = serializers.CharField()
    detail = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()


class StatusCountOutput(serializers.Serializer):
    status = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class CalendarBarOutput(serializers.Serializer):
    booking = serializers.IntegerField(allow_null=True, help_text="Empty for a room under maintenance.")
    number = serializers.CharField(allow_null=True)
    status = serializers.CharField()
    label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    lane = serializers.IntegerField()
    guests = serializers.ListField(child=serializers.CharField())


class CalendarRoomOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    room_type = serializers.CharField()
    capacity = serializers.IntegerField()
    lanes = serializers.IntegerField()
    bars = CalendarBarOutput(many=True)


class CalendarOutput(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    room_count = serializers.IntegerField()
    rooms = CalendarRoomOutput(many=True)


class BookingListOutput(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    nights = serializers.IntegerField(read_only=True)
    total = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    guests = serializers.SerializerMethodField()

    class Meta:
        model = Booking
        fields = ["id", "number", "start_date", "end_date", "nights", "status", "status_label", "source",
                  "source_label", "referral", "guests", "total"]

    def get_guests(self, booking) -> list[dict]:
        return [{"line": line.pk, "patient": line.patient_id, "patient_code": line.patient.code,
                 "patient_name": line.patient.full_name, "room": line.room_id, "room_name": str(line.room),
                 "bed": line.bed_id} for line in booking.current_lines()]


class BookingOutput(BookingListOutput):
    lines = GuestLineOutput(many=True, read_only=True)
    history = serializers.SerializerMethodField()
    allowed_transitions = serializers.SerializerMethodField()

    class Meta(BookingListOutput.Meta):
        fields = [*BookingListOutput.Meta.fields, "notes", "cancel_reason", "refund_amount", "cancelled_at",
                  "created_at", "updated_at", "lines", "history", "allowed_transitions"]

    @extend_schema_field(TimelineEntryOutput(many=True))
    def get_history(self, booking) -> list[dict]:
        """Newest first, the same entries as the booking page's history."""
        return TimelineEntryOutput(selectors.timeline(booking), many=True).data

    def get_allowed_transitions(self, booking) -> list[str]:
        targets = lifecycle.simple_targets(booking.status)
        return [*targets, BookingStatus.CANCELLED] if lifecycle.can_cancel(booking.status) else targets


# --- input --------------------------------------------------------------------------------------------------


class GuestInput(serializers.Serializer):
    patient = serializers.PrimaryKeyRelatedField(queryset=Patient.objects.all())
    room = serializers.PrimaryKeyRelatedField(queryset=Room.objects.select_related("building", "room_type"))
    bed = serializers.PrimaryKeyRelatedField(queryset=Bed.objects.all(), required=False, allow_null=True)
    tariff = serializers.PrimaryKeyRelatedField(queryset=Tariff.objects.all())

    def choice(self) -> GuestChoice:
        return guest_choice(self.validated_data)


def guest_choice(data: dict) -> GuestChoice:
    return GuestChoice(data["patient"], data["room"], data["tariff"], data.get("bed"))


class BookingInput(serializers.Serializer):
    start_date = SaneDateSerializerField()
    end_date = SaneDateSerializerField()
    status = serializers.ChoiceField(choices=[(value, BookingStatus(value).label) for value in lifecycle.INITIAL],
                                     default=BookingStatus.CONFIRMED)
    source = serializers.ChoiceField(choices=BookingSource.choices, default=BookingSource.WALK_IN)
    referral = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    guests = GuestInput(many=True, allow_empty=False)

    def booking_data(self) -> BookingData:
        data = self.validated_data
        return BookingData(start_date=data["start_date"], end_date=data["end_date"],
                           guests=[guest_choice(guest) for guest in data["guests"]], status=data["status"],
                           source=data["source"], referral=data["referral"], notes=data["notes"])


class DatesInput(serializers.Serializer):
    start_date = SaneDateSerializerField()
    end_date = SaneDateSerializerField()
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class DetailsInput(serializers.Serializer):
    source = serializers.ChoiceField(choices=BookingSource.choices)
    referral = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class TransitionInput(serializers.Serializer):
    to = serializers.ChoiceField(choices=BookingStatus.choices)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class CancelInput(serializers.Serializer):
    reason = serializers.CharField()
    refund_amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False,
                                             default=0)


class MoveInput(serializers.Serializer):
    from_room = serializers.PrimaryKeyRelatedField(queryset=Room.objects.select_related("building"))
    to_room = serializers.PrimaryKeyRelatedField(queryset=Room.objects.select_related("building"))
    start_date = SaneDateSerializerField(help_text="The day the moved bar begins now.")
    from_date = SaneDateSerializerField(required=False, default=None,
                                        help_text="The day the moved bar began (a calendar bar's `start`); "
                                                  "the arrival when left out.")


class RemoveInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


def valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- views --------------------------------------------------------------------------------------------------

UPCOMING_MAX_DAYS = 366
UPCOMING_MAX_LIMIT = 100
LIST_PARAMETERS = [
    OpenApiParameter("search", str, description="Booking number, or a guest's name, code, phone or document."),
    OpenApiParameter("status", str, enum=BookingStatus.values),
    OpenApiParameter("source", str, enum=BookingSource.values),
    OpenApiParameter("date_from", str, description="Stays overlapping this day or later (YYYY-MM-DD)."),
    OpenApiParameter("date_to", str, description="Stays overlapping this day or earlier (YYYY-MM-DD)."),
]


class BookingViewSet(AccessLoggedList, viewsets.GenericViewSet):
    """Bookings: list and search, create, read with guests and history, change dates, guests and status."""

    access_what = gettext_noop("booking list (API)")

    def patient_ids_of(self, booking: Booking) -> list[int]:
        return selectors.guest_ids(booking)
    serializer_class = BookingOutput
    filter_backends = []
    capabilities = {
        "list": "stays.view", "retrieve": "stays.view", "calendar": "stays.view", "counts": "stays.view",
        "upcoming": "stays.view", "create": "stays.book",
        "dates": "stays.manage", "details": "stays.manage", "transition": "stays.manage", "cancel": "stays.manage",
        "move": "stays.manage", "guests": "stays.manage",
    }

    def get_queryset(self):
        return (Booking.objects.select_related("created_by")
                .prefetch_related(selectors.lines_prefetch(), "status_changes__by"))

    def booking(self) -> Booking:
        return self.get_object()

    def answer(self, booking: Booking, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=booking.pk)
        return Response(BookingOutput(fresh).data, status=code)

    @extend_schema(parameters=LIST_PARAMETERS, responses=BookingListOutput(many=True))
    def list(self, request):
        page = self.paginate_queryset(selectors.bookings(filters_from(request.query_params)))
        return self.get_paginated_response(BookingListOutput(page, many=True).data)

    @extend_schema(parameters=[parameter for parameter in LIST_PARAMETERS if parameter.name != "status"],
                   responses=StatusCountOutput(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)
    def counts(self, request):
        """Bookings per status, every status listed, over the list's filters except the status itself."""
        return Response(StatusCountOutput(selectors.status_counts(filters_from(request.query_params)),
                                          many=True).data)

    @extend_schema(parameters=[OpenApiParameter("days", int, description="How many days ahead (default 7)."),
                               OpenApiParameter("limit", int, description="At most this many (default 10).")],
                   responses=BookingListOutput(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)
    def upcoming(self, request):
        """Upcoming check-ins: bookings still expected that arrive from today on, the soonest first."""
        params = request.query_params
        days = count_from(params.get("days"), default=7, maximum=UPCOMING_MAX_DAYS)
        limit = count_from(params.get("limit"), default=10, minimum=1, maximum=UPCOMING_MAX_LIMIT)
        bookings = selectors.upcoming_check_ins(days=days, limit=limit)
        audit.log_rows_access(by=request.user, rows=bookings, what=gettext_noop("upcoming check-ins (API)"),
                              patient_ids_of=selectors.guest_ids)
        return Response(BookingListOutput(bookings, many=True).data)

    def retrieve(self, request, pk=None):
        booking = self.booking()
        audit.log_access_many(by=request.user, patient_ids=[line.patient_id for line in booking.lines.all()],
                          what=gettext_noop("booking (API)"), obj=booking)
        return Response(BookingOutput(booking).data)

    @extend_schema(request=BookingInput, responses={201: BookingOutput})
    @idempotent
    def create(self, request):
        data = BookingInput(data=request.data)
        data.is_valid(raise_exception=True)
        booking = services.create_booking(by=request.user, data=data.booking_data())
        return self.answer(booking, status.HTTP_201_CREATED)

    @extend_schema(request=DatesInput, responses=BookingOutput)
    @action(detail=True, methods=["post"])
    def dates(self, request, pk=None):
        data = valid(DatesInput, request.data)
        booking = services.change_dates(by=request.user, booking=self.booking(), start_date=data["start_date"],
                                        end_date=data["end_date"], reason=data["reason"])
        return self.answer(booking)

    @extend_schema(request=DetailsInput, responses=BookingOutput)
    @action(detail=True, methods=["post"])
    def details(self, request, pk=None):
        data = valid(DetailsInput, request.data)
        return self.answer(services.update_details(by=request.user, booking=self.booking(), **data))

    @extend_schema(request=TransitionInput, responses=BookingOutput)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Confirm, back to pending, or no-show. Cancelling has its own endpoint (reason and refund)."""
        data = valid(TransitionInput, request.data)
        return self.answer(services.change_status(by=request.user, booking=self.booking(), to=data["to"],
                                                  reason=data["reason"]))

    @extend_schema(request=CancelInput, responses=BookingOutput)
    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request, pk=None):
        data = valid(CancelInput, request.data)
        return self.answer(services.cancel_booking(by=request.user, booking=self.booking(), reason=data["reason"],
                                                   refund_amount=data["refund_amount"]))

    @extend_schema(request=MoveInput, responses=BookingOutput)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """The calendar's drag and drop of one bar: the guests of `from_room` in the bar that began on
        `from_date` go to `to_room`, and the stay moves by `start_date - from_date` days, keeping its length.
        A bar that is only part of a stay split between rooms changes room but not days."""
        data = valid(MoveInput, request.data)
        return self.answer(services.move_booking(by=request.user, booking=self.booking(), **data))

    @extend_schema(request=GuestInput, responses={201: GuestLineOutput})
    @action(detail=True, methods=["post"])
    def guests(self, request, pk=None):
        """Adds a guest for the rest of the stay."""
        data = valid(GuestInput, request.data)
        line = services.add_guest(by=request.user, booking=self.booking(), guest=guest_choice(data))
        return Response(GuestLineOutput(line).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[OpenApiParameter("start", str), OpenApiParameter("days", int),
                               OpenApiParameter("room_type", int), OpenApiParameter("page", int)],
                   responses=CalendarOutput)
    @action(detail=False, methods=["get"])
    def calendar(self, request):
        """Rooms × days: per room, one bar per booking (or maintenance), in lanes where bookings share a room;
        a page of rooms at a time (`page`, `pages`, `room_count`)."""
        params = request.query_params
        today = clock.today()
        start = date_param(params, "start") or today
        days = count_from(params.get("days"), default=14, minimum=1, maximum=MAX_DAYS)
        room_type = id_param(params, "room_type")
        grid = calendar(start=start, days=days, room_type=room_type, today=today,
                        page=id_param(params, "page") or 1)
        audit.log_rows_access(by=request.user, rows=grid.bars(), what=gettext_noop("booking calendar (API)"),
                              patient_ids_of=lambda bar: bar.patient_ids)
        return Response(CalendarOutput({
            "start": grid.start, "end": grid.end, "page": grid.rooms.number, "pages": grid.rooms.paginator.num_pages,
            "room_count": grid.rooms.paginator.count,
            "rooms": [{"id": row.room.pk, "name": str(row.room), "room_type": group.room_type.name,
                       "capacity": row.room.capacity, "lanes": row.lanes,
                       "bars": [{"booking": bar.booking.pk if bar.booking else None,
                                 "number": bar.booking.number if bar.booking else None, "status": bar.status,
                                 "label": bar.label, "start": bar.start, "end": bar.end, "lane": bar.lane,
                                 "guests": bar.guests} for bar in row.bars]}
                      for group in grid.groups for row in group.rows],
        }).data)


class GuestLineView(APIView):
    """One guest line of a booking: change it (PUT/PATCH: patient, room, bed, tariff) or remove it (DELETE)."""

    capabilities = {"*": "stays.manage"}
    serializer_class = GuestLineOutput

    def line(self, pk: int, line_pk: int) -> GuestLine:
        line = (GuestLine.objects.select_related("booking", "patient", "room", "bed", "tariff")
                .filter(pk=line_pk, booking_id=pk).first())
        if line is None:
            raise Http404
        return line

    @extend_schema(request=GuestInput, responses=GuestLineOutput)
    def put(self, request, pk: int, line_pk: int):
        line = self.line(pk, line_pk)
        data = valid(GuestInput, request.data)
        line = services.edit_guest(by=request.user, line=line, guest=guest_choice(data))
        return Response(GuestLineOutput(line).data)

    @extend_schema(request=GuestInput, responses=GuestLineOutput)
    def patch(self, request, pk: int, line_pk: int):
        line = self.line(pk, line_pk)
        # A body that is not an object is refused by the input's own check ("expected a dictionary").
        sent = request.data if isinstance(request.data, dict) else valid(GuestInput, request.data)
        merged = {"patient": line.patient_id, "room": line.room_id, "bed": line.bed_id, "tariff": line.tariff_id}
        if "room" in sent and "bed" not in sent:
            merged["bed"] = None
        merged.update({key: sent[key] for key in ("patient", "room", "bed", "tariff") if key in sent})
        data = valid(GuestInput, merged)
        line = services.edit_guest(by=request.user, line=line, guest=guest_choice(data))
        return Response(GuestLineOutput(line).data)

    @extend_schema(request=RemoveInput, responses={204: None})
    def delete(self, request, pk: int, line_pk: int):
        line = self.line(pk, line_pk)
        data = valid(RemoveInput, request.data or {})
        services.remove_guest(by=request.user, line=line, reason=data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)


def filters_from(params) -> BookingFilters:
    """The list's filters from the query string."""
    return BookingFilters(search=params.get("search", "").strip()[:100], status=params.get("status", ""),
                          source=params.get("source", ""), date_from=date_param(params, "date_from"),
                          date_to=date_param(params, "date_to"))


def date_param(params, name: str) -> date | None:
    """The query string's date `name`, None when absent; a clear refusal for anything but a sane date."""
    value = params.get(name, "")
    if not value:
        return None
    parsed = date_from(value)
    if parsed is None:
        raise DomainError(_("Give %(name)s as a date, YYYY-MM-DD, between %(earliest)s and %(latest)s.")
                          % {"name": name, "earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
                          field=name)
    return parsed


def id_param(params, name: str) -> int | None:
    """The query string's id `name`, None when absent; a clear refusal for anything but a database key."""
    value = params.get(name, "")
    if not value:
        return None
    parsed = id_from(value)
    if parsed is None:
        raise DomainError(_("Give %(name)s as the number of a record.") % {"name": name}, field=name)
    return parsed

