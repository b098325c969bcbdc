from django.urls import path

from hayat.billing import payer_views, views

app_name = "billing"

urlpatterns = [
    path("", views.bill_list, name="bill_list"),
    path("bills/<int:pk>/", views.bill_detail, name="bill_detail"),
    path("bills/<int:pk>/lines/", views.bill_lines, name="bill_lines"),
    path("bills/<int:pk>/items/new/", views.item_add, name="item_add"),
    path("bills/<int:pk>/calculate/", views.bill_calculate, name="bill_calculate"),
    path("bills/<int:pk>/invoice/", views.bill_invoice, name="bill_invoice"),
    path("bills/<int:pk>/void/", views.bill_void, name="bill_void"),
    path("bills/<int:pk>/pay/", views.take_payment, name="take_payment"),
    path("bills/<int:pk>/apply-deposit/", views.apply_deposit, name="apply_deposit"),
    path("bills/<int:pk>/refund/", views.refund_bill, name="refund_bill"),
    path("items/<int:pk>/remove/", views.item_remove, name="item_remove"),
    path("items/<int:pk>/correct/", views.item_correct, name="item_correct"),
    path("take-payment/", views.take_payment_for, name="take_payment_for"),
    path("patients/<int:patient_pk>/", views.patient_money, name="patient_money"),
    path("patients/<int:patient_pk>/deposit/", views.take_deposit, name="take_deposit"),
    path("bookings/<int:booking_pk>/deposit/", views.booking_deposit, name="booking_deposit"),
    path("patients/<int:patient_pk>/refund/", views.refund_deposit, name="refund_deposit"),
    path("payments/<int:pk>/receipt/", views.receipt, name="receipt"),
    path("refunds/", views.refund_list, name="refund_list"),
    path("refunds/<int:pk>/decide/", views.refund_decide, name="refund_decide"),
    path("cash-report/", views.cash_report, name="cash_report"),
    path("cash-report/csv/", views.cash_report_csv, name="cash_report_csv"),
    path("day-close/", views.day_close, name="day_close"),
    path("day-close/<int:pk>/", views.day_close_detail, name="day_close_detail"),
    path("day-close/<int:pk>/csv/", views.day_close_csv, name="day_close_csv"),
    path("organisations/", payer_views.organisation_list, name="organisation_list"),
    path("organisations/<int:pk>/", payer_views.organisation_edit, name="organisation_edit"),
    path("bookings/<int:booking_pk>/bill-per-guest/", payer_views.booking_bill_per_guest,
         name="booking_bill_per_guest"),
    path("bookings/<int:booking_pk>/move-guest/", payer_views.booking_move_guest, name="booking_move_guest"),
    path("bills/<int:pk>/payer/", payer_views.bill_payer, name="bill_payer"),
]
