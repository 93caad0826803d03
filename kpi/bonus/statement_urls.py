"""The statement pages. Included by `kpi.bonus.urls` at /bonus/ itself (no prefix, no
namespace of its own: the names are `bonus:statements`, `bonus:statement`, ...); every
pattern has rows in tests/access/matrix_bonus_statements.py (`BONUS_STATEMENTS`)."""

from django.urls import path

from kpi.bonus.statement_pages import actions, detail, files, lists

urlpatterns = [
    path("statements/", lists.statement_list, name="statements"),
    path("statements/<int:pk>/", detail.statement_detail, name="statement"),
    path("statements/<int:pk>/open/", actions.statement_open_view, name="statement_open"),
    path("statements/<int:pk>/restate/", actions.statement_restate_view, name="statement_restate"),
    path("statements/<int:pk>/approve/", actions.statement_approve_view, name="statement_approve"),
    path("statements/<int:pk>/payroll/", files.statement_payroll, name="statement_payroll"),
    path(
        "statements/<int:pk>/stores/<int:store_pk>/pdf/",
        files.statement_store_pdf,
        name="statement_store_pdf",
    ),
    path("lines/<int:pk>/dispute/", actions.line_dispute_view, name="line_dispute"),
    path("lines/<int:pk>/adjust/", actions.line_adjust_view, name="line_adjust"),
    path("disputes/<int:pk>/decide/", actions.dispute_decide_view, name="dispute_decide"),
    path("mine/", lists.mine, name="mine"),
]
