"""REST API of billing: bills with their items and actions, payments and deposits, refunds, the cash report.

Thin like the web views: input serializers check shapes, the same services decide.
"""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from hayat.billing import bookings, cashbook, dayclose, payments, selectors, services
from hayat.billing.models import (
    ADDED_KINDS,
    Bill,
    BillItem,
    BillStatus,
    BillStatusChange,
    DayClose,
    Payment,
    PaymentKind,
    PaymentMethod,
    RefundRequest,
    RefundStatus,
)
from hayat.catalog.models import Service
from hayat.core import audit, clock
from hayat.core.api import DOWNLOAD_RENDERERS, AccessLoggedList
from hayat.core.idempotency import idempotent
from hayat.core.params import MAX_ID, SaneDateSerializerField
from hayat.patients.models import Patient
from hayat.stays.models import Booking

# Ids in the API's paths are ASCII digits: anything else is a 404 from the router, never a lookup that fails.
ID_PATTERN = r"[0-9]+"

# --- output -----------------------------------------------------------------------------------------------


class ItemOutput(serializers.ModelSerializer):
    class Meta:
        model = BillItem
        fields = ["id", "kind", "description", "quantity", "unit_price", "amount", "reason", "source_key",
                  "service", "bed_assignment", "is_final", "corrects", "added_at", "added_by"]


class LineOutput(serializers.Serializer):
    item = serializers.IntegerField(source="item.pk", allow_null=True, default=None)
    kind = serializers.CharField()
    description = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=10, decimal_places=2)
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=2)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    live = serializers.BooleanField(help_text=_("Worked out from the facts this minute; not saved yet."))
    accruing = serializers.BooleanField()
    reason = serializers.CharField()
    corrected = serializers.BooleanField()


class BillOutput(serializers.ModelSerializer):
    patient_name = serializers.CharField(source="patient.full_name")
    patient_code = serializers.CharField(source="patient.code")
    booking_number = serializers.CharField(source="booking.number", default=None, allow_null=True)
    episode_case_number = serializers.CharField(source="episode.case_number", default=None, allow_null=True)
    payer_name = serializers.CharField(read_only=True)

    class Meta:
        model = Bill
        fields = ["id", "number", "status", "patient", "patient_name", "patient_code", "booking", "booking_number",
                  "episode", "episode_case_number", "payer_key", "organisation", "payer_name", "items_total",
                  "paid_total", "balance", "opened_at", "created_at", "updated_at"]


class PaymentOutput(serializers.ModelSerializer):
    bill_number = serializers.CharField(source="bill.number", default=None, allow_null=True)
    received_by_name = serializers.CharField(source="received_by.full_name")

    class Meta:
        model = Payment
        fields = ["id", "number", "kind", "method", "patient", "bill", "bill_number", "booking", "amount",
                  "balance_after", "received_by", "received_by_name", "at", "note"]


class StatusChangeOutput(serializers.ModelSerializer):
    by_name = serializers.CharField(source="by.full_name", default=None, allow_null=True)

    class Meta:
        model = BillStatusChange
        fields = ["at", "from_status", "to_status", "reason", "by", "by_name"]


class BillDetailOutput(BillOutput):
    lines = serializers.SerializerMethodField()
    live_total = serializers.SerializerMethodField()
    live_balance = serializers.SerializerMethodField()
    items = ItemOutput(many=True)
    payments = PaymentOutput(many=True)
    deposit_available = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    class Meta(BillOutput.Meta):
        fields = [*BillOutput.Meta.fields, "live_total", "live_balance", "lines", "items", "payments",
                  "deposit_available", "history"]

    def view(self, bill):
        if "view_of_bill" not in self.context:
            self.context["view_of_bill"] = selectors.live_bill(bill)
        return self.context["view_of_bill"]

    @extend_schema_field(LineOutput(many=True))
    def get_lines(self, bill) -> list:
        return [LineOutput(line).data for _label, rows in self.view(bill).groups for line in rows]

    def get_live_total(self, bill) -> str:
        return str(self.view(bill).total)

    def get_live_balance(self, bill) -> str:
        return str(self.view(bill).balance)

    def get_deposit_available(self, bill) -> str:
        return str(selectors.deposit_balance(bill.patient_id))

    @extend_schema_field(StatusChangeOutput(many=True))
    def get_history(self, bill) -> list:
        """Every status the bill went through, oldest first: the same history the bill page shows."""
        return StatusChangeOutput(selectors.timeline(bill), many=True).data


class RefundOutput(serializers.ModelSerializer):
    payment_number = serializers.CharField(source="payment.number", default=None, allow_null=True)

    class Meta:
        model = RefundRequest
        fields = ["id", "patient", "bill", "amount", "method", "reason", "status", "requested_by", "requested_at",
                  "decided_by", "decided_at", "decision_note", "payment", "payment_number"]


# --- input ------------------------------------------------------------------------------------------------


class OpenBillInput(serializers.Serializer):
    booking = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    episode = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)

    def validate(self, data):
        if ("booking" in data) == ("episode" in data):
            raise serializers.ValidationError(_("Give a booking or an episode."))
        return data


class ItemInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[(kind.value, kind.label) for kind in ADDED_KINDS])
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    quantity = serializers.DecimalField(max_digits=10, decimal_places=2, default=1)
    unit_price = serializers.CharField(max_length=24, required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    service = serializers.PrimaryKeyRelatedField(queryset=Service.objects.all(), required=False, allow_null=True,
                                                 default=None)


class ItemRefInput(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class BillReasonInput(serializers.Serializer):
    reason = serializers.CharField()


class AmountInput(serializers.Serializer):
    amount = serializers.CharField(max_length=24, required=False, allow_blank=True, default="")


class PaymentInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[PaymentKind.PAYMENT, PaymentKind.DEPOSIT], default=PaymentKind.PAYMENT)
    bill = serializers.PrimaryKeyRelatedField(queryset=Bill.objects.all(), required=False, allow_null=True,
                                              default=None)
    patient = serializers.PrimaryKeyRelatedField(queryset=Patient.objects.all(), required=False, allow_null=True,
                                                 default=None)
    booking = serializers.PrimaryKeyRelatedField(
        queryset=Booking.objects.all(), required=False, allow_null=True, default=None,
        help_text=_("For a deposit taken for a booking: paid by its first guest, applied to its bill."))
    amount = serializers.CharField(max_length=24)
    method = serializers.ChoiceField(choices=PaymentMethod.choices, default=PaymentMethod.CASH)
    excess_to_deposit = serializers.BooleanField(default=False)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def validate(self, data):
        if data["kind"] == PaymentKind.PAYMENT and data["bill"] is None:
            raise serializers.ValidationError({"bill": [_("A payment is for a bill.")]})
        if data["kind"] == PaymentKind.DEPOSIT and (data["patient"] is None) == (data["booking"] is None):
            raise serializers.ValidationError({"patient": [_("A deposit is for a patient or for a booking.")]})
        if data["kind"] == PaymentKind.PAYMENT and data["booking"] is not None:
            raise serializers.ValidationError({"booking": [_("A payment is for a bill; a booking takes deposits.")]})
        return data


class RefundInput(serializers.Serializer):
    bill = serializers.PrimaryKeyRelatedField(queryset=Bill.objects.all(), required=False, allow_null=True,
                                              default=None)
    patient = serializers.PrimaryKeyRelatedField(queryset=Patient.objects.all(), required=False, allow_null=True,
                                                 default=None, help_text=_("For a refund of the deposit."))
    amount = serializers.CharField(max_length=24)
    method = serializers.ChoiceField(choices=PaymentMethod.choices, default=PaymentMethod.CASH)
    reason = serializers.CharField()


class NoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


def an_id(**kwargs) -> serializers.IntegerField:
    """A key sent as a filter: a positive number a database column can hold."""
    return serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, **kwargs)


class BillListQuery(serializers.Serializer):
    search = serializers.CharField(required=False, allow_blank=True, max_length=100)
    status = serializers.ChoiceField(choices=BillStatus.choices, required=False, allow_blank=True)
    patient = an_id()
    unpaid = serializers.BooleanField(required=False)


class PaymentListQuery(serializers.Serializer):
    patient = an_id()
    kind = serializers.ChoiceField(choices=PaymentKind.choices, required=False, allow_blank=True)


class RefundListQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=RefundStatus.choices, required=False, allow_blank=True)


def query_of(request, serializer_class) -> dict:
    """The validated query string: a filter that makes no sense is a 400 naming it, never ignored or a 500."""
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


# --- views ------------------------------------------------------------------------------------------------


@extend_schema_view(list=extend_schema(parameters=[BillListQuery]))
class BillViewSet(AccessLoggedList, viewsets.ReadOnlyModelViewSet):
    access_what = gettext_noop("bill list (API)")
    lookup_value_regex = ID_PATTERN
    capabilities = {
        "list": "billing.view", "retrieve": "billing.view", "open": "billing.add_item",
        "add_item": "billing.add_item", "remove_item": "billing.add_item", "correct_item": "billing.add_item",
        "calculate": "billing.add_item", "invoice": "billing.add_item", "void": "billing.void",
        "apply_deposit": "billing.take_payment",
    }
    filter_backends = []

    def get_serializer_class(self):
        return BillDetailOutput if self.action == "retrieve" else BillOutput

    def get_queryset(self):
        query = query_of(self.request, BillListQuery)
        return selectors.bills(search=query.get("search", "").strip(), status=query.get("status", ""),
                               patient_id=query.get("patient"), unpaid=query.get("unpaid", False))

    def retrieve(self, request, pk=None):
        bill = get_object_or_404(Bill.objects.select_related("patient", "booking", "episode", "organisation")
                                 .prefetch_related("items", "payments__received_by", "payments__bill"), pk=pk)
        audit.log_access(by=request.user, patient_id=bill.patient_id, what=gettext_noop("bill"), obj=bill)
        return Response(BillDetailOutput(bill, context={"request": request}).data)

    def detail_response(self, bill: Bill, code=status.HTTP_200_OK) -> Response:
        bill = Bill.objects.select_related("patient", "booking", "episode", "organisation").prefetch_related(
            "items", "payments__received_by", "payments__bill").get(pk=bill.pk)
        return Response(BillDetailOutput(bill, context={"request": self.request}).data, status=code)

    @extend_schema(request=OpenBillInput, responses={200: BillDetailOutput})
    @action(detail=False, methods=["post"])
    def open(self, request):
        """Finds or opens the bill of a booking or an episode."""
        data = OpenBillInput(data=request.data)
        data.is_valid(raise_exception=True)
        if "booking" in data.validated_data:
            bill = services.bill_for(booking=get_object_or_404(Booking, pk=data.validated_data["booking"]),
                                     by=request.user)
        else:
            from hayat.clinical.models import Episode

            bill = services.bill_for(episode=get_object_or_404(Episode, pk=data.validated_data["episode"]),
                                     by=request.user)
        return self.detail_response(bill)

    @extend_schema(request=ItemInput, responses={201: BillDetailOutput})
    @action(detail=True, methods=["post"], url_path="items")
    @idempotent
    def add_item(self, request, pk=None):
        data = ItemInput(data=request.data)
        data.is_valid(raise_exception=True)
        bill = get_object_or_404(Bill, pk=pk)
        services.add_item(by=request.user, bill=bill, **data.validated_data)
        return self.detail_response(bill, status.HTTP_201_CREATED)

    @extend_schema(request=ItemRefInput, responses={200: BillDetailOutput})
    @action(detail=True, methods=["post"], url_path="remove-item")
    def remove_item(self, request, pk=None):
        data = ItemRefInput(data=request.data)
        data.is_valid(raise_exception=True)
        item = get_object_or_404(BillItem, pk=data.validated_data["item"], bill_id=pk)
        services.remove_item(by=request.user, item=item, reason=data.validated_data["reason"])
        return self.detail_response(item.bill)

    @extend_schema(request=ItemRefInput, responses={201: BillDetailOutput})
    @action(detail=True, methods=["post"], url_path="correct-item")
    @idempotent
    def correct_item(self, request, pk=None):
        data = ItemRefInput(data=request.data)
        data.is_valid(raise_exception=True)
        item = get_object_or_404(BillItem, pk=data.validated_data["item"], bill_id=pk)
        services.correct_item(by=request.user, item=item, reason=data.validated_data["reason"])
        return self.detail_response(item.bill, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: BillDetailOutput})
    @action(detail=True, methods=["post"])
    def calculate(self, request, pk=None):
        return self.detail_response(services.calculate(by=request.user, bill=get_object_or_404(Bill, pk=pk)))

    @extend_schema(request=None, responses={200: BillDetailOutput})
    @action(detail=True, methods=["post"])
    def invoice(self, request, pk=None):
        return self.detail_response(services.invoice(by=request.user, bill=get_object_or_404(Bill, pk=pk)))

    @extend_schema(request=BillReasonInput, responses={200: BillDetailOutput})
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        data = BillReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        bill = services.void(by=request.user, bill=get_object_or_404(Bill, pk=pk), reason=data.validated_data["reason"])
        return self.detail_response(bill)

    @extend_schema(request=AmountInput, responses={200: BillDetailOutput})
    @action(detail=True, methods=["post"], url_path="apply-deposit")
    @idempotent
    def apply_deposit(self, request, pk=None):
        data = AmountInput(data=request.data)
        data.is_valid(raise_exception=True)
        bill = get_object_or_404(Bill, pk=pk)
        payments.apply_deposit(by=request.user, bill=bill, amount=data.validated_data["amount"] or None)
        return self.detail_response(bill)


@extend_schema_view(list=extend_schema(parameters=[PaymentListQuery]))
class PaymentViewSet(AccessLoggedList, viewsets.ReadOnlyModelViewSet):
    access_what = gettext_noop("payment list (API)")
    lookup_value_regex = ID_PATTERN
    serializer_class = PaymentOutput
    capabilities = {"list": "billing.view", "retrieve": "billing.view", "create": "billing.take_payment",
                    "receipt": "billing.view"}
    filter_backends = []

    def get_queryset(self):
        query = query_of(self.request, PaymentListQuery)
        return selectors.payments(patient_id=query.get("patient"), kind=query.get("kind", ""))

    def retrieve(self, request, pk=None):
        payment = get_object_or_404(self.get_queryset(), pk=pk)
        audit.log_access(by=request.user, patient_id=payment.patient_id, what=gettext_noop("payment"), obj=payment)
        return Response(PaymentOutput(payment).data)

    @extend_schema(request=PaymentInput, responses={201: PaymentOutput(many=True)})
    @idempotent
    def create(self, request):
        """Takes a payment on a bill (the excess as a deposit when asked) or a deposit for a patient.

        Answers with the receipts written: one, or two when an excess went to the deposit.
        """
        data = PaymentInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values["booking"] is not None:
            written = [bookings.take_booking_deposit(by=request.user, booking=values["booking"],
                                                     amount=values["amount"], method=values["method"],
                                                     note=values["note"])]
        elif values["kind"] == PaymentKind.DEPOSIT:
            written = [payments.take_deposit(by=request.user, patient=values["patient"], amount=values["amount"],
                                             method=values["method"], note=values["note"])]
        else:
            written = payments.take_payment(by=request.user, bill=values["bill"], amount=values["amount"],
                                            method=values["method"], excess_to_deposit=values["excess_to_deposit"],
                                            note=values["note"]).receipts
        return Response(PaymentOutput(written, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(302, "application/pdf"): OpenApiTypes.BINARY},
                   description="Moved: this redirects to /api/documents/receipt/{id}/?format=pdf.")
    @action(detail=True, methods=["get"], renderer_classes=DOWNLOAD_RENDERERS)
    def receipt(self, request, pk=None):
        get_object_or_404(Payment, pk=pk)
        query = request.GET.copy()
        query["format"] = "pdf"  # the documents API answers JSON unless the PDF is asked for
        return HttpResponseRedirect(f"{reverse('document-receipt', kwargs={'pk': pk})}?{query.urlencode()}")


@extend_schema_view(list=extend_schema(parameters=[RefundListQuery]))
class RefundViewSet(AccessLoggedList, viewsets.ReadOnlyModelViewSet):
    access_what = gettext_noop("refund list (API)")
    lookup_value_regex = ID_PATTERN
    serializer_class = RefundOutput
    capabilities = {"list": "billing.view", "retrieve": "billing.view", "create": "billing.request_refund",
                    "approve": "billing.approve_refund", "reject": "billing.approve_refund"}
    filter_backends = []

    def get_queryset(self):
        return selectors.refunds(status=query_of(self.request, RefundListQuery).get("status", ""))

    def retrieve(self, request, pk=None):
        refund = get_object_or_404(self.get_queryset(), pk=pk)
        audit.log_access(by=request.user, patient_id=refund.patient_id, what=gettext_noop("refund request"), obj=refund)
        return Response(RefundOutput(refund).data)

    @extend_schema(request=RefundInput, responses={201: RefundOutput})
    @idempotent
    def create(self, request):
        data = RefundInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        refund = payments.request_refund(by=request.user, bill=values["bill"], patient=values["patient"],
                                         amount=values["amount"], method=values["method"], reason=values["reason"])
        return Response(RefundOutput(refund).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=NoteInput, responses={200: RefundOutput})
    @action(detail=True, methods=["post"])
    @idempotent
    def approve(self, request, pk=None):
        data = NoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        refund = get_object_or_404(RefundRequest, pk=pk)
        payments.approve_refund(by=request.user, refund=refund, note=data.validated_data["note"])
        return Response(RefundOutput(RefundRequest.objects.select_related("payment").get(pk=pk)).data)

    @extend_schema(request=NoteInput, responses={200: RefundOutput})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = NoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        refund = payments.reject_refund(by=request.user, refund=get_object_or_404(RefundRequest, pk=pk),
                                        note=data.validated_data["note"])
        return Response(RefundOutput(refund).data)


class CashReportInput(serializers.Serializer):
    date = SaneDateSerializerField(required=False)
    start = SaneDateSerializerField(required=False)
    end = SaneDateSerializerField(required=False)
    teller = an_id()


class CashReportView(APIView):
    """Payments, deposits and refunds by day and teller, with totals (?date= or ?start=&end=, ?teller=)."""

    capabilities = {"GET": "billing.cash_report"}

    @extend_schema(parameters=[CashReportInput], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        values = query_of(request, CashReportInput)
        start = values.get("date") or values.get("start") or clock.today()
        end = values.get("end") or (values.get("date") or start)
        report = cashbook.cash_report(start=start, end=end, teller_id=values.get("teller"))
        audit.log_rows_access(by=request.user, rows=report.entries, what=gettext_noop("cash report (API)"))
        return Response({
            "start": report.start, "end": report.end,
            "totals": {name: str(value) for name, value in report.totals.items()},
            "by_method": {name: str(value) for name, value in report.by_method.items()},
            "rows": [{"date": row.day, "teller": row.teller_id, "teller_name": row.teller, "count": row.count,
                      "payments": str(row.payments), "deposits": str(row.deposits), "refunds": str(row.refunds),
                      "net": str(row.net)} for row in report.rows],
            "entries": PaymentOutput(report.entries, many=True).data,
        })


class DayCloseOutput(serializers.ModelSerializer):
    teller_name = serializers.CharField(source="teller.full_name")

    class Meta:
        model = DayClose
        fields = ["id", "teller", "teller_name", "day", "payments", "deposits", "refunds", "cash_in", "card_in",
                  "transfer_in", "expected_cash", "counted_cash", "difference", "note", "receipts", "closed_at",
                  "closed_by"]


class DayCloseInput(serializers.Serializer):
    counted_cash = serializers.CharField(max_length=24)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class DayCloseViewSet(viewsets.ReadOnlyModelViewSet):
    """Closed cash days (Z-reports); a teller closes today with the cash counted."""

    lookup_value_regex = ID_PATTERN
    serializer_class = DayCloseOutput
    capabilities = {"list": "billing.cash_report", "retrieve": "billing.cash_report", "create": "billing.close_day"}
    filter_backends = []

    def get_queryset(self):
        return DayClose.objects.select_related("teller").order_by("-day", "teller_id")

    @extend_schema(request=DayCloseInput, responses={201: DayCloseOutput})
    @idempotent
    def create(self, request):
        data = DayCloseInput(data=request.data)
        data.is_valid(raise_exception=True)
        closed = dayclose.close_day(by=request.user, day=clock.today(), **data.validated_data)
        return Response(DayCloseOutput(closed).data, status=status.HTTP_201_CREATED)
