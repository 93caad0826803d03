"""The desk's reports (`/incidents/reports/`): their rows of the access matrix are in
`tests/access/matrix_desk_reports.py`."""

from django.urls import path

from incidents import report_views

urlpatterns = [
    path("reports/", report_views.reports, name="reports"),
]
