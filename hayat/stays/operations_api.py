"""REST API of the stay operations: check-in and out, illness histories, sessions and services. The same
services as the web pages."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_noop
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from hayat.accounts.models import User
from hayat.catalog.models import Service, Tariff
from hayat.core import audit
from hayat.core.api import AccessLoggedList
from hayat.core.idempotency import idempotent
from hayat.core.params import SaneDateSerializerField, SaneDateTimeSerializerField
from hayat.core.roles import Role
from hayat.facilities.models import Bed, Room, RoomType
from hayat.patients.models import Patient
from hayat.stays import changes, checkin, illness, reservations, selectors, sessions, waitlist
from hayat.stays.api import BookingListOutput, GuestLineOutput, id_param, valid
from hayat.stays.checkin import Arrival, CheckInData
from hayat.stays.models import (
    Booking,
    GuestLine,
    IllnessHistory,
    IllnessKind,
    IllnessState,
    RoomCondition,
    ServiceUsage,
    WaitlistEntry,
    WaitlistPriority,
)
from hayat.stays.waitlist import EntryData


def booking_or_404(pk: int) -> Booking:
    booking = Booking.objects.filter(pk=pk).first()
    if booking is None:
        raise Http404
    return booking


# --- check-in and out ---------------------------------------------------------------------------------------


class ArrivalInput(serializers.Serializer):
    patient = serializers.IntegerField()
    complaints = serializers.CharField(required=False, allow_blank=True, default="")
    systolic = serializers.IntegerField(required=False, allow_null=True, default=None)
    diastolic = serializers.IntegerField(required=False, allow_null=True, default=None)
    pulse = serializers.IntegerField(required=False, allow_null=True, default=None)
    temperature = serializers.DecimalField(max_digits=3, decimal_places=1, required=False, allow_null=True,
                                           default=None)
    kind = serializers.ChoiceField(choices=IllnessKind.choices, required=False, allow_null=True, default=None,
                                   help_text="This guest's illness history type; the check-in's `kind` when left out.")


class CheckInInput(serializers.Serializer):
    identity_checked = serializers.BooleanField()
    rules_explained = serializers.BooleanField()
    consent_signed = serializers.BooleanField()
    room_condition = serializers.ChoiceField(choices=RoomCondition.choices, default=RoomCondition.READY)
    room_notes = serializers.CharField(required=False, allow_blank=True, default="")
    doctor = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(role=Role.DOCTOR))
    nurses = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(role=Role.NURSE), many=True,
                                                required=False, default=list)
    kind = serializers.ChoiceField(choices=IllnessKind.choices, default=IllnessKind.STATIONARY,
                                   help_text="The illness history type of guests whose entry in `guests` gives none.")
    guests = ArrivalInput(many=True, required=False, default=list)
    signature = serializers.CharField(required=False, allow_blank=True, default="",
                                      help_text="The guest's signature under the consent: a PNG in base64 "
                                                "(a `data:image/png;base64,` URL or the bare base64).")

    def check_in_data(self) -> CheckInData:
        data = self.validated_data
        arrivals = [Arrival(guest.pop("patient"), **guest) for guest in data["guests"]]
        return CheckInData(doctor=data["doctor"], identity_checked=data["identity_checked"],
                           rules_explained=data["rules_explained"], consent_signed=data["consent_signed"],
                           room_condition=data["room_condition"], room_notes=data["room_notes"], kind=data["kind"],
                           nurses=data["nurses"], arrivals=arrivals,
                           signature=checkin.decode_signature(data["signature"]))


class IllnessHistoryListOutput(serializers.ModelSerializer):
    """A row of the list: who, which stay, which state; the clinical content only on the history itself."""

    booking_number = serializers.CharField(source="booking.number", read_only=True)
    patient_name = serializers.CharField(source="patient.full_name", read_only=True)
    doctor_name = serializers.CharField(source="doctor.full_name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    nurses = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = IllnessHistory
        fields = ["id", "number", "booking", "booking_number", "patient", "patient_name", "kind", "state",
                  "state_label", "doctor", "doctor_name", "nurses", "opened_at", "closed_at", "created_at"]


class IllnessHistoryOutput(IllnessHistoryListOutput):
    class Meta(IllnessHistoryListOutput.Meta):
        fields = [*IllnessHistoryListOutput.Meta.fields, "complaints", "systolic", "diastolic", "pulse",
                  "temperature"]


class CheckInView(GenericAPIView):
    """Checks a confirmed booking in: confirmations, doctor, arrival vitals; registers the illness histories."""

    capabilities = {"POST": "stays.check_in"}
    serializer_class = CheckInInput
    queryset = Booking.objects.none()  # names the {pk} path parameter in the schema

    @extend_schema(request=CheckInInput, responses={200: IllnessHistoryOutput(many=True)})
    def post(self, request, pk: int):
        data = CheckInInput(data=request.data)
        data.is_valid(raise_exception=True)
        booking = checkin.check_in(by=request.user, booking=booking_or_404(pk), data=data.check_in_data())
        return Response(IllnessHistoryOutput(selectors.illness_histories_of(booking), many=True).data)


class CheckOutInput(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                 help_text="Why the guests leave early; required before the planned departure.")


class CheckOutOutput(serializers.Serializer):
    booking = serializers.IntegerField()
    status = serializers.CharField()
    end_date = serializers.DateField()
    settle_url = serializers.CharField()


class CheckOutView(GenericAPIView):
    """Checks the guests out, closes their illness histories, and says where the bill is settled.

    On or after the planned departure the stay is completed; before it the guests are discharged early (a
    `note` saying why is required): the stay ends today, priced by the nights stayed, and its rooms are free."""

    capabilities = {"POST": "stays.check_out"}
    serializer_class = CheckOutInput

    @extend_schema(request=CheckOutInput, responses=CheckOutOutput)
    def post(self, request, pk: int):
        data = valid(CheckOutInput, request.data)
        booking = checkin.check_out(by=request.user, booking=booking_or_404(pk), note=data["note"])
        return Response({"booking": booking.pk, "status": booking.status, "end_date": booking.end_date,
                         "settle_url": selectors.settle_url(booking)})


# --- illness histories ------------------------------------------------------------------------------------


class IllnessListView(AccessLoggedList, GenericAPIView):
    """Illness histories, newest first; filter by booking, patient or state."""

    access_what = gettext_noop("illness history list (API)")
    capabilities = {"GET": "stays.illness_history_view"}
    serializer_class = IllnessHistoryListOutput
    queryset = IllnessHistory.objects.none()  # names the list's model in the schema

    @extend_schema(operation_id="illness_histories_list",
                   parameters=[OpenApiParameter("booking", int), OpenApiParameter("patient", int),
                               OpenApiParameter("state", str, enum=IllnessState.values)],
                   responses=IllnessHistoryListOutput(many=True))
    def get(self, request):
        params = request.query_params
        histories = (IllnessHistory.objects.select_related("booking", "patient", "doctor").prefetch_related("nurses")
                     .order_by("-created_at", "-id"))
        for name in ("booking", "patient"):
            pk = id_param(params, name)
            if pk is not None:
                histories = histories.filter(**{f"{name}_id": pk})
        if params.get("state") in IllnessState.values:
            histories = histories.filter(state=params["state"])
        page = self.paginate_queryset(histories)
        return self.get_paginated_response(IllnessHistoryListOutput(page, many=True).data)


def history_or_404(pk: int) -> IllnessHistory:
    try:
        return selectors.illness_history_for_page(pk)
    except IllnessHistory.DoesNotExist as error:
        raise Http404 from error


class IllnessDetailView(GenericAPIView):
    capabilities = {"GET": "stays.illness_history_view"}
    serializer_class = IllnessHistoryOutput

    def get(self, request, pk: int):
        history = history_or_404(pk)
        audit.log_access(by=request.user, patient_id=history.patient_id,
                         what=gettext_noop("illness history (API)"), obj=history)
        return Response(IllnessHistoryOutput(history).data)


class IllnessStateInput(serializers.Serializer):
    to = serializers.ChoiceField(choices=IllnessState.choices)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class IllnessStateView(GenericAPIView):
    """The care team opens a registered history; closing happens at check-out."""

    capabilities = {"POST": "stays.illness_history"}
    serializer_class = IllnessStateInput

    @extend_schema(request=IllnessStateInput, responses=IllnessHistoryOutput)
    def post(self, request, pk: int):
        data = valid(IllnessStateInput, request.data)
        history = illness.change_state(by=request.user, history=history_or_404(pk), **data)
        return Response(IllnessHistoryOutput(history_or_404(history.pk)).data)


class CareTeamInput(serializers.Serializer):
    doctor = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    nurses = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False, default=list)


class CareTeamView(GenericAPIView):
    capabilities = {"POST": "stays.illness_history"}
    serializer_class = CareTeamInput

    @extend_schema(request=CareTeamInput, responses=IllnessHistoryOutput)
    def post(self, request, pk: int):
        data = valid(CareTeamInput, request.data)
        history = illness.assign_care_team(by=request.user, history=history_or_404(pk), **data)
        return Response(IllnessHistoryOutput(history_or_404(history.pk)).data, status=status.HTTP_200_OK)


# --- sessions and services ----------------------------------------------------------------------------------


class SessionCountOutput(serializers.Serializer):
    patient = serializers.IntegerField(source="patient.pk")
    patient_name = serializers.CharField(source="patient.full_name")
    service = serializers.IntegerField(source="service.pk")
    service_name = serializers.CharField(source="service.name")
    included = serializers.IntegerField()
    used = serializers.IntegerField()
    remaining = serializers.IntegerField()
    exceeded = serializers.IntegerField()


class UsageOutput(serializers.ModelSerializer):
    service_name = serializers.CharField(source="service.name", read_only=True)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = ServiceUsage
        fields = ["id", "booking", "line", "patient", "service", "service_name", "kind", "quantity", "used_on",
                  "unit_price", "billable", "amount", "note", "recorded_at", "recorded_by", "reversed_at",
                  "reversed_by"]


class SessionInput(serializers.Serializer):
    patient = serializers.PrimaryKeyRelatedField(queryset=Patient.objects.all())
    service = serializers.PrimaryKeyRelatedField(queryset=Service.objects.all())
    used_on = SaneDateSerializerField(required=False, default=None)


class ExtraServiceInput(SessionInput):
    quantity = serializers.IntegerField(min_value=1, max_value=sessions.MAX_QUANTITY, default=1)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class SessionBoardOutput(serializers.Serializer):
    sessions = SessionCountOutput(many=True)
    usages = UsageOutput(many=True)


class SessionsView(GenericAPIView):
    """GET: included, used, remaining and exceeded sessions per guest, and every usage. POST: one session done
    (billable beyond the included number)."""

    capabilities = {"GET": "stays.view", "POST": "stays.record_session"}
    serializer_class = SessionInput
    queryset = Booking.objects.none()  # names the {pk} path parameter in the schema

    @extend_schema(responses=SessionBoardOutput)
    def get(self, request, pk: int):
        booking = booking_or_404(pk)
        audit.log_access_many(by=request.user, patient_ids=booking.lines.values_list("patient_id", flat=True),
                          what=gettext_noop("sessions (API)"), obj=booking)
        return Response(SessionBoardOutput({"sessions": sessions.session_board(booking),
                                            "usages": sessions.usages_of(booking)}).data)

    @extend_schema(request=SessionInput, responses={201: UsageOutput})
    @idempotent
    def post(self, request, pk: int):
        data = valid(SessionInput, request.data)
        usage = sessions.record_session(by=request.user, booking=booking_or_404(pk), patient=data["patient"],
                                        service=data["service"], on=data["used_on"])
        return Response(UsageOutput(usage).data, status=status.HTTP_201_CREATED)


class ExtraServiceView(GenericAPIView):
    """Records a service outside the tariff with its quantity and date; it is billed at the service price."""

    capabilities = {"POST": "stays.record_session"}
    serializer_class = ExtraServiceInput

    @extend_schema(request=ExtraServiceInput, responses={201: UsageOutput})
    @idempotent
    def post(self, request, pk: int):
        data = valid(ExtraServiceInput, request.data)
        usage = sessions.record_extra_service(by=request.user, booking=booking_or_404(pk), patient=data["patient"],
                                              service=data["service"], quantity=data["quantity"],
                                              on=data["used_on"], note=data["note"])
        return Response(UsageOutput(usage).data, status=status.HTTP_201_CREATED)


class UsageUndoView(GenericAPIView):
    """Undoes a session or an extra service recorded by mistake: only by the person who recorded it, within
    HAYAT_UNDO_MINUTES, before the bill is paid. The usage stays, marked undone; a billed one gets a correcting
    line on the bill. Sending it again answers the same."""

    capabilities = {"POST": "stays.record_session"}
    serializer_class = serializers.Serializer
    queryset = ServiceUsage.objects.none()

    @extend_schema(request=None, responses={200: UsageOutput})
    @idempotent
    def post(self, request, pk: int, usage_pk: int):
        usage = ServiceUsage.objects.filter(pk=usage_pk, booking_id=pk).first()
        if usage is None:
            raise Http404
        return Response(UsageOutput(sessions.undo_usage(by=request.user, usage=usage)).data)


# --- mid-stay change ------------------------------------------------------------------------------------------


class MidStayChangeInput(serializers.Serializer):
    from_date = SaneDateSerializerField()
    room = serializers.PrimaryKeyRelatedField(queryset=Room.objects.select_related("building", "room_type"),
                                              required=False, allow_null=True, default=None)
    bed = serializers.PrimaryKeyRelatedField(queryset=Bed.objects.all(), required=False, allow_null=True,
                                             default=None)
    tariff = serializers.PrimaryKeyRelatedField(queryset=Tariff.objects.all(), required=False, allow_null=True,
                                                default=None)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class MidStayChangeView(GenericAPIView):
    """From `from_date` the guest of this line has another room (and bed) and/or tariff; returns the new line.
    Without `room` the room and bed stay; without `tariff` the tariff stays."""

    capabilities = {"POST": "stays.manage"}
    serializer_class = MidStayChangeInput

    @extend_schema(request=MidStayChangeInput, responses={201: GuestLineOutput})
    def post(self, request, pk: int, line_pk: int):
        line = GuestLine.objects.filter(pk=line_pk, booking_id=pk).select_related("booking").first()
        if line is None:
            raise Http404
        data = valid(MidStayChangeInput, request.data)
        new = changes.change_mid_stay(by=request.user, line=line, **data)
        return Response(GuestLineOutput(new).data, status=status.HTTP_201_CREATED)


# --- reservations ---------------------------------------------------------------------------------------------


class ReservationOutput(BookingListOutput):
    class Meta(BookingListOutput.Meta):
        fields = [*BookingListOutput.Meta.fields, "hold_until", "deposit_recorded_at", "deposit_note"]


class ReservationListView(AccessLoggedList, GenericAPIView):
    """Reservations still holding rooms, the soonest to expire first."""

    access_what = gettext_noop("reservation list (API)")

    def patient_ids_of(self, booking: Booking) -> list[int]:
        return selectors.guest_ids(booking)
    capabilities = {"GET": "stays.view"}
    serializer_class = ReservationOutput
    queryset = Booking.objects.none()  # names the list's model in the schema

    @extend_schema(responses=ReservationOutput(many=True))
    def get(self, request):
        page = self.paginate_queryset(selectors.reservations())
        return self.get_paginated_response(ReservationOutput(page, many=True).data)


class HoldInput(serializers.Serializer):
    until = SaneDateTimeSerializerField()
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class HoldView(GenericAPIView):
    """Moves the reservation's expiry."""

    capabilities = {"POST": "stays.manage"}
    serializer_class = HoldInput

    @extend_schema(request=HoldInput, responses=ReservationOutput)
    def post(self, request, pk: int):
        data = valid(HoldInput, request.data)
        booking = reservations.extend_hold(by=request.user, booking=booking_or_404(pk), **data)
        return Response(ReservationOutput(booking).data)


# --- waitlist -------------------------------------------------------------------------------------------------


class WaitlistOutput(serializers.ModelSerializer):
    patient_name = serializers.CharField(source="patient.full_name", read_only=True)
    room_type_name = serializers.CharField(source="room_type.name", default=None, allow_null=True, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = WaitlistEntry
        fields = ["id", "patient", "patient_name", "start_date", "end_date", "room_type", "room_type_name", "guests",
                  "priority", "notes", "status", "status_label", "notified_at", "booking", "created_at"]


class WaitlistInput(serializers.Serializer):
    patient = serializers.PrimaryKeyRelatedField(queryset=Patient.objects.all())
    start_date = SaneDateSerializerField()
    end_date = SaneDateSerializerField()
    room_type = serializers.PrimaryKeyRelatedField(queryset=RoomType.objects.all(), required=False, allow_null=True,
                                                   default=None)
    guests = serializers.IntegerField(min_value=1, max_value=20, default=1)
    priority = serializers.ChoiceField(choices=WaitlistPriority.choices, default=WaitlistPriority.NORMAL)
    notes = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class WaitlistView(GenericAPIView):
    """GET: the open waitlist, by priority and waiting time. POST: puts a patient on it."""

    capabilities = {"GET": "stays.waitlist", "POST": "stays.waitlist"}
    serializer_class = WaitlistInput
    queryset = WaitlistEntry.objects.none()
    pagination_class = None  # the whole open waitlist, as a list

    @extend_schema(responses=WaitlistOutput(many=True))
    def get(self, request):
        entries = selectors.open_waitlist()
        audit.log_rows_access(by=request.user, rows=entries, what=gettext_noop("waitlist (API)"))
        return Response(WaitlistOutput(entries, many=True).data)

    @extend_schema(request=WaitlistInput, responses={201: WaitlistOutput})
    def post(self, request):
        data = valid(WaitlistInput, request.data)
        entry = waitlist.add_entry(by=request.user, data=EntryData(**data))
        return Response(WaitlistOutput(entry).data, status=status.HTTP_201_CREATED)


def entry_or_404(pk: int) -> WaitlistEntry:
    entry = WaitlistEntry.objects.filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


class WaitlistCancelView(GenericAPIView):
    capabilities = {"POST": "stays.waitlist"}
    serializer_class = CheckOutInput

    @extend_schema(request=CheckOutInput, responses=WaitlistOutput)
    def post(self, request, pk: int):
        data = valid(CheckOutInput, request.data)
        return Response(WaitlistOutput(waitlist.cancel_entry(by=request.user, entry=entry_or_404(pk),
                                                             reason=data["note"])).data)


class ConvertInput(serializers.Serializer):
    room = serializers.PrimaryKeyRelatedField(queryset=Room.objects.select_related("building", "room_type"))
    bed = serializers.PrimaryKeyRelatedField(queryset=Bed.objects.all(), required=False, allow_null=True, default=None)
    tariff = serializers.PrimaryKeyRelatedField(queryset=Tariff.objects.all())
    companions = serializers.PrimaryKeyRelatedField(
        queryset=Patient.objects.all(), many=True, required=False, default=list,
        help_text="The other guests when the entry asks for more than one place (guests - 1 patients).")


class WaitlistConvertView(GenericAPIView):
    """Books the entry's dates in the given room on the given tariff for as many guests as it asked places for:
    the waiting patient and the `companions`."""

    capabilities = {"POST": "stays.waitlist"}
    serializer_class = ConvertInput

    @extend_schema(request=ConvertInput, responses={201: BookingListOutput})
    @idempotent
    def post(self, request, pk: int):
        data = valid(ConvertInput, request.data)
        booking = waitlist.convert_to_booking(by=request.user, entry=entry_or_404(pk), **data)
        return Response(BookingListOutput(booking).data, status=status.HTTP_201_CREATED)


class WaitlistCalledView(GenericAPIView):
    """Records that the desk called a patient who has neither mobile nor email and offered the free place."""

    capabilities = {"POST": "stays.waitlist"}
    serializer_class = CheckOutInput

    @extend_schema(request=CheckOutInput, responses=WaitlistOutput)
    def post(self, request, pk: int):
        data = valid(CheckOutInput, request.data)
        return Response(WaitlistOutput(waitlist.record_call(by=request.user, entry=entry_or_404(pk),
                                                            note=data["note"])).data)
