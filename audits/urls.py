"""URLs of the audits app; every pattern needs an entry in tests/access/matrix.py."""

app_name = "audits"

urlpatterns: list = []
