"""The desk's URLs (the lists, intake, the ticket and its actions)."""

from django.urls import path

from incidents import ticket_views, views

urlpatterns = [
    path("", views.desk, name="desk"),
    path("take-next/", views.take_next_view, name="take_next"),
    path("board/", views.board, name="board"),
    path("promotions/", views.promotions, name="promotions"),
    path("new/", views.intake, name="intake"),
    path("store/new/", views.store_intake, name="store_intake"),
    path("<int:pk>/", ticket_views.ticket_detail, name="ticket"),
    path("<int:pk>/take/", ticket_views.ticket_take, name="ticket_take"),
    path("<int:pk>/assign/", ticket_views.ticket_assign, name="ticket_assign"),
    path("<int:pk>/reply/", ticket_views.ticket_reply, name="ticket_reply"),
    path("<int:pk>/resolve/", ticket_views.ticket_resolve, name="ticket_resolve"),
    path("<int:pk>/reopen/", ticket_views.ticket_reopen, name="ticket_reopen"),
    path("<int:pk>/merge/", ticket_views.ticket_merge, name="ticket_merge"),
    path("<int:pk>/details/", ticket_views.ticket_update, name="ticket_update"),
    path("<int:pk>/attach/", ticket_views.ticket_attach, name="ticket_attach"),
    path("<int:pk>/receipt/", ticket_views.ticket_receipt, name="ticket_receipt"),
    path("<int:pk>/credit/", ticket_views.credit_request, name="credit_request"),
    path("credits/<int:pk>/decide/", ticket_views.credit_decide, name="credit_decide"),
]
