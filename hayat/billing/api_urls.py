from django.urls import include, path
from rest_framework.routers import DefaultRouter

from hayat.billing import api

router = DefaultRouter()
router.include_root_view = False
router.register("bills", api.BillViewSet, basename="bill")
router.register("payments", api.PaymentViewSet, basename="payment")
router.register("refunds", api.RefundViewSet, basename="refund")
router.register("day-closes", api.DayCloseViewSet, basename="dayclose")

urlpatterns = [
    path("", include(router.urls)),
    path("cash-report/", api.CashReportView.as_view(), name="api-cash-report"),
]
