"""URLs of the POS API (`kpi.api`), under /api/."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from kpi.api import BatchDetailView, ReceiptsView

app_name = "api"

urlpatterns = [
    path("v1/receipts/", ReceiptsView.as_view(), name="receipts"),
    path("v1/batches/<int:pk>/", BatchDetailView.as_view(), name="batch"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
