"""URLs of the kpi app; every pattern needs an entry in tests/test_access_matrix.py."""

app_name = "kpi"

urlpatterns: list = []
