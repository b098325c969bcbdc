"""REST API of episodes: the same selectors and services as the pages, so every rule holds at both doors.

A request's episode fields are all handed to the service, which refuses any the caller's role may not write
in the episode's phase: 403 {"code": "fields_refused", "errors": {field: [...]}} names each of them.
Illegal steps answer 409, rule and input errors 400.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from hayat.catalog.models import Service
from hayat.clinical import selectors, services, timed
from hayat.clinical.models import (
    BedAssignment,
    DiagnosisRank,
    DischargeResult,
    Disposition,
    Episode,
    EpisodeDiagnosis,
    EpisodeStatus,
    EpisodeStatusChange,
    TimedUse,
    Vitals,
)
from hayat.clinical.vitals import MEASURES
from hayat.core import audit
from hayat.core.api import AccessLoggedList
from hayat.core.errors import DomainError
from hayat.core.idempotency import idempotent
from hayat.core.params import MAX_ID, SaneDateTimeSerializerField, id_from
from hayat.facilities.models import Bed
from hayat.patients.models import Patient

# --- output -------------------------------------------------------------------------------------------------


class ClinicianOutput(serializers.Serializer):
    id = serializers.IntegerField()
    user_id = serializers.CharField()
    full_name = serializers.CharField()


class EpisodeDepartmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EpisodePatientOutput(serializers.ModelSerializer):
    class Meta:
        model = Patient
        fields = ["id", "code", "full_name"]


class BedAssignmentOutput(serializers.ModelSerializer):
    bed_number = serializers.CharField(source="bed.number")
    room = serializers.CharField(source="bed.room.__str__")
    room_id = serializers.IntegerField(source="bed.room_id")

    class Meta:
        model = BedAssignment
        fields = ["id", "bed", "bed_number", "room_id", "room", "started_at", "ended_at", "hourly_rate",
                  "ended_reason", "note"]


class EpisodeListOutput(serializers.ModelSerializer):
    patient = EpisodePatientOutput()
    status_label = serializers.CharField(source="get_status_display")
    department = EpisodeDepartmentOutput(allow_null=True)
    attending_physician = ClinicianOutput(allow_null=True)
    current_bed = serializers.SerializerMethodField()

    class Meta:
        model = Episode
        fields = ["id", "case_number", "hospital_case_number", "patient", "status", "status_label",
                  "registered_at", "intended_admission_type", "admission_type", "department",
                  "attending_physician", "current_bed"]

    def get_current_bed(self, episode) -> dict | None:
        """The open bed assignment (prefetched as `open_assignments`)."""
        assignments = getattr(episode, "open_assignments", [])
        return BedAssignmentOutput(assignments[0]).data if assignments else None


class VitalsOutput(serializers.ModelSerializer):
    recorded_by = ClinicianOutput()

    class Meta:
        model = Vitals
        fields = ["id", "taken_at", *MEASURES, "note", "recorded_by"]


class DiagnosisOutput(serializers.ModelSerializer):
    code = serializers.CharField(source="icd_code.code")
    title = serializers.CharField(source="icd_code.title")
    entered_by = ClinicianOutput()
    amends = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = EpisodeDiagnosis
        fields = ["id", "code", "title", "rank", "action", "amends", "reason", "entered_at", "entered_by"]


class EpisodeStatusChangeOutput(serializers.ModelSerializer):
    by = serializers.CharField(source="by.full_name", default=None, allow_null=True)

    class Meta:
        model = EpisodeStatusChange
        fields = ["at", "by", "from_status", "to_status", "reason"]


class EpisodeOutput(EpisodeListOutput):
    vitals = serializers.SerializerMethodField()
    diagnoses = serializers.SerializerMethodField()
    icd_history = serializers.SerializerMethodField()
    status_history = serializers.SerializerMethodField()
    bed_assignments = serializers.SerializerMethodField()

    class Meta(EpisodeListOutput.Meta):
        fields = [*EpisodeListOutput.Meta.fields, "reason_for_visit", "insurance_philhealth_number",
                  "insurance_hmo_name", "insurance_hmo_number", "emergency_contact_name", "emergency_contact_phone",
                  "chief_complaint", "present_illness", "physical_examination", "principal_diagnosis",
                  "other_diagnoses", "treatment_plan", "physician_override_reason", "coded_at", "admitted_at",
                  "disposition", "result", "discharged_at", "discharge_note", "vitals", "diagnoses", "icd_history",
                  "status_history", "bed_assignments"]

    def get_vitals(self, episode) -> list[dict]:
        return VitalsOutput(selectors.vitals_of(episode), many=True).data

    def get_diagnoses(self, episode) -> list[dict]:
        """The codes the episode carries now."""
        return DiagnosisOutput(selectors.current_diagnoses(episode).select_related("entered_by"), many=True).data

    def get_icd_history(self, episode) -> list[dict]:
        return DiagnosisOutput(selectors.diagnoses_of(episode), many=True).data

    def get_status_history(self, episode) -> list[dict]:
        return EpisodeStatusChangeOutput(selectors.status_changes(episode), many=True).data

    def get_bed_assignments(self, episode) -> list[dict]:
        return BedAssignmentOutput(selectors.assignments_of(episode), many=True).data


class PhysicianOutput(ClinicianOutput):
    department = serializers.CharField(source="department.name", default=None, allow_null=True)
    load = serializers.IntegerField(help_text="Open episodes the doctor attends.")


# --- input --------------------------------------------------------------------------------------------------


class EpisodeCheckInInput(serializers.Serializer):
    patient = serializers.PrimaryKeyRelatedField(queryset=Patient.objects.all())
    reason_for_visit = serializers.CharField(help_text="Any reception field of the episode may be sent too.")


class FieldsInput(serializers.Serializer):
    """Documentation: any fields of the episode; which the caller may write depends on role and phase."""

    chief_complaint = serializers.CharField(required=False)
    attending_physician = serializers.IntegerField(required=False, allow_null=True)
    admission_type = serializers.ChoiceField(choices=["inpatient", "outpatient"], required=False)


class VitalsInput(serializers.Serializer):
    taken_at = SaneDateTimeSerializerField(required=False, allow_null=True, help_text="Defaults to now.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    systolic = serializers.CharField(required=False, help_text="And any of: " + ", ".join(MEASURES))


class DiagnosisInput(serializers.Serializer):
    code = serializers.CharField(max_length=10)
    rank = serializers.ChoiceField(choices=DiagnosisRank.choices, default=DiagnosisRank.SECONDARY)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class ReplaceInput(serializers.Serializer):
    code = serializers.CharField(max_length=10)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class EpisodeReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class CodingInput(serializers.Serializer):
    bed = serializers.PrimaryKeyRelatedField(queryset=Bed.objects.all(), required=False, allow_null=True,
                                             help_text="A free bed; required for an inpatient, none for outpatients.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class EpisodeBedInput(serializers.Serializer):
    bed = serializers.PrimaryKeyRelatedField(queryset=Bed.objects.all())
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class DischargeInput(serializers.Serializer):
    disposition = serializers.ChoiceField(choices=Disposition.choices)
    result = serializers.ChoiceField(choices=DischargeResult.choices)
    discharged_at = SaneDateTimeSerializerField(required=False, allow_null=True, help_text="Defaults to now.")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class EpisodeListQuery(serializers.Serializer):
    department = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    physician = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


def valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def body_of(request) -> Mapping[str, Any]:
    """The request body as fields by name; a list or a bare value is a clear 400, not a server error."""
    if not isinstance(request.data, Mapping):
        raise DomainError(_("Send the fields as one JSON object of names and values."), code="not_an_object")
    return request.data


def sent_fields(data: Mapping[str, Any], *, leaving_out: set[str] = frozenset()) -> dict[str, Any]:
    """Every key of the request body except `leaving_out`: the service refuses, by name, what it may not take."""
    return {name: value for name, value in data.items() if name not in leaving_out}


# --- views --------------------------------------------------------------------------------------------------

LIST_PARAMETERS = [
    OpenApiParameter("search", str, description="Case or hospital case number, patient code or name."),
    OpenApiParameter("status", str, enum=[*EpisodeStatus.values, "open"]),
    OpenApiParameter("department", int), OpenApiParameter("physician", int),
]


class EpisodeViewSet(AccessLoggedList, viewsets.GenericViewSet):
    """Episodes: list and search, check-in, read with vitals, codes and history, document, code, admit,
    transfer, discharge."""

    lookup_value_regex = r"\d+"
    serializer_class = EpisodeOutput
    access_what = gettext_noop("episode list (API)")
    filter_backends = []
    capabilities = {
        "list": "episodes.view", "retrieve": "episodes.view", "suggested_physicians": "episodes.view",
        "create": "episodes.register", "partial_update": "episodes.edit", "diagnoses": "episodes.diagnose",
        "vitals": "episodes.record_vitals", "ready_for_coding": "episodes.document",
        "return_to_doctor": "episodes.code", "code": "episodes.code", "assign_bed": "episodes.assign_bed",
        "transfer": "episodes.transfer", "discharge": "episodes.discharge", "cancel": "episodes.cancel",
    }

    def episode(self) -> Episode:
        pk = id_from(self.kwargs["pk"])
        try:
            return selectors.episode_detail(pk)
        except Episode.DoesNotExist as error:
            raise Http404 from error

    def answer(self, episode: Episode, code: int = status.HTTP_200_OK) -> Response:
        return Response(EpisodeOutput(selectors.episode_detail(episode.pk)).data, status=code)

    @extend_schema(parameters=LIST_PARAMETERS, responses=EpisodeListOutput(many=True))
    def list(self, request):
        params = request.query_params
        ids = valid(EpisodeListQuery, params)
        episodes = selectors.episodes(search=params.get("search", "")[:100], status=params.get("status", ""),
                                      department=ids.get("department"), physician=ids.get("physician"))
        page = self.paginate_queryset(episodes)
        return self.get_paginated_response(EpisodeListOutput(page, many=True).data)

    def retrieve(self, request, pk=None):
        episode = self.episode()
        audit.log_access(by=request.user, patient_id=episode.patient_id,
                         what=gettext_noop("episode (API)"), obj=episode)
        return Response(EpisodeOutput(episode).data)

    @extend_schema(request=EpisodeCheckInInput, responses={201: EpisodeOutput})
    def create(self, request):
        """Reception check-in; reception fields besides the reason may be sent (others are refused by name)."""
        body = body_of(request)
        patient = valid(EpisodeCheckInInput, body)["patient"]
        episode = services.register_episode(by=request.user, patient=patient,
                                            fields=sent_fields(body, leaving_out={"patient"}))
        return self.answer(episode, status.HTTP_201_CREATED)

    @extend_schema(request=FieldsInput, responses=EpisodeOutput)
    def partial_update(self, request, pk=None):
        episode = self.episode()
        fields = sent_fields(body_of(request))
        if not fields:
            raise DomainError(_("Send at least one field to change."))
        return self.answer(services.update_episode(by=request.user, episode=episode, fields=fields))

    @extend_schema(responses=PhysicianOutput(many=True))
    @action(detail=True, methods=["get"], url_path="suggested-physicians", pagination_class=None)
    def suggested_physicians(self, request, pk=None):
        """Doctors of the department of the principal code, least loaded first."""
        episode = self.episode()
        return Response(PhysicianOutput(selectors.suggested_physicians(episode.department), many=True).data)

    @extend_schema(request=VitalsInput, responses={201: VitalsOutput})
    @action(detail=True, methods=["post"])
    def vitals(self, request, pk=None):
        body = body_of(request)
        meta = valid(VitalsInput, {name: body[name] for name in ("taken_at", "note") if name in body})
        vitals = services.record_vitals(by=request.user, episode=self.episode(),
                                        values=sent_fields(body, leaving_out={"taken_at", "note"}),
                                        taken_at=meta.get("taken_at"), note=meta["note"])
        return Response(VitalsOutput(vitals).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DiagnosisInput, responses={201: EpisodeOutput})
    @action(detail=True, methods=["post"])
    def diagnoses(self, request, pk=None):
        """Codes the episode with an ICD-10 code (principal or secondary)."""
        data = valid(DiagnosisInput, request.data)
        episode = self.episode()
        services.add_diagnosis(by=request.user, episode=episode, code=data["code"], rank=data["rank"],
                               reason=data["reason"])
        return self.answer(episode, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=EpisodeOutput)
    @action(detail=True, methods=["post"], url_path="ready-for-coding")
    def ready_for_coding(self, request, pk=None):
        return self.answer(services.send_to_coding(by=request.user, episode=self.episode()))

    @extend_schema(request=EpisodeReasonInput, responses=EpisodeOutput)
    @action(detail=True, methods=["post"], url_path="return-to-doctor")
    def return_to_doctor(self, request, pk=None):
        data = valid(EpisodeReasonInput, request.data)
        return self.answer(services.return_to_doctor(by=request.user, episode=self.episode(), reason=data["reason"]))

    @extend_schema(request=CodingInput, responses=EpisodeOutput)
    @action(detail=True, methods=["post"])
    def code(self, request, pk=None):
        """Coding verified: an inpatient is admitted into the bed, an outpatient becomes outpatient."""
        data = valid(CodingInput, request.data)
        return self.answer(services.complete_coding(by=request.user, episode=self.episode(), bed=data.get("bed"),
                                                    note=data["note"]))

    @extend_schema(request=EpisodeBedInput, responses=EpisodeOutput)
    @action(detail=True, methods=["post"], url_path="assign-bed")
    def assign_bed(self, request, pk=None):
        data = valid(EpisodeBedInput, request.data)
        return self.answer(services.assign_bed(by=request.user, episode=self.episode(), bed=data["bed"],
                                               note=data["note"]))

    @extend_schema(request=EpisodeBedInput, responses=EpisodeOutput)
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        data = valid(EpisodeBedInput, request.data)
        return self.answer(services.transfer(by=request.user, episode=self.episode(), bed=data["bed"],
                                             reason=data["note"]))

    @extend_schema(request=DischargeInput, responses=EpisodeOutput)
    @action(detail=True, methods=["post"])
    def discharge(self, request, pk=None):
        data = valid(DischargeInput, request.data)
        return self.answer(services.discharge(by=request.user, episode=self.episode(), **data))

    @extend_schema(request=EpisodeReasonInput, responses=EpisodeOutput)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        data = valid(EpisodeReasonInput, request.data)
        return self.answer(services.cancel_episode(by=request.user, episode=self.episode(), reason=data["reason"]))


class EpisodeDiagnosisView(APIView):
    """One coded ICD-10 entry: replace it by another code (POST) or remove it (DELETE), with the reason. The
    entry stays in the history; the answer is the episode."""

    capabilities = {"*": "episodes.diagnose"}
    serializer_class = EpisodeOutput

    def entry(self, pk: int, diagnosis_pk: int) -> tuple[Episode, EpisodeDiagnosis]:
        try:
            episode = selectors.episode_detail(pk)
            return episode, EpisodeDiagnosis.objects.get(pk=diagnosis_pk, episode=episode)
        except (Episode.DoesNotExist, EpisodeDiagnosis.DoesNotExist) as error:
            raise Http404 from error

    @extend_schema(request=ReplaceInput, responses=EpisodeOutput, operation_id="episodes_diagnoses_replace")
    def post(self, request, pk: int, diagnosis_pk: int):
        data = valid(ReplaceInput, request.data)
        episode, diagnosis = self.entry(pk, diagnosis_pk)
        services.replace_diagnosis(by=request.user, episode=episode, diagnosis=diagnosis, code=data["code"],
                                   reason=data["reason"])
        return Response(EpisodeOutput(selectors.episode_detail(pk)).data)

    @extend_schema(parameters=[OpenApiParameter("reason", str)], responses=EpisodeOutput,
                   operation_id="episodes_diagnoses_remove")
    def delete(self, request, pk: int, diagnosis_pk: int):
        episode, diagnosis = self.entry(pk, diagnosis_pk)
        reason = str(body_of(request).get("reason") or request.query_params.get("reason", ""))[:300]
        services.remove_diagnosis(by=request.user, episode=episode, diagnosis=diagnosis, reason=reason)
        return Response(EpisodeOutput(selectors.episode_detail(pk)).data)


class TimedUseOutput(serializers.ModelSerializer):
    service_name = serializers.CharField(source="service.name")

    class Meta:
        model = TimedUse
        fields = ["id", "episode", "service", "service_name", "started_at", "ended_at", "rate", "started_by",
                  "ended_by", "reversed_at", "reversed_by"]


class TimedUseInput(serializers.Serializer):
    service = serializers.PrimaryKeyRelatedField(queryset=Service.objects.filter(charged_by_time=True))


class TimedUseListView(APIView):
    """The time-charged services (oxygen, monitors...) of an episode (GET), or start one (POST)."""

    capabilities = {"GET": "episodes.view", "POST": "clinical.timed_use"}
    serializer_class = TimedUseOutput
    pagination_class = None  # every use of the episode, as a list

    def episode(self, pk: int) -> Episode:
        try:
            return selectors.episode_detail(pk)
        except Episode.DoesNotExist as error:
            raise Http404 from error

    @extend_schema(responses=TimedUseOutput(many=True))
    def get(self, request, pk: int):
        episode = self.episode(pk)
        audit.log_access(by=request.user, patient_id=episode.patient_id, what=gettext_noop("episode"), obj=episode)
        return Response(TimedUseOutput(timed.uses_of(episode), many=True).data)

    @extend_schema(request=TimedUseInput, responses={201: TimedUseOutput})
    def post(self, request, pk: int):
        data = valid(TimedUseInput, request.data)
        use = timed.start_use(by=request.user, episode=self.episode(pk), service=data["service"])
        return Response(TimedUseOutput(use).data, status=status.HTTP_201_CREATED)


class TimedUseStopView(APIView):
    """Stops a running time-charged service; its bill line stops growing."""

    capabilities = {"POST": "clinical.timed_use"}
    serializer_class = TimedUseOutput

    @extend_schema(request=None, responses=TimedUseOutput)
    def post(self, request, pk: int):
        use = TimedUse.objects.filter(pk=pk).select_related("service").first()
        if use is None:
            raise Http404
        return Response(TimedUseOutput(timed.stop_use(by=request.user, use=use)).data)


class TimedUseUndoView(APIView):
    """Undoes a start made by mistake: only by the person who started it, within HAYAT_UNDO_MINUTES, before the
    bill is paid. The use stays, marked undone; a line already billed gets a correcting line. Sending it again
    answers the same."""

    capabilities = {"POST": "clinical.timed_use"}
    serializer_class = TimedUseOutput

    @extend_schema(request=None, responses=TimedUseOutput)
    @idempotent
    def post(self, request, pk: int):
        use = TimedUse.objects.filter(pk=pk).select_related("service").first()
        if use is None:
            raise Http404
        return Response(TimedUseOutput(timed.undo_start(by=request.user, use=use)).data)
