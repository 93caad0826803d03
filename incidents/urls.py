"""URLs of the incidents app; every pattern needs an entry in tests/access/ (the desk's in
`matrix_desk.py`, the public pages' in `matrix_desk_public.py`, the reports' in
`matrix_desk_reports.py`)."""

from incidents import desk_urls, public_urls, report_urls

app_name = "incidents"

urlpatterns = [
    *desk_urls.urlpatterns,
    *public_urls.urlpatterns,
    *report_urls.urlpatterns,
]
