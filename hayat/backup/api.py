"""REST API of backups for Admin: the history, a new backup, verification, a restore and the download."""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from hayat.backup import selectors, services
from hayat.backup.models import Backup
from hayat.core import audit
from hayat.core.api import DOWNLOAD_RENDERERS


class BackupOutput(serializers.ModelSerializer):
    class Meta:
        model = Backup
        fields = ["id", "file_name", "location", "kind", "status", "error", "reason", "by", "started_at",
                  "finished_at", "size", "sha256", "hayat_version", "engine", "progress", "step", "verify_status",
                  "verified_at", "verify_problems"]


class BackupInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class RestoreInput(serializers.Serializer):
    confirmation = serializers.CharField(max_length=200, help_text="the archive's file name, typed to confirm")


class BackupViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = BackupOutput
    capabilities = {"*": "ops.backup"}
    queryset = Backup.objects.all()

    def get_queryset(self):
        return selectors.history() if self.action == "list" else Backup.objects.all()

    @extend_schema(request=BackupInput, responses={202: BackupOutput})
    def create(self, request):
        data = BackupInput(data=request.data)
        data.is_valid(raise_exception=True)
        backup = services.start_backup(by=request.user, reason=data.validated_data["reason"])
        return Response(BackupOutput(backup).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={202: BackupOutput})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        backup = services.start_verify(backup=self.get_object(), by=request.user)
        return Response(BackupOutput(backup).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=RestoreInput, responses={202: None})
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        data = RestoreInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.start_restore(backup=self.get_object(), by=request.user,
                               confirmation=data.validated_data["confirmation"])
        return Response(status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], renderer_classes=DOWNLOAD_RENDERERS)
    def download(self, request, pk=None):
        backup = self.get_object()
        path = services.archive_path(backup)
        audit.record("backup.download", by=request.user, obj=backup)
        return FileResponse(path.open("rb"), as_attachment=True, filename=backup.file_name)
