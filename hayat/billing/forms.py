"""Forms of the billing pages; the rules themselves live in the services, which these forms call."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from hayat.billing.models import ADDED_KINDS, BillStatus, ItemKind, Organisation, OrganisationKind, PaymentMethod
from hayat.catalog.models import Service
from hayat.core.forms import StyledForm
from hayat.core.params import SaneDateField

AMOUNT_ATTRS = {"inputmode": "decimal", "autocomplete": "off"}


class MoneyField(forms.CharField):
    """Money as typed: kept as text so the service can explain what is wrong with it in the user's words."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 24)
        super().__init__(**kwargs)
        self.widget.attrs.update(AMOUNT_ATTRS)


class ItemForm(StyledForm, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[(kind.value, kind.label) for kind in ADDED_KINDS])
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none(), required=False,
                                     help_text=_("For a service: its name and price are filled in."))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    quantity = forms.DecimalField(label=_("Quantity"), initial=1, min_value=0, max_digits=10, decimal_places=2)
    unit_price = MoneyField(label=_("Unit price"), required=False,
                            help_text=_("Negative only for a manual discount."))
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Required for a manual item."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(is_active=True).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("kind") == ItemKind.SERVICE and not data.get("service"):
            self.add_error("service", _("Choose the service."))
        if data.get("kind") == ItemKind.MANUAL and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why this item is added by hand."))
        if data.get("kind") != ItemKind.SERVICE and not (data.get("description") or "").strip():
            self.add_error("description", _("Describe the item."))
        return data


class PaymentForm(StyledForm, forms.Form):
    amount = MoneyField(label=_("Amount"))
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices, initial=PaymentMethod.CASH)
    excess_to_deposit = forms.BooleanField(
        label=_("Keep anything above the balance as a deposit"), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class DepositForm(StyledForm, forms.Form):
    amount = MoneyField(label=_("Amount"))
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices, initial=PaymentMethod.CASH)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ApplyDepositForm(StyledForm, forms.Form):
    amount = MoneyField(label=_("Amount"), required=False, help_text=_("Empty: as much as the deposit and the "
                                                                      "balance allow."))


class ReasonForm(StyledForm, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class RefundForm(StyledForm, forms.Form):
    amount = MoneyField(label=_("Amount"))
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices, initial=PaymentMethod.CASH)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(StyledForm, forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))],
                                 widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class BillFilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *BillStatus.choices])
    show = forms.ChoiceField(label=_("Show"), required=False, choices=[
        ("unpaid", _("Unpaid")), ("credit", _("Money owed to the patient")), ("all", _("All bills"))])


class CashReportForm(StyledForm, forms.Form):
    start = SaneDateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = SaneDateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    teller = forms.TypedChoiceField(label=_("Teller"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, tellers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teller"].choices = [("", _("All tellers")), *[(user.pk, user.full_name) for user in tellers]]

    def period(self, today: date) -> tuple[date, date]:
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("start") or today
        return start, data.get("end") or start


class DayCloseForm(StyledForm, forms.Form):
    counted_cash = MoneyField(label=_("Cash counted in the drawer"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Required when the count differs from the expected cash."))


class OrganisationForm(StyledForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices, initial=OrganisationKind.EMPLOYER)
    tax_number = forms.CharField(label=_("Tax number"), max_length=40, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    contact = forms.CharField(label=_("Contact"), max_length=200, required=False,
                              help_text=_("A person, a phone or an e-mail for the invoices."))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class MoveGuestForm(StyledForm, forms.Form):
    """Which guest's lines go to which payer's bill: the booking's bills, the guest's own, an organisation."""

    patient = forms.TypedChoiceField(label=_("Guest"), coerce=int)
    to = forms.ChoiceField(label=_("Bill to"))

    def __init__(self, *args, guests=(), targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["patient"].choices = [(patient.pk, patient.full_name) for patient in guests]
        self.fields["to"].choices = list(targets)


class BillPerGuestForm(StyledForm, forms.Form):
    per_guest = forms.TypedChoiceField(
        label=_("Who pays"), coerce=lambda value: value == "True",
        choices=[(False, _("One payer for every guest")), (True, _("Each guest pays their own bill"))])


class EpisodePayerForm(StyledForm, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Paid by"), queryset=Organisation.objects.none(), required=False,
                                          empty_label=_("The patient"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True).order_by("name")
