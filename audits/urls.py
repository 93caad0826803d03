"""URLs of the audits app; every pattern needs an entry in tests/access/matrix.py."""

from django.urls import path

from audits import analytics_views, response_views, views, visit_views

app_name = "audits"

urlpatterns = [
    path("checklists/", views.checklist_list, name="checklists"),
    path("checklists/<int:pk>/", views.checklist_detail, name="checklist_detail"),
    path(
        "checklists/<int:pk>/publish/",
        views.checklist_publish_view,
        name="checklist_publish",
    ),
    path("visits/", visit_views.visit_list_view, name="visits"),
    path("plans/", visit_views.plan_list, name="plans"),
    path("analytics/", analytics_views.analytics, name="analytics"),
    path("visits/<int:pk>/", visit_views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/start/", visit_views.visit_start_view, name="visit_start"),
    path("visits/<int:pk>/fill/", visit_views.visit_fill, name="visit_fill"),
    path("visits/<int:pk>/answers/", visit_views.visit_answers, name="visit_answers"),
    path("visits/<int:pk>/photos/", visit_views.visit_photo, name="visit_photo"),
    path(
        "visits/<int:pk>/photos/<int:photo_pk>/delete/",
        visit_views.visit_photo_delete,
        name="visit_photo_delete",
    ),
    path("visits/<int:pk>/submit/", visit_views.visit_submit_view, name="visit_submit"),
    path("visits/<int:pk>/review/", visit_views.visit_review, name="visit_review"),
    path("visits/<int:pk>/correct/", visit_views.visit_correct_view, name="visit_correct"),
    path("visits/<int:pk>/assign/", visit_views.visit_assign_view, name="visit_assign"),
    path("visits/<int:pk>/cancel/", visit_views.visit_cancel_view, name="visit_cancel"),
    path(
        "visits/<int:pk>/acknowledge/",
        response_views.visit_acknowledge_view,
        name="visit_acknowledge",
    ),
    path("visits/<int:pk>/appeal/", response_views.appeal_create_view, name="appeal_create"),
    path("visits/<int:pk>/actions/", response_views.action_create_view, name="action_create"),
    path("appeals/", response_views.appeal_list, name="appeals"),
    path("appeals/<int:pk>/decide/", response_views.appeal_decide_view, name="appeal_decide"),
    path("actions/<int:pk>/done/", response_views.action_done_view, name="action_done"),
    path("actions/<int:pk>/verify/", response_views.action_verify_view, name="action_verify"),
]
