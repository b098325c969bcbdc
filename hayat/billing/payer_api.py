"""The API of payers: paying organisations, a booking's payers, moving a guest's lines, an episode bill's payer.
Thin: each write goes through one service of hayat.billing.payers, and takes an `Idempotency-Key`."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from hayat.billing import payers
from hayat.billing.api import ID_PATTERN, BillOutput
from hayat.billing.models import Bill, Organisation, OrganisationKind
from hayat.core.idempotency import idempotent
from hayat.core.params import MAX_ID
from hayat.stays.models import Booking


class OrganisationSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=OrganisationKind.choices, default=OrganisationKind.EMPLOYER)
    is_active = serializers.BooleanField(default=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "tax_number", "address", "contact", "is_active"]
        read_only_fields = ["id"]
        # the service says when a name is taken, in the same words as on the page
        extra_kwargs = {"name": {"validators": []}}


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisations that pay bills (employers, insurers); they are retired by making them inactive (PATCH), never
    deleted."""

    lookup_value_regex = ID_PATTERN
    serializer_class = OrganisationSerializer
    capabilities = {"*": "billing.manage_payers"}
    filter_backends = []

    def get_queryset(self):
        return Organisation.objects.order_by("name", "id")

    @idempotent
    def create(self, request):
        data = OrganisationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = payers.save_organisation(by=request.user, values=data.validated_data)
        return Response(OrganisationSerializer(organisation).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        organisation = get_object_or_404(Organisation, pk=pk)
        data = OrganisationSerializer(organisation, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = {**OrganisationSerializer(organisation).data, **data.validated_data}
        organisation = payers.save_organisation(by=request.user, organisation=organisation, values=values)
        return Response(OrganisationSerializer(organisation).data)


class BillPerGuestInput(serializers.Serializer):
    booking = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    per_guest = serializers.BooleanField()


class MoveGuestInput(serializers.Serializer):
    booking = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    to = serializers.CharField(max_length=30, help_text='"own", "all", "org:<organisation id>" or "bill:<bill id>"')


class EpisodePayerInput(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), allow_null=True)


class BillPerGuestView(APIView):
    """One payer for every guest of a booking, or a bill per guest (until the first payment); answers its bills."""

    capabilities = {"POST": "billing.manage_payers"}

    @extend_schema(request=BillPerGuestInput, responses={200: BillOutput(many=True)})
    @idempotent
    def post(self, request):
        data = BillPerGuestInput(data=request.data)
        data.is_valid(raise_exception=True)
        booking = get_object_or_404(Booking, pk=data.validated_data["booking"])
        bills = payers.set_bill_per_guest(by=request.user, booking=booking,
                                          per_guest=data.validated_data["per_guest"])
        return Response(BillOutput(bills, many=True).data)


class MoveGuestView(APIView):
    """Moves a guest's lines to another payer's bill of the booking; answers the bill they are on now."""

    capabilities = {"POST": "billing.manage_payers"}

    @extend_schema(request=MoveGuestInput, responses={200: BillOutput})
    @idempotent
    def post(self, request):
        data = MoveGuestInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        booking = get_object_or_404(Booking, pk=values["booking"])
        bill = payers.move_guest(by=request.user, booking=booking, patient_id=values["patient"], target=values["to"])
        return Response(BillOutput(bill).data)


class EpisodePayerView(APIView):
    """Makes an organisation (or, with null, the patient) the payer of an episode's bill."""

    capabilities = {"POST": "billing.manage_payers"}

    @extend_schema(request=EpisodePayerInput, responses={200: BillOutput})
    @idempotent
    def post(self, request, pk):
        bill = get_object_or_404(Bill, pk=pk)
        data = EpisodePayerInput(data=request.data)
        data.is_valid(raise_exception=True)
        bill = payers.set_episode_payer(by=request.user, bill=bill, organisation=data.validated_data["organisation"])
        return Response(BillOutput(bill).data)
