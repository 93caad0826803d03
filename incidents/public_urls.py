"""Filled in by its own module owner."""

urlpatterns: list = []
