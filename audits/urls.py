"""URLs of the audits app; every pattern needs an entry in tests/test_access_matrix.py."""

app_name = "audits"

urlpatterns: list = []
