"""URLs of the incidents app; every pattern needs an entry in tests/test_access_matrix.py."""

app_name = "incidents"

urlpatterns: list = []
