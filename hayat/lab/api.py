"""REST API of the laboratory: results with their attachment groups, group uploads in one multipart
request, deletions, and permission-checked, access-logged file downloads."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext_noop
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from hayat.accounts.models import User
from hayat.clinical.models import Episode
from hayat.core import audit, clock
from hayat.core.api import DOWNLOAD_RENDERERS, AccessLoggedList
from hayat.core.params import MAX_ID, SaneDateSerializerField, SaneDateTimeSerializerField, id_from
from hayat.core.policy import can
from hayat.lab import files, selectors, services
from hayat.lab.models import Attachment, AttachmentGroup, LabResult, LabTestType
from hayat.lab.services import DESCRIPTION_MAX, GroupData, ResultData
from hayat.patients.models import Patient
from hayat.stays.models import Booking


class PersonOutput(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "user_id", "full_name"]


class LabPatientOutput(serializers.ModelSerializer):
    class Meta:
        model = Patient
        fields = ["id", "code", "full_name"]


class EpisodeLink(serializers.Serializer):
    id = serializers.IntegerField()
    case_number = serializers.CharField()


class BookingLink(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()


class LabTestTypeOutput(serializers.ModelSerializer):
    class Meta:
        model = LabTestType
        fields = ["id", "code", "name", "is_active"]


class AttachmentOutput(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "position", "original_name", "content_type", "size", "sha256", "download_url",
                  "thumbnail_url"]

    def get_download_url(self, attachment) -> str:
        return reverse("lab-file-download", kwargs={"pk": attachment.pk})

    def get_thumbnail_url(self, attachment) -> str | None:
        return reverse("lab-file-thumbnail", kwargs={"pk": attachment.pk}) if attachment.thumbnail else None


class GroupOutput(serializers.ModelSerializer):
    uploaded_by = PersonOutput()
    files = AttachmentOutput(many=True)

    class Meta:
        model = AttachmentGroup
        fields = ["id", "position", "description", "uploaded_by", "uploaded_at", "files"]


class ResultListOutput(serializers.ModelSerializer):
    patient = LabPatientOutput()
    test_type = LabTestTypeOutput()
    performed_by = PersonOutput()
    episode = EpisodeLink(allow_null=True)
    booking = BookingLink(allow_null=True)
    file_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = LabResult
        fields = ["id", "code", "patient", "test_type", "summary", "performed_by", "performed_at", "episode",
                  "booking", "file_count", "created_at", "updated_at"]


class ResultOutput(ResultListOutput):
    groups = GroupOutput(many=True)

    class Meta(ResultListOutput.Meta):
        fields = [name for name in ResultListOutput.Meta.fields if name != "file_count"] + ["groups"]


class ResultInput(serializers.Serializer):
    test_type = serializers.PrimaryKeyRelatedField(queryset=LabTestType.objects.all())
    summary = serializers.CharField(max_length=10000)
    performed_by = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False,
                                                      help_text="Defaults to the caller.")
    performed_at = SaneDateTimeSerializerField(required=False, help_text="Defaults to now.")
    episode = serializers.PrimaryKeyRelatedField(queryset=Episode.objects.all(), required=False, allow_null=True,
                                                 help_text="One of the patient's episodes, or null.")
    booking = serializers.PrimaryKeyRelatedField(queryset=Booking.objects.all(), required=False, allow_null=True,
                                                 help_text="One of the patient's stays, or null.")


class NewResultInput(ResultInput):
    patient = serializers.PrimaryKeyRelatedField(queryset=Patient.objects.all())


class ResultChangeInput(ResultInput):
    seen_at = SaneDateTimeSerializerField(
        required=False, help_text="The result's updated_at as you read it; a later change by someone else "
                                  "answers 409 instead of being overwritten.")


class GroupInput(serializers.Serializer):
    description = serializers.CharField(max_length=DESCRIPTION_MAX, allow_blank=True)
    files = serializers.ListField(child=serializers.FileField(allow_empty_file=True), required=False,
                                  help_text="The files of the group, in order (also accepted as files[]).")


class ListQuery(serializers.Serializer):
    search = serializers.CharField(required=False, allow_blank=True, max_length=100)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    patient = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    test_type = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    episode = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    booking = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    performed_from = SaneDateSerializerField(required=False)
    performed_to = SaneDateSerializerField(required=False)


class InvisibleRecords:
    """To a caller who may not see lab results at all, a record is invisible: 404, not 403, so the answer does
    not tell whether it exists. Lists keep answering 403."""

    def permission_denied(self, request, message=None, code=None):
        if request.user.is_authenticated and self.detail and not can(request.user, "lab.view"):
            raise exceptions.NotFound()
        super().permission_denied(request, message=message, code=code)


LIST_PARAMETERS = [
    OpenApiParameter("search", str, description="Result id or code, patient code, words of the patient's name"),
    OpenApiParameter("patient", int), OpenApiParameter("test_type", int), OpenApiParameter("episode", int),
    OpenApiParameter("booking", int),
    OpenApiParameter("performed_from", OpenApiTypes.DATE), OpenApiParameter("performed_to", OpenApiTypes.DATE),
]


class LabResultViewSet(InvisibleRecords, AccessLoggedList, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Lab results: list and search, record, read with the attachment groups, change."""

    access_what = gettext_noop("lab result list (API)")
    lookup_value_regex = r"\d+"
    capabilities = {"GET": "lab.view", "*": "lab.manage"}
    serializer_class = ResultOutput

    def get_queryset(self):
        query = ListQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        return selectors.results(search=(data.get("search") or data.get("q") or "").strip(),
                                 patient_id=data.get("patient"), test_type_id=data.get("test_type"),
                                 episode_id=data.get("episode"), booking_id=data.get("booking"),
                                 performed_from=data.get("performed_from"), performed_to=data.get("performed_to"))

    def get_serializer_class(self):
        return ResultListOutput if self.action == "list" else ResultOutput

    def get_result(self) -> LabResult:
        try:
            return selectors.result_with_album(id_from(self.kwargs["pk"]))
        except LabResult.DoesNotExist as error:
            raise Http404 from error

    @extend_schema(parameters=LIST_PARAMETERS, responses=ResultListOutput(many=True))
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=ResultOutput)
    def retrieve(self, request, pk=None):
        result = self.get_result()
        audit.log_access(by=request.user, patient_id=result.patient_id, what=gettext_noop("lab result"), obj=result)
        return Response(ResultOutput(result).data)

    @extend_schema(request=NewResultInput, responses={201: ResultOutput})
    def create(self, request):
        data = NewResultInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        result = services.create_result(by=request.user, patient=values["patient"], data=result_data(request, values))
        return Response(ResultOutput(selectors.result_with_album(result.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ResultChangeInput, responses=ResultOutput)
    def update(self, request, pk=None):
        return self.change(request, partial=False)

    @extend_schema(request=ResultChangeInput, responses=ResultOutput)
    def partial_update(self, request, pk=None):
        return self.change(request, partial=True)

    def change(self, request, *, partial: bool):
        result = self.get_result()
        data = ResultChangeInput(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        current = {"test_type": result.test_type, "summary": result.summary, "performed_by": result.performed_by,
                   "performed_at": result.performed_at, "episode": result.episode, "booking": result.booking}
        values = current | data.validated_data
        services.update_result(by=request.user, result=result, data=result_data(request, values),
                               seen_at=data.validated_data.get("seen_at"))
        return Response(ResultOutput(selectors.result_with_album(result.pk)).data)

    @extend_schema(request={"multipart/form-data": GroupInput}, responses={201: ResultOutput})
    @action(detail=True, methods=["post"], url_path="groups", parser_classes=[MultiPartParser, FormParser])
    def groups(self, request, pk=None):
        """Adds one attachment group: a description and its files, in one multipart request."""
        result = self.get_result()
        data = GroupInput(data=request.data)
        data.is_valid(raise_exception=True)
        uploads = request.FILES.getlist("files") + request.FILES.getlist("files[]")
        services.add_group(by=request.user, result=result,
                           group=GroupData(description=data.validated_data["description"], uploads=uploads))
        return Response(ResultOutput(selectors.result_with_album(result.pk)).data, status=status.HTTP_201_CREATED)


def result_data(request, values: dict) -> ResultData:
    return ResultData(test_type=values["test_type"], summary=values["summary"],
                      performed_by=values.get("performed_by") or request.user,
                      performed_at=values.get("performed_at") or clock.now(),
                      episode=values.get("episode"), booking=values.get("booking"))


class LabGroupViewSet(InvisibleRecords, viewsets.GenericViewSet):
    """One attachment group: delete it with all its files."""

    lookup_value_regex = r"\d+"
    capabilities = {"GET": "lab.view", "*": "lab.manage"}
    queryset = AttachmentGroup.objects.select_related("result")
    serializer_class = GroupOutput

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        services.delete_group(by=request.user, group=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class LabFileViewSet(InvisibleRecords, viewsets.GenericViewSet):
    """One attached file: its description, the file itself (access-logged), its thumbnail, deletion."""

    lookup_value_regex = r"\d+"
    capabilities = {"GET": "lab.view", "*": "lab.manage"}
    queryset = Attachment.objects.select_related("group__result")
    serializer_class = AttachmentOutput

    def retrieve(self, request, pk=None):
        attachment = self.get_object()
        audit.log_access(by=request.user, patient_id=attachment.group.result.patient_id,
                         what=gettext_noop("lab attachment"), obj=attachment)
        return Response(AttachmentOutput(attachment).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        services.delete_attachment(by=request.user, attachment=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={(200, content_type): OpenApiTypes.BINARY for content_type in files.CONTENT_TYPES})
    @action(detail=True, methods=["get"], renderer_classes=DOWNLOAD_RENDERERS)
    def download(self, request, pk=None):
        attachment = self.get_object()
        audit.log_access(by=request.user, patient_id=attachment.group.result.patient_id,
                         what=gettext_noop("lab attachment"),
                         obj=attachment)
        response = FileResponse(open_stored(attachment.file), content_type=attachment.content_type,
                                as_attachment=True, filename=attachment.download_name)
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(responses={(200, "image/jpeg"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], renderer_classes=DOWNLOAD_RENDERERS)
    def thumbnail(self, request, pk=None):
        attachment = self.get_object()
        if not attachment.thumbnail:
            raise Http404
        audit.log_access(by=request.user, patient_id=attachment.group.result.patient_id,
                         what=gettext_noop("lab attachment thumbnail"), obj=attachment)
        response = FileResponse(open_stored(attachment.thumbnail), content_type="image/jpeg")
        response["Cache-Control"] = "private, max-age=86400, immutable"
        return response


def open_stored(field):
    try:
        return field.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error


class LabTestTypeInput(serializers.Serializer):
    code = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=120)
    is_active = serializers.BooleanField(default=True)


class LabTestTypeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Test types: everyone in the lab reads them; Admin keeps the list."""

    lookup_value_regex = r"\d+"
    capabilities = {"GET": "lab.view", "*": "lab.test_types"}
    serializer_class = LabTestTypeOutput
    pagination_class = None

    def get_queryset(self):
        return LabTestType.objects.order_by("name")

    @extend_schema(request=LabTestTypeInput, responses={201: LabTestTypeOutput})
    def create(self, request):
        data = LabTestTypeInput(data=request.data)
        data.is_valid(raise_exception=True)
        test_type = services.create_test_type(by=request.user, **data.validated_data)
        return Response(LabTestTypeOutput(test_type).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LabTestTypeInput, responses=LabTestTypeOutput)
    def update(self, request, pk=None):
        data = LabTestTypeInput(data=request.data)
        data.is_valid(raise_exception=True)
        test_type = services.update_test_type(by=request.user, test_type=self.get_object(), **data.validated_data)
        return Response(LabTestTypeOutput(test_type).data)

