"""The bonus room's pages, mounted at /bonus/ (namespace `bonus`); each area has its own
module: schemes and HR terms, statements and the staff's own lines, the store scorecard
and the effect report, abuse flags."""

from django.urls import include, path

app_name = "bonus"

urlpatterns = [
    path("", include("kpi.bonus.scheme_urls")),
    path("", include("kpi.bonus.statement_urls")),
    path("", include("kpi.bonus.scorecard_urls")),
    path("", include("kpi.bonus.flag_urls")),
]
