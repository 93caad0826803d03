"""URLs of the POS API (`kpi.api`), under /api/."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from kpi.api import BatchDetailView, ReceiptsView, api_not_found

app_name = "api"

urlpatterns = [
    path("v1/receipts/", ReceiptsView.as_view(), name="receipts"),
    path("v1/batches/<int:pk>/", BatchDetailView.as_view(), name="batch"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Last: anything else under /api/ is a JSON 404, never the site's HTML page.
    re_path(r"^(?P<path>.*)$", api_not_found, name="not_found"),
]
