"""The bonus room's pages, mounted at /bonus/ (namespace `bonus`); each area has its own
module."""

from django.urls import include, path

app_name = "bonus"

urlpatterns: list = []
