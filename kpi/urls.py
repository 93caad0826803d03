"""URLs of the kpi app; every pattern needs an entry in tests/access/matrix.py."""

from django.urls import path

from kpi import views

app_name = "kpi"

urlpatterns = [
    path("", views.leaderboard, name="leaderboard"),
    path("leaderboard.pdf", views.leaderboard_pdf, name="leaderboard_pdf"),
    path("definitions/", views.definitions, name="definitions"),
    path("my-store/", views.my_store, name="my_store"),
    path("stores/<str:code>/", views.store, name="store"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/approve/", views.import_approve, name="import_approve"),
    path("imports/<int:pk>/reject/", views.import_reject, name="import_reject"),
    path("imports/<int:pk>/revert/", views.import_revert, name="import_revert"),
    path("imports/template.csv", views.import_template, name="import_template"),
]
