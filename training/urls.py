from django.urls import path

from training import file_views, report_views, views

app_name = "training"

urlpatterns = [
    path("", views.my_training, name="home"),
    path("exams/<slug:code>/start/", views.attempt_begin, name="begin"),
    path("attempts/<int:attempt_id>/", views.attempt_page, name="attempt"),
    path(
        "attempts/<int:attempt_id>/answers/<int:position>/",
        views.attempt_answer,
        name="answer",
    ),
    path("attempts/<int:attempt_id>/submit/", views.attempt_finish, name="submit"),
    path("attempts/<int:attempt_id>/result/", views.attempt_result, name="result"),
    path("certificates/<str:code>.pdf", views.certificate_pdf, name="certificate"),
    path(
        "certificates/<str:code>/revoke/",
        views.certificate_revoke_confirm,
        name="certificate_revoke",
    ),
    path("verify/", views.certificate_verify_form, name="verify_form"),
    path("verify/<str:code>/", views.certificate_verify, name="verify"),
    path("reports/", report_views.coverage, name="coverage"),
    path("reports/stores/<str:code>/", report_views.store_report, name="store_report"),
    path("reports/exams/<slug:code>/items/", report_views.items, name="items"),
    path("reports/exams/<slug:code>/gaps/", report_views.gaps, name="gaps"),
    path("bank/", report_views.bank, name="bank"),
    path(
        "questions/<int:question_id>/files/<path:name>",
        file_views.question_file,
        name="question_file",
    ),
]
