"""REST API of the medical record: the same services as its pages. Reading asks `stays.medical_record_view`
(doctors and nurses); the diary `stays.diary` (doctors and nurses); every other write `stays.medical_record`."""

from __future__ import annotations

from django.utils.translation import gettext_noop
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from hayat.core import audit
from hayat.core.params import SaneDateSerializerField
from hayat.stays.api import valid
from hayat.stays.medical import selectors, services
from hayat.stays.medical.services import EpicrisisText, Examination, RecordFields
from hayat.stays.models import VITAL_FIELDS, DiaryEntry, Epicrisis, FirstExamination, IllnessHistory
from hayat.stays.operations_api import history_or_404


class RecordIcdOutput(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()


class ExaminationOutput(serializers.ModelSerializer):
    examined_by_name = serializers.CharField(source="examined_by.full_name", read_only=True)

    class Meta:
        model = FirstExamination
        fields = ["complaints", "anamnesis", "objective_status", *VITAL_FIELDS, "examined_at", "examined_by",
                  "examined_by_name"]


class DiaryEntryOutput(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.full_name", read_only=True)

    class Meta:
        model = DiaryEntry
        fields = ["id", "day", "text", *VITAL_FIELDS, "written_at", "author", "author_name"]


class EpicrisisOutput(serializers.ModelSerializer):
    written_by_name = serializers.CharField(source="written_by.full_name", read_only=True)

    class Meta:
        model = Epicrisis
        fields = ["course", "procedures", "results", "recommendations", "sick_leave_from", "sick_leave_to",
                  "written_at", "written_by", "written_by_name"]


class MedicalRecordOutput(serializers.ModelSerializer):
    initial_diagnosis = RecordIcdOutput(allow_null=True, read_only=True)
    arrival_diagnosis = RecordIcdOutput(allow_null=True, read_only=True)
    final_diagnosis = RecordIcdOutput(allow_null=True, read_only=True)
    examination = ExaminationOutput(allow_null=True, read_only=True)
    diary = DiaryEntryOutput(many=True, read_only=True)
    epicrisis = EpicrisisOutput(allow_null=True, read_only=True)
    proposed_procedures = serializers.SerializerMethodField(
        help_text="The sessions and services recorded in the stay, one per line, as the epicrisis proposes them.")

    class Meta:
        model = IllnessHistory
        fields = ["id", "number", "patient", "state", "sick_leave", "profession", "occupational_hazards", "tags",
                  "notes", "initial_diagnosis", "arrival_diagnosis", "final_diagnosis", "examination", "diary",
                  "epicrisis", "proposed_procedures"]

    def get_proposed_procedures(self, history: IllnessHistory) -> str:
        return selectors.procedures_text(history)


def vital_input() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=6, decimal_places=1, required=False, allow_null=True, default=None)


class VitalsInput(serializers.Serializer):
    """One optional number per vital sign; the service checks each against its plausible range."""

    systolic = vital_input()
    diastolic = vital_input()
    pulse = vital_input()
    temperature = vital_input()
    respiration = vital_input()
    oxygen_saturation = vital_input()
    weight_kg = vital_input()


def readings(data: dict) -> dict:
    return {name: data.get(name) for name in VITAL_FIELDS}


class MedicalRecordInput(serializers.Serializer):
    sick_leave = serializers.BooleanField(default=False)
    profession = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    occupational_hazards = serializers.CharField(required=False, allow_blank=True, default="")
    tags = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                 help_text="Words separated by commas.")
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class RecordDiagnosisInput(serializers.Serializer):
    which = serializers.ChoiceField(choices=list(services.DIAGNOSES))
    code = serializers.CharField(max_length=10, allow_blank=True,
                                 help_text="An ICD-10 code of the list in use; empty removes the diagnosis.")


class ExaminationInput(VitalsInput):
    complaints = serializers.CharField()
    anamnesis = serializers.CharField(required=False, allow_blank=True, default="")
    objective_status = serializers.CharField(required=False, allow_blank=True, default="")


class DiaryEntryInput(VitalsInput):
    day = SaneDateSerializerField(required=False, allow_null=True, default=None,
                                  help_text="The day of the stay the entry is for; today when left out.")
    text = serializers.CharField(required=False, allow_blank=True, default="")


class EpicrisisInput(serializers.Serializer):
    course = serializers.CharField()
    procedures = serializers.CharField(required=False, allow_blank=True, default="",
                                       help_text="The procedures received; see `proposed_procedures` of the record.")
    results = serializers.CharField(required=False, allow_blank=True, default="")
    recommendations = serializers.CharField(required=False, allow_blank=True, default="")
    sick_leave_from = SaneDateSerializerField(required=False, allow_null=True, default=None)
    sick_leave_to = SaneDateSerializerField(required=False, allow_null=True, default=None)


def record_answer(pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
    return Response(MedicalRecordOutput(history_or_404(pk)).data, status=status_code)


class MedicalRecordView(GenericAPIView):
    """The medical record of a guest's stay (GET), and its own fields (POST: sick leave, profession, occupational
    hazards, tags, notes)."""

    capabilities = {"GET": "stays.medical_record_view", "POST": "stays.medical_record"}
    serializer_class = MedicalRecordOutput

    def get(self, request, pk: int):
        history = history_or_404(pk)
        audit.log_access(by=request.user, patient_id=history.patient_id,
                         what=gettext_noop("medical record (API)"), obj=history)
        return Response(MedicalRecordOutput(history).data)

    @extend_schema(request=MedicalRecordInput, responses=MedicalRecordOutput)
    def post(self, request, pk: int):
        data = valid(MedicalRecordInput, request.data)
        services.update_record(by=request.user, history=history_or_404(pk), fields=RecordFields(**data))
        return record_answer(pk)


class DiagnosisView(GenericAPIView):
    """Sets the initial, on-arrival or final ICD-10 diagnosis."""

    capabilities = {"POST": "stays.medical_record"}
    serializer_class = RecordDiagnosisInput

    @extend_schema(request=RecordDiagnosisInput, responses=MedicalRecordOutput)
    def post(self, request, pk: int):
        data = valid(RecordDiagnosisInput, request.data)
        services.set_diagnosis(by=request.user, history=history_or_404(pk), **data)
        return record_answer(pk)


class ExaminationView(GenericAPIView):
    """Writes or corrects the doctor's first examination; a registered history opens with it."""

    capabilities = {"POST": "stays.medical_record"}
    serializer_class = ExaminationInput

    @extend_schema(request=ExaminationInput, responses=MedicalRecordOutput)
    def post(self, request, pk: int):
        data = valid(ExaminationInput, request.data)
        services.write_examination(
            by=request.user, history=history_or_404(pk), vitals=readings(data),
            examination=Examination(complaints=data["complaints"], anamnesis=data["anamnesis"],
                                    objective_status=data["objective_status"]))
        return record_answer(pk)


class DiaryView(GenericAPIView):
    """Adds a diary entry of a doctor or a nurse (the record's GET lists them)."""

    capabilities = {"POST": "stays.diary"}
    serializer_class = DiaryEntryInput

    @extend_schema(request=DiaryEntryInput, responses={201: DiaryEntryOutput})
    def post(self, request, pk: int):
        data = valid(DiaryEntryInput, request.data)
        entry = services.add_diary_entry(by=request.user, history=history_or_404(pk), day=data["day"],
                                         text=data["text"], vitals=readings(data))
        return Response(DiaryEntryOutput(entry).data, status=status.HTTP_201_CREATED)


class EpicrisisView(GenericAPIView):
    """Writes or corrects the epicrisis, printed in the check-out summary."""

    capabilities = {"POST": "stays.medical_record"}
    serializer_class = EpicrisisInput

    @extend_schema(request=EpicrisisInput, responses=MedicalRecordOutput)
    def post(self, request, pk: int):
        data = valid(EpicrisisInput, request.data)
        services.write_epicrisis(by=request.user, history=history_or_404(pk), text=EpicrisisText(**data))
        return record_answer(pk)
