"""URLs of the incidents app; every pattern needs an entry in tests/access/matrix.py."""

app_name = "incidents"

urlpatterns: list = []
