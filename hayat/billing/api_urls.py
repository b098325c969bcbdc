from django.urls import include, path
from rest_framework.routers import DefaultRouter

from hayat.billing import api, payer_api

router = DefaultRouter()
router.include_root_view = False
router.register("bills", api.BillViewSet, basename="bill")
router.register("payments", api.PaymentViewSet, basename="payment")
router.register("refunds", api.RefundViewSet, basename="refund")
router.register("day-closes", api.DayCloseViewSet, basename="dayclose")
router.register("organisations", payer_api.OrganisationViewSet, basename="organisation")

urlpatterns = [
    path("bills/<int:pk>/payer/", payer_api.EpisodePayerView.as_view(), name="api-bill-payer"),
    path("", include(router.urls)),
    path("payers/bill-per-guest/", payer_api.BillPerGuestView.as_view(), name="api-bill-per-guest"),
    path("payers/move-guest/", payer_api.MoveGuestView.as_view(), name="api-move-guest"),
    path("cash-report/", api.CashReportView.as_view(), name="api-cash-report"),
]
