"""REST API for patients: the same search, services and rules as the web pages.

POST /api/patients/ answers 409 {"code": "possible_duplicates", "candidates": [...]} when the person may
already be registered; send it again with "create_anyway": true and a "reason" to register anyway.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from hayat.core import audit
from hayat.core.api import AccessLoggedList
from hayat.core.params import MAX_ID, SaneDateSerializerField, id_from
from hayat.patients import duplicates, merging, selectors, services, validation
from hayat.patients.models import District, Gender, Patient, Region
from hayat.patients.selectors import PatientFilters
from hayat.patients.services import PossibleDuplicates
from hayat.patients.validation import PatientData


class PatientOutput(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    age = serializers.IntegerField(read_only=True, allow_null=True)
    status = serializers.CharField(read_only=True)
    region_name = serializers.CharField(source="region.name", default="", read_only=True)
    district_name = serializers.CharField(source="district.name", default="", read_only=True)
    merged_into_code = serializers.CharField(source="merged_into.code", default=None, allow_null=True, read_only=True)

    class Meta:
        model = Patient
        fields = ["id", "code", "last_name", "first_name", "middle_name", "full_name", "birth_date", "age", "gender",
                  "gestational_age_weeks", "mobile", "home_phone", "email", "address", "region", "region_name",
                  "district", "district_name", "country", "nationality", "birth_place", "civil_status", "occupation",
                  "religion", "document_type", "document_number", "tax_id", "philhealth_number", "hmo_name",
                  "hmo_number", "emergency_contact_name", "emergency_contact_phone", "notes", "is_active", "status",
                  "merged_into", "merged_into_code", "merged_at", "anonymised_at", "created_at", "updated_at"]


class PatientListOutput(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    age = serializers.IntegerField(read_only=True, allow_null=True)
    status = serializers.CharField(read_only=True)
    region_name = serializers.CharField(source="region.name", default="", read_only=True)

    class Meta:
        model = Patient
        fields = ["id", "code", "full_name", "last_name", "first_name", "middle_name", "birth_date", "age", "gender",
                  "mobile", "region", "region_name", "status", "merged_into"]


class CandidateOutput(serializers.Serializer):
    patient = PatientListOutput()
    reasons = serializers.ListField(child=serializers.CharField())
    score = serializers.FloatField()


class PatientInput(serializers.Serializer):
    """Demographics; on PATCH, fields left out keep their values. Rules: hayat.patients.validation."""

    last_name = serializers.CharField(max_length=80)
    first_name = serializers.CharField(max_length=80)
    middle_name = serializers.CharField(max_length=80, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)  # range: validation.birth_date
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    gestational_age_weeks = serializers.IntegerField(required=False, allow_null=True)
    mobile = serializers.CharField(max_length=30, required=False, allow_blank=True)
    home_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all(), required=False, allow_null=True)
    district = serializers.PrimaryKeyRelatedField(queryset=District.objects.all(), required=False, allow_null=True)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True)
    nationality = serializers.CharField(max_length=80, required=False, allow_blank=True)
    birth_place = serializers.CharField(max_length=120, required=False, allow_blank=True)
    civil_status = serializers.CharField(max_length=12, required=False, allow_blank=True)
    occupation = serializers.CharField(max_length=120, required=False, allow_blank=True)
    religion = serializers.CharField(max_length=80, required=False, allow_blank=True)
    document_type = serializers.CharField(max_length=20, required=False, allow_blank=True)
    document_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    tax_id = serializers.CharField(max_length=60, required=False, allow_blank=True)
    philhealth_number = serializers.CharField(max_length=30, required=False, allow_blank=True)
    hmo_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    hmo_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    emergency_contact_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    emergency_contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    create_anyway = serializers.BooleanField(required=False, default=False,
                                             help_text="Save despite possible duplicates; needs a reason.")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    def __init__(self, *args, recorded: PatientData | None = None, **kwargs):
        """`recorded`: the patient as stored, on an update; a PATCH keeps its values for fields left out."""
        super().__init__(*args, **kwargs)
        self.recorded = recorded

    def validate(self, attrs):
        values = {name: attrs[name] for name in PatientData.field_names() if name in attrs}
        if self.partial and self.recorded is not None:
            data = PatientData(**{**vars(self.recorded), **values})
        else:
            data = PatientData(**{"first_name": "", "last_name": "", **values})
        normalised, errors = validation.check(data, self.recorded)
        if errors:
            raise serializers.ValidationError({field: [message] for field, message in errors.items()})
        attrs["data"] = normalised
        return attrs


class SearchInput(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, default="")
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    age_min = serializers.IntegerField(required=False, min_value=0, max_value=150)
    age_max = serializers.IntegerField(required=False, min_value=0, max_value=150)
    region = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    district = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    registered_from = SaneDateSerializerField(required=False)
    registered_to = SaneDateSerializerField(required=False)
    active_stay = serializers.BooleanField(required=False, allow_null=True, default=None)
    last_visit_from = SaneDateSerializerField(required=False)
    last_visit_to = SaneDateSerializerField(required=False)
    status = serializers.ChoiceField(choices=["", "active", "inactive", "merged", "all"], required=False, default="")

    def filters(self) -> PatientFilters:
        data = self.validated_data
        return PatientFilters(**{name: data[name] for name in PatientFilters.__dataclass_fields__ if name in data})


class MergeInput(serializers.Serializer):
    merged = serializers.PrimaryKeyRelatedField(queryset=Patient.objects.all(),
                                                help_text="The record that goes; this patient stays.")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    fill_blanks = serializers.BooleanField(required=False, default=True)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RegionOutput(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "country", "name", "name_local"]


class DistrictOutput(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["id", "region", "name", "name_local"]


class DuplicatesOutput(serializers.Serializer):
    """The 409 answer when the person may already be registered (send create_anyway with a reason)."""

    detail = serializers.CharField()
    code = serializers.CharField()
    candidates = CandidateOutput(many=True)


def candidates_response(error: PossibleDuplicates) -> Response:
    return Response({
        "detail": error.message, "code": error.code,
        "candidates": CandidateOutput([{"patient": candidate.patient, "reasons": candidate.reasons,
                                        "score": round(candidate.score, 1)} for candidate in error.candidates],
                                      many=True).data,
    }, status=status.HTTP_409_CONFLICT)


SEARCH_PARAMETERS = [OpenApiParameter(name, description=description) for name, description in (
    ("q", "name parts in any order and script, phone digits, code, document, email, booking/case number"),
    ("gender", "male, female, other, unknown"), ("age_min", "years"), ("age_max", "years"),
    ("region", "region id"), ("district", "district id"), ("registered_from", "date"), ("registered_to", "date"),
    ("active_stay", "true or false"), ("last_visit_from", "date"), ("last_visit_to", "date"),
    ("status", "'' (not merged), active, inactive, merged, all"),
)]


class PatientViewSet(AccessLoggedList, viewsets.GenericViewSet):
    access_what = gettext_noop("patient list (API)")

    def patient_ids_of(self, patient: Patient) -> list[int]:
        return [patient.pk]
    queryset = Patient.objects.select_related("region", "district", "merged_into")
    serializer_class = PatientOutput
    filter_backends = []
    capabilities = {
        "list": "patients.view", "retrieve": "patients.view", "audit": "patients.view",
        "create": "patients.register", "duplicates": "patients.register",
        "update": "patients.edit", "partial_update": "patients.edit",
        "deactivate": "patients.deactivate", "reactivate": "patients.deactivate",
        "merge": "patients.merge", "unmerge": "patients.merge",
        "anonymise": "patients.anonymise", "destroy": "patients.delete",
    }

    @extend_schema(parameters=SEARCH_PARAMETERS, responses=PatientListOutput(many=True))
    def list(self, request):
        search = SearchInput(data=request.query_params)
        search.is_valid(raise_exception=True)
        patients = selectors.search(search.validated_data["q"], search.filters())
        page = self.paginate_queryset(patients)
        return self.get_paginated_response(PatientListOutput(page, many=True).data)

    def retrieve(self, request, pk=None):
        return self.record_answer(request, self.get_object())

    def record_answer(self, request, patient: Patient) -> Response:
        """The full record in the answer: a read of the patient, so it goes into the access log."""
        audit.log_access(by=request.user, patient_id=patient.pk, what=gettext_noop("patient API record"), obj=patient)
        return Response(PatientOutput(patient).data)

    @extend_schema(request=PatientInput, responses={201: PatientOutput, 409: DuplicatesOutput})
    def create(self, request):
        data = PatientInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            patient = services.register_patient(by=request.user, data=data.validated_data["data"],
                                                create_anyway=data.validated_data["create_anyway"],
                                                reason=data.validated_data["reason"])
        except PossibleDuplicates as error:
            return candidates_response(error)
        return Response(PatientOutput(patient).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PatientInput, responses={200: PatientOutput, 409: DuplicatesOutput})
    def update(self, request, pk=None, partial=False):
        patient = self.get_object()
        data = PatientInput(data=request.data, partial=partial, recorded=PatientData.from_patient(patient))
        data.is_valid(raise_exception=True)
        try:
            patient = services.update_patient(by=request.user, patient=patient, data=data.validated_data["data"],
                                              keep_anyway=data.validated_data.get("create_anyway", False),
                                              reason=data.validated_data.get("reason", ""))
        except PossibleDuplicates as error:
            return candidates_response(error)
        return self.record_answer(request, self.get_queryset().get(pk=patient.pk))

    @extend_schema(request=PatientInput, responses={200: PatientOutput, 409: DuplicatesOutput})
    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)

    @extend_schema(parameters=[OpenApiParameter("reason", description="why the record is deleted")],
                   responses={204: None})
    def destroy(self, request, pk=None):
        services.delete_patient(by=request.user, patient=self.get_object(),
                                reason=request.query_params.get("reason", ""))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=PatientInput, responses=inline_serializer(
        "DuplicateCheck", {"candidates": CandidateOutput(many=True)}))
    @action(detail=False, methods=["post"])
    def duplicates(self, request):
        """Who this person might already be, without registering anything (send ?exclude=<id> when editing)."""
        data = PatientInput(data=request.data)
        data.is_valid(raise_exception=True)
        exclude = id_from(request.query_params.get("exclude"))
        found = duplicates.find(data.validated_data["data"], exclude=Patient(pk=exclude) if exclude else None)
        return Response({"candidates": CandidateOutput(
            [{"patient": c.patient, "reasons": c.reasons, "score": round(c.score, 1)} for c in found], many=True).data})

    @extend_schema(request=ReasonInput, responses=PatientOutput)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        return self.set_active(request, active=False)

    @extend_schema(request=ReasonInput, responses=PatientOutput)
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        return self.set_active(request, active=True)

    def set_active(self, request, *, active: bool) -> Response:
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        patient = services.set_active(by=request.user, patient=self.get_object(), active=active,
                                      reason=data.validated_data["reason"])
        return self.record_answer(request, self.get_queryset().get(pk=patient.pk))

    @extend_schema(request=MergeInput, responses=PatientOutput)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Merges the record `merged` into this patient (the survivor)."""
        survivor = self.get_object()
        data = MergeInput(data=request.data)
        data.is_valid(raise_exception=True)
        merging.merge(by=request.user, survivor=survivor, merged=data.validated_data["merged"],
                      reason=data.validated_data["reason"], fill_blanks=data.validated_data["fill_blanks"])
        return self.record_answer(request, self.get_queryset().get(pk=survivor.pk))

    @extend_schema(request=ReasonInput, responses=PatientOutput)
    @action(detail=True, methods=["post"])
    def unmerge(self, request, pk=None):
        """Undoes the merge that made this record a pointer, from its audit record."""
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        patient = merging.unmerge(by=request.user, merged=self.get_object(), reason=data.validated_data["reason"])
        return self.record_answer(request, self.get_queryset().get(pk=patient.pk))

    @extend_schema(request=ReasonInput, responses=PatientOutput)
    @action(detail=True, methods=["post"])
    def anonymise(self, request, pk=None):
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        patient = services.anonymise(by=request.user, patient=self.get_object(), reason=data.validated_data["reason"])
        return Response(PatientOutput(patient).data)

    @extend_schema(responses=inline_serializer("AuditTrail", {"entries": serializers.ListField()}))
    @action(detail=True, methods=["get"])
    def audit(self, request, pk=None):
        """Field history and audit events; who opened the record too for users holding patients.audit."""
        patient = self.get_object()
        audit.log_access(by=request.user, patient_id=patient.pk,
                         what=gettext_noop("patient API audit trail"), obj=patient)
        return Response({"entries": [
            {"at": entry.at, "actor": entry.actor, "kind": entry.kind, "action": entry.action, "detail": entry.detail,
             "ip": entry.ip} for entry in selectors.audit_trail(patient, request.user)]})


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RegionOutput
    capabilities = {"*": "patients.view"}
    filter_backends = []

    def get_queryset(self):
        return selectors.regions(self.request.query_params.get("country", "").upper())


class DistrictViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DistrictOutput
    capabilities = {"*": "patients.view"}
    filter_backends = []

    @extend_schema(parameters=[OpenApiParameter("region", int, description="region id (required for the list)")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        if self.action == "list":
            return selectors.districts(id_from(self.request.query_params.get("region")))
        return District.objects.all()
