"""The customer's side of the desk, open without a login (`incidents.public_views`), and
the API for other intake channels (`incidents.api`)."""

from django.urls import path, re_path

from incidents import api, public_views

urlpatterns = [
    path("complaint/", public_views.public_new, name="public_new"),
    path("complaint/filed/", public_views.public_filed, name="public_filed"),
    path("complaint/status/", public_views.public_status, name="public_status"),
    path("complaint/status/message/", public_views.public_message, name="public_message"),
    path("complaint/status/end/", public_views.public_forget, name="public_forget"),
    path("rate/<str:token>/", public_views.rate, name="rate"),
    path("api/tickets/", api.TicketsView.as_view(), name="api_tickets"),
    path("api/tickets/<str:number>/", api.TicketStatusView.as_view(), name="api_ticket"),
    # Last: anything else under the desk's API is a JSON 404, never the site's HTML page.
    re_path(r"^api/(?P<path>.*)$", api.api_not_found, name="api_not_found"),
]
