"""REST API of treatment: rooms, therapists and hours (Admin), prescriptions and the plan of a stay, the timetable's
sessions with moving and marking. Thin: every write is the use case the pages call."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_noop
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from hayat.accounts.models import User
from hayat.catalog.models import Service
from hayat.core import audit
from hayat.core.api import AccessLoggedList
from hayat.core.idempotency import idempotent
from hayat.core.params import MAX_ID, SaneDateSerializerField
from hayat.patients.models import Patient
from hayat.stays.models import Booking
from hayat.treatment import marking, planning, prescriptions, resources, selectors
from hayat.treatment.models import (
    WEEKDAYS,
    Cabinet,
    ClosedHours,
    DayPart,
    Frequency,
    Hours,
    HoursKind,
    PlannedSession,
    Prescription,
    SessionStatus,
    Therapist,
    TreatmentRules,
)


def valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- resources ---------------------------------------------------------------------------------------------------


class TreatmentHoursOutput(serializers.ModelSerializer):
    class Meta:
        model = Hours
        fields = ["id", "weekday", "kind", "starts", "ends"]


class CabinetOutput(serializers.ModelSerializer):
    hours = TreatmentHoursOutput(many=True)

    class Meta:
        model = Cabinet
        fields = ["id", "name", "capacity", "buffer_minutes", "services", "is_active", "hours"]


class CabinetInput(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    capacity = serializers.IntegerField(min_value=1, max_value=100)
    buffer_minutes = serializers.IntegerField(min_value=0, max_value=120, default=0)
    services = serializers.PrimaryKeyRelatedField(queryset=Service.objects.all(), many=True)
    is_active = serializers.BooleanField(default=True)


class TherapistOutput(serializers.ModelSerializer):
    hours = TreatmentHoursOutput(many=True)
    name = serializers.CharField(source="user.full_name")

    class Meta:
        model = Therapist
        fields = ["id", "user", "name", "services", "is_active", "hours"]


class TherapistInput(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    services = serializers.PrimaryKeyRelatedField(queryset=Service.objects.all(), many=True)
    is_active = serializers.BooleanField(default=True)


class TreatmentHoursInput(serializers.Serializer):
    weekday = serializers.ChoiceField(choices=WEEKDAYS)
    kind = serializers.ChoiceField(choices=HoursKind.choices, default=HoursKind.WORK)
    starts = serializers.TimeField()
    ends = serializers.TimeField()


class ResourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Shared by rooms and therapists: list, read, create, change, and add working hours or a break."""

    capabilities = {"GET": "treatment.view", "*": "treatment.manage"}
    lookup_value_regex = r"\d+"
    kind: str
    input_class: type[serializers.Serializer]

    def save(self, request, instance=None):
        data = valid(self.input_class, request.data)
        saver = resources.save_cabinet if self.kind == "cabinet" else resources.save_therapist
        data_class = resources.CabinetData if self.kind == "cabinet" else resources.TherapistData
        saved = saver(by=request.user, data=data_class(**data), **({self.kind: instance} if instance else {}))
        return Response(self.serializer_class(saved).data,
                        status=status.HTTP_200_OK if instance else status.HTTP_201_CREATED)

    def create(self, request):
        return self.save(request)

    def update(self, request, pk=None):
        return self.save(request, self.get_object())

    @extend_schema(request=TreatmentHoursInput, responses={201: TreatmentHoursOutput})
    @action(detail=True, methods=["post"])
    def hours(self, request, pk=None):
        data = valid(TreatmentHoursInput, request.data)
        hours = resources.add_hours(by=request.user, data=resources.HoursData(**data),
                                    **{self.kind: self.get_object()})
        return Response(TreatmentHoursOutput(hours).data, status=status.HTTP_201_CREATED)


@extend_schema(request=CabinetInput, responses=CabinetOutput)
class CabinetViewSet(ResourceViewSet):
    """Treatment rooms with their places, buffer, procedures and hours."""

    kind, input_class, serializer_class = "cabinet", CabinetInput, CabinetOutput
    queryset = Cabinet.objects.prefetch_related("services", "hours").order_by("name")


@extend_schema(request=TherapistInput, responses=TherapistOutput)
class TherapistViewSet(ResourceViewSet):
    """Therapists with their procedures and hours."""

    kind, input_class, serializer_class = "therapist", TherapistInput, TherapistOutput
    queryset = Therapist.objects.select_related("user").prefetch_related("services", "hours").order_by("pk")


class HoursView(GenericAPIView):
    """Removes working hours or a break."""

    capabilities = {"DELETE": "treatment.manage"}
    queryset = Hours.objects.all()
    serializer_class = TreatmentHoursOutput

    def delete(self, request, pk: int):
        resources.remove_hours(by=request.user, hours=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ClosedHoursSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClosedHours
        fields = ["id", "name", "starts", "ends"]


class ClosedHoursViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The hospital's closed hours of every day (quiet hours, meals): list, add, remove."""

    capabilities = {"GET": "treatment.view", "*": "treatment.manage"}
    queryset = ClosedHours.objects.order_by("starts")
    serializer_class = ClosedHoursSerializer
    lookup_value_regex = r"\d+"

    def create(self, request):
        data = valid(ClosedHoursSerializer, request.data)
        closed = resources.add_closed_hours(by=request.user, **data)
        return Response(ClosedHoursSerializer(closed).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        resources.remove_closed_hours(by=request.user, closed=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class TreatmentRulesSerializer(serializers.ModelSerializer):
    class Meta:
        model = TreatmentRules
        fields = ["no_show_uses_session"]


class TreatmentRulesInput(serializers.Serializer):
    no_show_uses_session = serializers.BooleanField()


class RulesView(GenericAPIView):
    """The hospital's treatment rules: whether a missed session counts as used."""

    capabilities = {"GET": "treatment.view", "PUT": "treatment.manage"}
    serializer_class = TreatmentRulesInput

    @extend_schema(responses=TreatmentRulesSerializer)
    def get(self, request):
        return Response(TreatmentRulesSerializer(TreatmentRules.current()).data)

    @extend_schema(request=TreatmentRulesInput, responses=TreatmentRulesSerializer)
    def put(self, request):
        data = valid(TreatmentRulesInput, request.data)
        return Response(TreatmentRulesSerializer(resources.set_rules(by=request.user, **data)).data)


# --- prescriptions and the plan ------------------------------------------------------------------------------------


class PrescriptionOutput(serializers.ModelSerializer):
    class Meta:
        model = Prescription
        fields = ["id", "booking", "patient", "service", "count", "frequency", "weekdays", "day_part", "note",
                  "prescribed_by", "cancelled_at", "created_at"]


class PrescriptionInput(serializers.Serializer):
    patient = serializers.PrimaryKeyRelatedField(queryset=Patient.objects.all())
    service = serializers.PrimaryKeyRelatedField(queryset=Service.objects.all())
    count = serializers.IntegerField(min_value=1, max_value=99)
    frequency = serializers.ChoiceField(choices=Frequency.choices, default=Frequency.DAILY)
    weekdays = serializers.CharField(max_length=7, required=False, default="", allow_blank=True,
                                     help_text="For given weekdays: their digits, Monday 0 to Sunday 6, e.g. 024.")
    day_part = serializers.ChoiceField(choices=DayPart.choices, default=DayPart.ANY)
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


def booking_or_404(pk) -> Booking:
    return get_object_or_404(Booking, pk=pk)


class PrescriptionsView(GenericAPIView):
    """GET: the stay's prescriptions. POST: the doctor prescribes a procedure to a guest of the stay."""

    capabilities = {"GET": "treatment.view", "POST": "treatment.prescribe"}
    serializer_class = PrescriptionInput
    queryset = Booking.objects.none()
    pagination_class = None  # every prescription of the stay, as a list

    @extend_schema(responses=PrescriptionOutput(many=True))
    def get(self, request, pk: int):
        rows = selectors.stay_prescriptions(booking_or_404(pk))
        audit.log_rows_access(by=request.user, rows=rows, what=gettext_noop("prescriptions (API)"),
                              patient_ids_of=lambda row: [row.patient_id])
        return Response(PrescriptionOutput(rows, many=True).data)

    @extend_schema(request=PrescriptionInput, responses={201: PrescriptionOutput})
    @idempotent
    def post(self, request, pk: int):
        data = valid(PrescriptionInput, request.data)
        prescription = prescriptions.prescribe(by=request.user, booking=booking_or_404(pk),
                                               data=prescriptions.PrescriptionData(**data))
        return Response(PrescriptionOutput(prescription).data, status=status.HTTP_201_CREATED)


class IncludedPrescriptionsView(GenericAPIView):
    """Prescribes each guest's included sessions of the tariff not prescribed yet (daily, any time)."""

    capabilities = {"POST": "treatment.prescribe"}
    serializer_class = serializers.Serializer
    queryset = Booking.objects.none()

    @extend_schema(request=None, responses={201: PrescriptionOutput(many=True)})
    @idempotent
    def post(self, request, pk: int):
        created = prescriptions.prescribe_included(by=request.user, booking=booking_or_404(pk))
        return Response(PrescriptionOutput(created, many=True).data, status=status.HTTP_201_CREATED)


class PrescriptionCancelView(GenericAPIView):
    """Stops a prescription; its planned sessions are cancelled."""

    capabilities = {"POST": "treatment.prescribe"}
    serializer_class = serializers.Serializer
    queryset = Prescription.objects.all()

    @extend_schema(request=None, responses=PrescriptionOutput)
    def post(self, request, pk: int):
        return Response(PrescriptionOutput(prescriptions.cancel_prescription(
            by=request.user, prescription=self.get_object())).data)


class NotPlacedOutput(serializers.Serializer):
    prescription = serializers.IntegerField(source="prescription.pk")
    sessions = serializers.IntegerField()
    reason = serializers.CharField()


class TreatmentPlanOutput(serializers.Serializer):
    placed = serializers.IntegerField()
    not_placed = NotPlacedOutput(many=True)


class PlanView(GenericAPIView):
    """Plans every prescribed session of the stay not placed yet; answers what could not be placed and why."""

    capabilities = {"POST": "treatment.plan"}
    serializer_class = serializers.Serializer
    queryset = Booking.objects.none()

    @extend_schema(request=None, responses=TreatmentPlanOutput)
    def post(self, request, pk: int):
        report = planning.plan_stay(by=request.user, booking=booking_or_404(pk))
        return Response(TreatmentPlanOutput(report).data)


class HousePlanOutput(TreatmentPlanOutput):
    stays = serializers.IntegerField()


class HousePlanView(GenericAPIView):
    """Plans every stay of the house whose prescriptions lack sessions, in one pass over the timetable."""

    capabilities = {"POST": "treatment.plan"}
    serializer_class = serializers.Serializer
    queryset = Booking.objects.none()

    @extend_schema(request=None, responses=HousePlanOutput)
    def post(self, request):
        stays, report = planning.plan_house(by=request.user)
        return Response(HousePlanOutput({"stays": stays, "placed": report.placed,
                                         "not_placed": report.not_placed}).data)


class TreatmentMoveOutput(serializers.Serializer):
    at = serializers.DateTimeField()
    by = serializers.CharField(source="actor")
    moved = serializers.CharField(source="note")


class TreatmentMovesView(GenericAPIView):
    """What changes of the stay (dates, room, tariff, a guest leaving early) moved in its treatment, newest first."""

    capabilities = {"GET": "treatment.view"}
    serializer_class = TreatmentMoveOutput
    queryset = Booking.objects.none()
    pagination_class = None  # the last twenty, as a list

    @extend_schema(responses=TreatmentMoveOutput(many=True))
    def get(self, request, pk: int):
        booking = booking_or_404(pk)
        rows = selectors.moves(booking)
        if rows:  # the notes name the sessions of the stay's guests
            audit.log_access_many(by=request.user, what=gettext_noop("treatment moves (API)"),
                                  patient_ids=list(booking.lines.values_list("patient_id", flat=True).distinct()))
        return Response(TreatmentMoveOutput(rows, many=True).data)


# --- the sessions ----------------------------------------------------------------------------------------------------


class TreatmentSessionOutput(serializers.ModelSerializer):
    patient_name = serializers.CharField(source="patient.full_name")
    service_name = serializers.CharField(source="service.name")

    class Meta:
        model = PlannedSession
        fields = ["id", "booking", "prescription", "patient", "patient_name", "service", "service_name", "cabinet",
                  "therapist", "day", "starts", "ends", "status", "usage", "marked_at"]


class TreatmentSessionQuery(serializers.Serializer):
    day = SaneDateSerializerField(required=False)
    cabinet = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    therapist = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    booking = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class SessionMoveInput(serializers.Serializer):
    cabinet = serializers.PrimaryKeyRelatedField(queryset=Cabinet.objects.all())
    therapist = serializers.PrimaryKeyRelatedField(queryset=Therapist.objects.all(), required=False, allow_null=True)
    day = SaneDateSerializerField()
    starts = serializers.TimeField()


class SessionMarkInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=[SessionStatus.DONE, SessionStatus.NO_SHOW, SessionStatus.CANCELLED])


@extend_schema(parameters=[OpenApiParameter("day", str), OpenApiParameter("cabinet", int),
                           OpenApiParameter("therapist", int), OpenApiParameter("booking", int)])
class SessionViewSet(AccessLoggedList, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The timetable's sessions (filter by day, room, therapist, booking); move one; mark one done, missed or
    cancelled (done records the session on the stay: included while some are left, billed beyond)."""

    access_what = gettext_noop("treatment sessions (API)")
    capabilities = {"GET": "treatment.view", "move": "treatment.plan", "mark": "treatment.mark"}
    serializer_class = TreatmentSessionOutput
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if self.action != "list":
            return selectors.sessions()
        data = valid(TreatmentSessionQuery, self.request.query_params)
        rows = selectors.sessions().order_by("day", "starts", "id")
        for name in ("day", "cabinet", "therapist", "booking"):
            if data.get(name):
                rows = rows.filter(**{name: data[name]})
        return rows

    def retrieve(self, request, pk=None):
        session = self.get_object()
        audit.log_access(by=request.user, patient_id=session.patient_id, what=gettext_noop("treatment session"),
                         obj=session.booking)
        return Response(TreatmentSessionOutput(session).data)

    @extend_schema(request=SessionMoveInput, responses=TreatmentSessionOutput)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        data = valid(SessionMoveInput, request.data)
        session = planning.move_session(by=request.user, session=self.get_object(), move=planning.Move(**data))
        return Response(TreatmentSessionOutput(session).data)

    @extend_schema(request=SessionMarkInput, responses=TreatmentSessionOutput)
    @action(detail=True, methods=["post"])
    @idempotent
    def mark(self, request, pk=None):
        data = valid(SessionMarkInput, request.data)
        session = marking.mark_session(by=request.user, session=self.get_object(), status=data["status"])
        return Response(TreatmentSessionOutput(session).data)

