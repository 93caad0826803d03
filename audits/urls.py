"""URLs of the audits app; every pattern needs an entry in tests/access/matrix.py."""

from django.urls import path

from audits import views

app_name = "audits"

urlpatterns = [
    path("checklists/", views.checklist_list, name="checklists"),
    path("checklists/<int:pk>/", views.checklist_detail, name="checklist_detail"),
    path(
        "checklists/<int:pk>/publish/",
        views.checklist_publish_view,
        name="checklist_publish",
    ),
]
