"""The messages over the API: the outbox (list, read, resend, cancel) and Admin's texts of each kind and language."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext_noop
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from hayat.core import audit
from hayat.core.api import AccessLoggedList
from hayat.core.params import MAX_ID, SaneDateSerializerField, id_from
from hayat.notifications import selectors, services, texts
from hayat.notifications.models import Channel, Kind, Message, State


class MessageOutput(serializers.ModelSerializer):
    class Meta:
        model = Message
        fields = ["id", "kind", "channel", "patient", "recipient", "language", "subject", "body", "attachment",
                  "state", "created_at", "due_at", "attempts", "sent_at", "answer"]


class MessageListOutput(serializers.ModelSerializer):
    class Meta:
        model = Message
        fields = ["id", "kind", "channel", "patient", "recipient", "state", "created_at", "due_at", "attempts",
                  "sent_at", "answer"]


class OutboxQuery(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices, required=False)
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    start = SaneDateSerializerField(required=False)
    end = SaneDateSerializerField(required=False)
    patient = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class MessageViewSet(AccessLoggedList, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The outbox: every message to a patient and what its gateway answered; resend or cancel one."""

    access_what = gettext_noop("outbox (API)")
    lookup_value_regex = r"\d+"
    capabilities = {"GET": "messages.view", "*": "messages.send"}
    serializer_class = MessageListOutput

    def get_queryset(self):
        query = OutboxQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = dict(query.validated_data)
        return selectors.outbox(patient_id=data.pop("patient", None), **data)

    def get_message(self) -> Message:
        message = Message.objects.filter(pk=id_from(self.kwargs["pk"])).first()
        if message is None:
            raise Http404
        return message

    @extend_schema(parameters=[OutboxQuery], responses=MessageListOutput(many=True))
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=MessageOutput)
    def retrieve(self, request, pk=None):
        message = self.get_message()
        audit.log_access(by=request.user, patient_id=message.patient_id, what=gettext_noop("message"), obj=message)
        return Response(MessageOutput(message).data)

    @extend_schema(request=None, responses=MessageOutput)
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        return Response(MessageOutput(services.resend(by=request.user, message=self.get_message())).data)

    @extend_schema(request=None, responses=MessageOutput)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return Response(MessageOutput(services.cancel(by=request.user, message=self.get_message())).data)


class TemplateSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    language = serializers.CharField(read_only=True)
    subject = serializers.CharField(max_length=200)
    email_body = serializers.CharField()
    sms_body = serializers.CharField()


def template_data(kind: str, language: str) -> dict:
    return {"kind": kind, "language": language, **vars(texts.texts_for(kind, language))}


class TemplateViewSet(viewsets.ViewSet):
    """The texts of each kind of message in each language (`<kind>-<language>`): Admin's, else the shipped default."""

    capabilities = {"*": "messages.settings"}
    lookup_value_regex = r"[a-z_]+-[a-z]{2}"

    def split(self, pk: str) -> tuple[str, str]:
        kind, _, language = pk.rpartition("-")
        if kind not in Kind.values or language not in dict(settings.LANGUAGES):
            raise Http404
        return kind, language

    @extend_schema(responses=TemplateSerializer(many=True))
    def list(self, request):
        return Response([template_data(kind, language) for kind in Kind.values
                         for language, _ in settings.LANGUAGES])

    @extend_schema(responses=TemplateSerializer)
    def retrieve(self, request, pk=None):
        return Response(template_data(*self.split(pk)))

    @extend_schema(request=TemplateSerializer, responses=TemplateSerializer)
    def update(self, request, pk=None):
        kind, language = self.split(pk)
        data = TemplateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.save_template(by=request.user, kind=kind, language=language,
                               data=services.TemplateData(**data.validated_data))
        return Response(template_data(kind, language))
