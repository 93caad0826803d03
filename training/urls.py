"""URLs of the training app; every pattern needs an entry in tests/test_access_matrix.py."""

app_name = "training"

urlpatterns: list = []
