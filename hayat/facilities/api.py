"""REST API for departments, wards, buildings, amenities, room types, rooms, beds, maintenance and availability.

Reads need facilities.view; writes go through the same services as the web pages (facilities.manage, or
maintenance.manage for maintenance). Nothing is deleted through the API: records are taken out of service.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response
from rest_framework.views import APIView

from hayat.accounts.models import Department, Specialisation, User
from hayat.core.charging import HOURLY
from hayat.core.money import MAX_DIGITS
from hayat.core.params import MAX_ID, SaneDateSerializerField, SaneDateTimeSerializerField
from hayat.facilities import availability, maintenance, selectors, services
from hayat.facilities.models import (
    MAX_CAPACITY,
    Amenity,
    Bed,
    Building,
    Maintenance,
    MaintenanceKind,
    MaintenanceStatus,
    Room,
    RoomType,
    RoomUse,
    Ward,
)

READ = "facilities.view"
MANAGE = "facilities.manage"


class WriteThroughServices(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """List, read, create and update (PUT or PATCH); every write is a service call with the acting user.

    `input_class` validates the request, `write(data, instance)` calls the service and returns the record.
    A PATCH is the current record with the given fields changed, checked as a whole.
    """

    input_class: type[serializers.Serializer]
    filter_backends = [*viewsets.ReadOnlyModelViewSet.filter_backends, OrderingFilter]
    capabilities = {"GET": READ, "*": MANAGE}

    def write(self, data: dict, instance=None):
        raise NotImplementedError

    def create(self, request, *args, **kwargs):
        incoming = self.input_class(data=request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        record = self.write(incoming.validated_data)
        return Response(self.output(record), status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial: bool = False, **kwargs):
        instance = self.get_object()
        data = request.data.dict() if hasattr(request.data, "dict") else request.data
        if partial and isinstance(data, dict):  # anything else is refused by the input's own check below
            data = {**self.input_class(instance, context=self.get_serializer_context()).data, **data}
        incoming = self.input_class(instance, data=data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        record = self.write(incoming.validated_data, instance)
        return Response(self.output(record))

    def output(self, record) -> dict:
        record = self.get_queryset().get(pk=record.pk)
        return self.get_serializer(record).data


def search(view) -> str:
    return view.request.query_params.get("search", "").strip()[:100]


# Departments and wards ---------------------------------------------------------------------------------------

class DepartmentOutput(serializers.ModelSerializer):
    specialisation_name = serializers.CharField(source="specialisation.name", default=None, allow_null=True,
                                                read_only=True)

    class Meta:
        model = Department
        fields = ["id", "name", "code", "specialisation", "specialisation_name", "is_active"]


class DepartmentInput(serializers.ModelSerializer):
    specialisation = serializers.PrimaryKeyRelatedField(queryset=Specialisation.objects.all(), required=False,
                                                        allow_null=True)
    new_specialisation = serializers.CharField(max_length=120, required=False, allow_blank=True, write_only=True)

    class Meta:
        model = Department
        fields = ["name", "code", "specialisation", "new_specialisation", "is_active"]


class DepartmentViewSet(WriteThroughServices):
    serializer_class = DepartmentOutput
    input_class = DepartmentInput
    filterset_fields = ["is_active", "specialisation"]
    ordering_fields = ["name", "code"]

    def get_queryset(self):
        return selectors.departments(search=search(self))

    def write(self, data, instance=None):
        department = services.DepartmentData(
            name=data["name"], code=data["code"], specialisation=data.get("specialisation"),
            new_specialisation=data.get("new_specialisation", ""), is_active=data.get("is_active", True))
        if instance is None:
            return services.create_department(by=self.request.user, data=department)
        return services.update_department(by=self.request.user, department=instance, data=department)


class WardSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    building_code = serializers.CharField(source="building.code", read_only=True)

    class Meta:
        model = Ward
        fields = ["id", "name", "department", "department_name", "building", "building_code", "floor", "is_active"]


class WardViewSet(WriteThroughServices):
    serializer_class = input_class = WardSerializer
    filterset_fields = ["department", "building", "is_active"]
    ordering_fields = ["name", "floor"]

    def get_queryset(self):
        return selectors.wards(search=search(self))

    def write(self, data, instance=None):
        ward = services.WardData(name=data["name"], department=data["department"], building=data["building"],
                                 floor=data.get("floor", 1), is_active=data.get("is_active", True))
        if instance is None:
            return services.create_ward(by=self.request.user, data=ward)
        return services.update_ward(by=self.request.user, ward=instance, data=ward)


# Buildings, amenities, room types ----------------------------------------------------------------------------

class BuildingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Building
        fields = ["id", "code", "name", "address", "is_active"]


class BuildingViewSet(WriteThroughServices):
    serializer_class = input_class = BuildingSerializer
    filterset_fields = ["is_active"]
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return selectors.buildings(search=search(self))

    def write(self, data, instance=None):
        building = services.BuildingData(code=data["code"], name=data["name"], address=data.get("address", ""),
                                         is_active=data.get("is_active", True))
        if instance is None:
            return services.create_building(by=self.request.user, data=building)
        return services.update_building(by=self.request.user, building=instance, data=building)


class AmenitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Amenity
        fields = ["id", "name", "icon"]


class AmenityViewSet(WriteThroughServices):
    serializer_class = input_class = AmenitySerializer
    ordering_fields = ["name"]

    def get_queryset(self):
        return selectors.amenities(search=search(self))

    def write(self, data, instance=None):
        return services.save_amenity(by=self.request.user, amenity=instance,
                                     data=services.AmenityData(name=data["name"], icon=data.get("icon", "")))


class RoomTypeSerializer(serializers.ModelSerializer):
    rooms = serializers.IntegerField(source="room_count", read_only=True)
    places = serializers.IntegerField(source="place_count", read_only=True)

    class Meta:
        model = RoomType
        fields = ["id", "name", "description", "use", "is_active", "charge_unit", "minimum_units", "grace_minutes",
                  "free_minutes", "rooms", "places"]


class RoomTypeViewSet(WriteThroughServices):
    serializer_class = input_class = RoomTypeSerializer
    filterset_fields = ["is_active"]
    ordering_fields = ["name"]

    def get_queryset(self):
        return selectors.room_types(search=search(self))

    def write(self, data, instance=None):
        current = instance.charge_policy if instance is not None else HOURLY
        room_type = services.RoomTypeData(
            name=data["name"], description=data.get("description", ""), is_active=data.get("is_active", True),
            use=data.get("use", instance.use if instance is not None else RoomUse.SANATORIUM),
            charge_unit=data.get("charge_unit", current.unit),
            minimum_units=data.get("minimum_units", current.minimum_units),
            grace_minutes=data.get("grace_minutes", current.grace_minutes),
            free_minutes=data.get("free_minutes", current.free_minutes))
        if instance is None:
            return services.create_room_type(by=self.request.user, data=room_type)
        return services.update_room_type(by=self.request.user, room_type=instance, data=room_type)


# Rooms and beds ----------------------------------------------------------------------------------------------

class BedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Bed
        fields = ["id", "room", "number", "is_active"]


class RoomOutput(serializers.ModelSerializer):
    room_type_name = serializers.CharField(source="room_type.name", read_only=True)
    building_code = serializers.CharField(source="building.code", read_only=True)
    beds = serializers.SerializerMethodField()

    class Meta:
        model = Room
        fields = ["id", "name", "room_type", "room_type_name", "building", "building_code", "floor", "ward",
                  "capacity", "amenities", "base_price", "hourly_rate", "is_active", "notes", "beds"]

    def get_beds(self, room) -> list[dict]:
        return [{"id": bed.pk, "number": bed.number, "is_active": bed.is_active} for bed in room.beds.all()]


class RoomInput(serializers.ModelSerializer):
    amenities = serializers.PrimaryKeyRelatedField(queryset=Amenity.objects.all(), many=True, required=False)
    base_price = serializers.DecimalField(max_digits=MAX_DIGITS, decimal_places=2, min_value=0)
    hourly_rate = serializers.DecimalField(max_digits=MAX_DIGITS, decimal_places=2, min_value=0, required=False)
    capacity = serializers.IntegerField(min_value=1, max_value=MAX_CAPACITY)

    class Meta:
        model = Room
        fields = ["name", "room_type", "building", "floor", "ward", "capacity", "amenities", "base_price",
                  "hourly_rate", "is_active", "notes"]


class RoomViewSet(WriteThroughServices):
    serializer_class = RoomOutput
    input_class = RoomInput
    filterset_fields = ["room_type", "building", "floor", "ward", "is_active"]
    ordering_fields = ["name", "floor", "capacity", "base_price", "hourly_rate"]

    def get_queryset(self):
        return selectors.rooms(search=search(self)).prefetch_related("beds")

    def write(self, data, instance=None):
        room = services.RoomData(
            name=data["name"], room_type=data["room_type"], building=data["building"], floor=data.get("floor", 1),
            capacity=data["capacity"], base_price=data["base_price"], hourly_rate=data.get("hourly_rate", 0),
            ward=data.get("ward"), amenities=list(data.get("amenities", [])), is_active=data.get("is_active", True),
            notes=data.get("notes", ""))
        if instance is None:
            return services.create_room(by=self.request.user, data=room)
        return services.update_room(by=self.request.user, room=instance, data=room)


class BedInput(serializers.Serializer):
    room = serializers.PrimaryKeyRelatedField(queryset=Room.objects.all())
    number = serializers.CharField(max_length=10, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False, default=True)


class BedViewSet(WriteThroughServices):
    """Adding a bed raises its room's capacity; taking one out of service (is_active false) lowers it."""

    serializer_class = BedSerializer
    input_class = BedInput
    filterset_fields = ["room", "is_active"]
    ordering_fields = ["number"]

    def get_queryset(self):
        return selectors.beds()

    def write(self, data, instance=None):
        if instance is None:
            return services.add_bed(by=self.request.user, room=data["room"], number=data.get("number", ""))
        if data["room"].pk != instance.room_id:
            raise serializers.ValidationError({"room": [_("A bed cannot move to another room.")]})
        if data.get("number") and data["number"] != instance.number:
            instance = services.rename_bed(by=self.request.user, bed=instance, number=data["number"])
        if data.get("is_active", True) != instance.is_active:
            instance = services.set_bed_active(by=self.request.user, bed=instance, active=data["is_active"])
        return instance


# Maintenance -------------------------------------------------------------------------------------------------

class MaintenanceOutput(serializers.ModelSerializer):
    room_name = serializers.CharField(source="room.name", read_only=True)
    bed_number = serializers.CharField(source="bed.number", default=None, allow_null=True, read_only=True)

    class Meta:
        model = Maintenance
        fields = ["id", "room", "room_name", "bed", "bed_number", "kind", "description", "start", "end", "status",
                  "performed_by", "created_at"]


class MaintenanceInput(serializers.Serializer):
    room = serializers.PrimaryKeyRelatedField(queryset=Room.objects.all())
    bed = serializers.PrimaryKeyRelatedField(queryset=Bed.objects.all(), required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=MaintenanceKind.choices)
    start = SaneDateTimeSerializerField()
    end = SaneDateTimeSerializerField()
    description = serializers.CharField(required=False, allow_blank=True)
    performed_by = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)

    def to_representation(self, period):
        return {"room": period.room_id, "bed": period.bed_id, "kind": period.kind, "start": period.start,
                "end": period.end, "description": period.description, "performed_by": period.performed_by_id}


class MaintenanceTransitionInput(serializers.Serializer):
    to = serializers.ChoiceField(choices=MaintenanceStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class MaintenanceViewSet(WriteThroughServices):
    """Maintenance periods; overlapping ones, or ones closing an occupied place, are refused with 409."""

    serializer_class = MaintenanceOutput
    input_class = MaintenanceInput
    capabilities = {"GET": READ, "*": "maintenance.manage"}
    filterset_fields = ["room", "bed", "status", "kind"]
    ordering_fields = ["start", "end"]

    def get_queryset(self):
        return selectors.maintenance(search=search(self))

    def write(self, data, instance=None):
        period = maintenance.MaintenanceData(
            room=data["room"], bed=data.get("bed"), kind=data["kind"], start=data["start"], end=data["end"],
            description=data.get("description", ""), performed_by=data.get("performed_by"))
        if instance is None:
            return maintenance.schedule(by=self.request.user, data=period)
        return maintenance.reschedule(by=self.request.user, period=instance, data=period)

    @extend_schema(request=MaintenanceTransitionInput, responses=MaintenanceOutput)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        incoming = MaintenanceTransitionInput(data=request.data)
        incoming.is_valid(raise_exception=True)
        period = maintenance.transition(by=request.user, period=self.get_object(), to=incoming.validated_data["to"],
                                        reason=incoming.validated_data.get("reason", ""))
        return Response(self.output(period))


# Availability ------------------------------------------------------------------------------------------------

class RangeInput(serializers.Serializer):
    start = SaneDateSerializerField()
    end = SaneDateSerializerField()
    room_type = serializers.PrimaryKeyRelatedField(queryset=RoomType.objects.all(), required=False, allow_null=True)
    guests = serializers.IntegerField(required=False, min_value=1, max_value=50, default=1)


RANGE_PARAMETERS = [
    OpenApiParameter("start", str, description="First day (YYYY-MM-DD)", required=True),
    OpenApiParameter("end", str, description="Day after the last one (YYYY-MM-DD)", required=True),
]


class AvailabilityView(APIView):
    """The room type × day matrix: places in service, free places and wholly free rooms per day."""

    capabilities = {"GET": READ}

    @extend_schema(parameters=RANGE_PARAMETERS, responses={200: dict})
    def get(self, request):
        incoming = RangeInput(data=request.query_params)
        incoming.is_valid(raise_exception=True)
        matrix = availability.availability_matrix(incoming.validated_data["start"], incoming.validated_data["end"])
        return Response({
            "start": matrix.start, "end": matrix.end, "days": matrix.days,
            "room_types": [{"id": row.room_type.pk, "name": row.room_type.name,
                            "cells": [cell_data(cell) for cell in row.cells]} for row in matrix.rows],
            "totals": [cell_data(cell) for cell in matrix.totals],
        })


def cell_data(cell: availability.Cell) -> dict:
    return {"day": cell.day, "rooms": cell.rooms, "places": cell.places, "free_rooms": cell.free_rooms,
            "free_places": cell.free_places}


class FreeRoomsView(APIView):
    """Rooms with at least `guests` places free on every day of [start, end)."""

    capabilities = {"GET": READ}

    @extend_schema(parameters=[*RANGE_PARAMETERS, OpenApiParameter("guests", int),
                               OpenApiParameter("room_type", int)], responses={200: dict})
    def get(self, request):
        incoming = RangeInput(data=request.query_params)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        rooms = availability.free_room_places(data["start"], data["end"], room_type=data.get("room_type"),
                                              guests=data["guests"])
        return Response([{"id": room.pk, "name": room.name, "building": room.building.code,
                          "room_type": room.room_type_id, "floor": room.floor, "free_places": places}
                         for room, places in rooms])


class FreeBedsInput(RangeInput):
    ward = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class FreeBedsView(APIView):
    """Beds nobody uses and no maintenance blocks on any day of [start, end)."""

    capabilities = {"GET": READ}

    @extend_schema(parameters=[*RANGE_PARAMETERS, OpenApiParameter("room_type", int),
                               OpenApiParameter("ward", int)], responses={200: dict})
    def get(self, request):
        incoming = FreeBedsInput(data=request.query_params)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        beds = availability.free_beds(data["start"], data["end"], room_type=data.get("room_type"),
                                      ward=data.get("ward"))
        return Response([{"id": bed.pk, "number": bed.number, "room": bed.room_id, "room_name": bed.room.name,
                          "building": bed.room.building.code, "ward": bed.room.ward_id} for bed in beds])
