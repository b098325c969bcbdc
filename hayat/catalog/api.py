"""REST API for service types, services, tariffs (with included services) and the tariff × room-type prices.

Reads need catalog.view; writes catalog.manage and go through the same services as the web pages.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from hayat.catalog import selectors, services
from hayat.catalog.models import Service, ServiceType, SessionBasis, Tariff, TariffPrice
from hayat.catalog.pricing import price_for
from hayat.core.charging import POLICY_FIELDS
from hayat.core.money import MAX_DIGITS
from hayat.facilities.api import WriteThroughServices, search
from hayat.facilities.models import Room, RoomType

READ = "catalog.view"
MANAGE = "catalog.manage"


class CatalogViewSet(WriteThroughServices):
    capabilities = {"GET": READ, "*": MANAGE}


class ServiceTypeSerializer(serializers.ModelSerializer):
    services = serializers.IntegerField(source="service_count", read_only=True)

    class Meta:
        model = ServiceType
        fields = ["id", "name", "description", "is_active", "services"]


class ServiceTypeViewSet(CatalogViewSet):
    serializer_class = input_class = ServiceTypeSerializer
    filterset_fields = ["is_active"]
    ordering_fields = ["name"]

    def get_queryset(self):
        return selectors.service_types(search=search(self))

    def write(self, data, instance=None):
        return services.save_service_type(by=self.request.user, service_type=instance, data=services.ServiceTypeData(
            name=data["name"], description=data.get("description", ""), is_active=data.get("is_active", True)))


class ServiceSerializer(serializers.ModelSerializer):
    service_type_name = serializers.CharField(source="service_type.name", read_only=True)
    price = serializers.DecimalField(max_digits=MAX_DIGITS, decimal_places=2, min_value=0)
    code = serializers.CharField(max_length=20, required=False, allow_blank=True, allow_null=True)

    class Meta:
        model = Service
        fields = ["id", "name", "code", "service_type", "service_type_name", "duration_minutes", "price",
                  "description", "is_active", "charged_by_time", "charge_unit", "minimum_units", "grace_minutes",
                  "free_minutes"]


class ServiceViewSet(CatalogViewSet):
    serializer_class = input_class = ServiceSerializer
    filterset_fields = ["service_type", "is_active"]
    ordering_fields = ["name", "price", "duration_minutes"]

    def get_queryset(self):
        return selectors.services(search=search(self))

    def write(self, data, instance=None):
        return services.save_service(by=self.request.user, service=instance, data=services.ServiceData(
            service_type=data["service_type"], name=data["name"], price=data["price"],
            duration_minutes=data.get("duration_minutes", 30), code=data.get("code") or "",
            description=data.get("description", ""), is_active=data.get("is_active", True),
            **{name: data.get(name, getattr(instance or Service(), name)) for name in ("charged_by_time",
                                                                                         *POLICY_FIELDS)}))


class IncludedService(serializers.Serializer):
    service = serializers.PrimaryKeyRelatedField(queryset=Service.objects.all())
    service_name = serializers.CharField(source="service.name", read_only=True)
    sessions = serializers.IntegerField(min_value=1, max_value=500)


class RoomTypePrice(serializers.Serializer):
    room_type = serializers.IntegerField(source="room_type_id")
    room_type_name = serializers.CharField(source="room_type.name")
    price = serializers.DecimalField(max_digits=MAX_DIGITS, decimal_places=2)


class TariffOutput(serializers.ModelSerializer):
    included = IncludedService(many=True)
    prices = RoomTypePrice(many=True)

    class Meta:
        model = Tariff
        fields = ["id", "name", "code", "description", "sessions_basis", "length_days", "is_active", "included",
                  "prices"]


class TariffInput(serializers.ModelSerializer):
    included = IncludedService(many=True, required=False,
                               help_text="When given, the tariff includes exactly these services.")

    class Meta:
        model = Tariff
        fields = ["name", "code", "description", "sessions_basis", "length_days", "is_active", "included"]

    def validate_included(self, value):
        services_ = [item["service"].pk for item in value]
        if len(services_) != len(set(services_)):
            raise serializers.ValidationError(_("Each service may be included once."))
        return value


class TariffViewSet(CatalogViewSet):
    """Tariffs with their included services (and sessions) and their prices per room type."""

    serializer_class = TariffOutput
    input_class = TariffInput
    filterset_fields = ["is_active"]
    ordering_fields = ["name", "code"]

    def get_queryset(self):
        return selectors.tariffs(search=search(self))

    def write(self, data, instance=None):
        tariff = services.save_tariff(by=self.request.user, tariff=instance, data=services.TariffData(
            name=data["name"], code=data["code"], description=data.get("description", ""),
            is_active=data.get("is_active", True),
            sessions_basis=data.get("sessions_basis", instance.sessions_basis if instance else SessionBasis.PACKAGE),
            length_days=data.get("length_days", instance.length_days if instance else None)))
        if "included" in data:
            services.set_included_services(by=self.request.user, tariff=tariff,
                                           sessions={item["service"]: item["sessions"] for item in data["included"]})
        return tariff


class TariffPriceSerializer(serializers.ModelSerializer):
    tariff_name = serializers.CharField(source="tariff.name", read_only=True)
    room_type_name = serializers.CharField(source="room_type.name", read_only=True)
    price = serializers.DecimalField(max_digits=MAX_DIGITS, decimal_places=2, min_value=0)

    class Meta:
        model = TariffPrice
        fields = ["id", "tariff", "tariff_name", "room_type", "room_type_name", "price"]
        validators = []  # a second price for the same cell replaces the first: the grid has one value per cell


class GridCell(serializers.Serializer):
    tariff = serializers.PrimaryKeyRelatedField(queryset=Tariff.objects.all())
    room_type = serializers.PrimaryKeyRelatedField(queryset=RoomType.objects.all())
    price = serializers.DecimalField(max_digits=MAX_DIGITS, decimal_places=2, min_value=0, allow_null=True)


class ResolveInput(serializers.Serializer):
    tariff = serializers.PrimaryKeyRelatedField(queryset=Tariff.objects.all(), required=False, allow_null=True)
    room = serializers.PrimaryKeyRelatedField(queryset=Room.objects.all())


class TariffPriceViewSet(mixins.DestroyModelMixin, CatalogViewSet):
    """The price grid cell by cell. POSTing a cell that has a price replaces it; DELETE clears it."""

    serializer_class = input_class = TariffPriceSerializer
    filterset_fields = ["tariff", "room_type"]
    ordering_fields = ["price"]

    def get_queryset(self):
        return selectors.price_rows()

    def write(self, data, instance=None):
        if instance is not None and (data["tariff"].pk, data["room_type"].pk) != (instance.tariff_id,
                                                                                  instance.room_type_id):
            raise serializers.ValidationError({"tariff": [_("Change the price only; clear the cell to move it.")]})
        return services.set_price(by=self.request.user, tariff=data["tariff"], room_type=data["room_type"],
                                  price=data["price"])

    def perform_destroy(self, instance):
        services.set_price(by=self.request.user, tariff=instance.tariff, room_type=instance.room_type, price=None)

    @extend_schema(request=GridCell(many=True), responses={200: TariffPriceSerializer(many=True)})
    @action(detail=False, methods=["post"], pagination_class=None)
    def grid(self, request):
        """Writes many cells at once; a null price clears its cell."""
        cells = GridCell(data=request.data, many=True)
        cells.is_valid(raise_exception=True)
        services.set_price_grid(by=request.user, prices={(cell["tariff"].pk, cell["room_type"].pk): cell["price"]
                                                         for cell in cells.validated_data})
        return Response(self.get_serializer(self.get_queryset(), many=True).data, status=status.HTTP_200_OK)

    @extend_schema(parameters=[OpenApiParameter("tariff", int), OpenApiParameter("room", int, required=True)],
                   responses={200: dict})
    @action(detail=False, methods=["get"])
    def resolve(self, request):
        """What one guest pays per day for a tariff (optional) in a room: the grid price, else the base price."""
        incoming = ResolveInput(data=request.query_params)
        incoming.is_valid(raise_exception=True)
        tariff, room = incoming.validated_data.get("tariff"), incoming.validated_data["room"]
        return Response({"tariff": getattr(tariff, "pk", None), "room": room.pk,
                         "price": str(price_for(tariff, room))})
