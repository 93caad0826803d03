"""The desk's API for other intake channels (a chatbot, the mobile app), like the POS API.

Authentication: the header `Authorization: Token <token>`; one token per channel,
issued (or rotated) by `manage.py desk_token NAME` and printed once (only its SHA-256 is
kept). Sessions are not read: a logged-in person without a token gets 401, and CSRF does
not apply. Messages follow `Accept-Language` (Russian by default). Calls are throttled
per channel (`INCIDENTS_API_THROTTLE_RATE`, "120/min" by default; 429 with Retry-After).

`POST /incidents/api/tickets/` — a JSON object: `category` (one of the desk's category
codes), `description` (1–5,000 characters), and the customer's `customer_phone` (Russian,
any common spelling) and/or `customer_email`; optional `customer_name`, `card_number`,
`store_code` (an active store), `receipt_number`, `receipt_at` (ISO 8601) and
`receipt_amount` (a decimal string or number above zero, 2 decimals at most).
- 201 `{"number": "123-456-789", "status": "new"}`;
- 400 `{"errors": [{"field": "customer_phone", "message": "..."}]}`: not JSON, a missing
  or bad field (every one named); nothing is filed;
- 401 `{"detail": "..."}`: no token, an unknown or deactivated one;
- 413 `{"errors": [...]}`: a body over 64 KB; 415: a body that is not JSON.

`GET /incidents/api/tickets/<number>/?phone=…` — the ticket's status as the customer's
status page says it: `{"number", "status", "status_label", "created_at"}`; 404 for a
wrong number or a wrong phone alike.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated, ParseError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from incidents.choices import PUBLIC_STATUS, Category, Channel
from incidents.models import IntakeChannel
from incidents.public_forms import number_normalise
from incidents.selectors.tickets import ticket_public_get
from incidents.services.channels import channel_authenticate
from incidents.services.intake import (
    DESCRIPTION_MAX,
    Intake,
    card_normalise,
    phone_normalise,
    ticket_file,
)
from portal.api_tokens import TokenAuthentication
from portal.org.selectors import stores_of

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
# The intake's field names as this API names them.
FIELD_NAMES = {"store": "store_code"}


# --- Authentication -----------------------------------------------------------------


class ChannelTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <token>` → (anonymous user, the channel) as (user, auth)."""

    unknown = gettext_lazy("Unknown or deactivated channel token.")

    def caller_for(self, raw: str) -> IntakeChannel | None:
        return channel_authenticate(raw)


class IsIntakeChannel(BasePermission):
    def has_permission(self, request: Request, view) -> bool:
        if isinstance(request.auth, IntakeChannel):
            return True
        raise NotAuthenticated(
            gettext_lazy("A channel token is required: «Authorization: Token <token>».")
        )


class ChannelThrottle(SimpleRateThrottle):
    """Calls per channel (its token)."""

    scope = "incidents_channel"

    def get_rate(self) -> str:
        return settings.INCIDENTS_API_THROTTLE_RATE

    def get_cache_key(self, request: Request, view) -> str | None:
        if not isinstance(request.auth, IntakeChannel):
            return None  # refused before this runs (401)
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


# --- Serializers ---------------------------------------------------------------------


class TicketIntakeSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices)
    description = serializers.CharField(max_length=DESCRIPTION_MAX)
    customer_name = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    customer_phone = serializers.CharField(
        max_length=32, required=False, default="", allow_blank=True
    )
    customer_email = serializers.EmailField(
        max_length=254, required=False, default="", allow_blank=True
    )
    card_number = serializers.CharField(max_length=32, required=False, default="", allow_blank=True)
    store_code = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    receipt_number = serializers.CharField(
        max_length=64, required=False, default="", allow_blank=True
    )
    receipt_at = serializers.DateTimeField(required=False, default=None, allow_null=True)
    receipt_amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, default=None, allow_null=True
    )

    def validate_customer_phone(self, value: str) -> str:
        try:
            return phone_normalise(value)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from error

    def validate_card_number(self, value: str) -> str:
        try:
            return card_normalise(value)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from error

    def validate_store_code(self, value: str):
        code = value.strip()
        if not code:
            return None
        store = stores_of().filter(code__iexact=code).first()
        if store is None:
            raise serializers.ValidationError(_("No store has this code."))
        return store


class TicketCreatedSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()


class TicketStatusSerializer(TicketCreatedSerializer):
    status_label = serializers.CharField()
    created_at = serializers.DateTimeField()


class ProblemSerializer(serializers.Serializer):
    field = serializers.CharField()
    message = serializers.CharField()


class ProblemsSerializer(serializers.Serializer):
    errors = ProblemSerializer(many=True)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


def _problems(detail: dict[str, Any], code: int = status.HTTP_400_BAD_REQUEST) -> Response:
    """Every problem as {field, message}, in the API's field names."""
    problems = []
    for field, messages in detail.items():
        name = "body" if field == "non_field_errors" else FIELD_NAMES.get(field, field)
        for message in messages if isinstance(messages, list) else [messages]:
            problems.append({"field": name, "message": str(message)})
    return Response({"errors": problems}, status=code)


# --- Views ---------------------------------------------------------------------------


class ChannelAPIView(APIView):
    """A view of the desk's API: a channel's token, never a session (so no CSRF either)."""

    authentication_classes = [ChannelTokenAuthentication]
    permission_classes = [IsIntakeChannel]
    throttle_classes = [ChannelThrottle]
    parser_classes = [JSONParser]

    def handle_exception(self, exc: Exception) -> Response:
        """Every answer is JSON, an unexpected error too (logged as usual)."""
        try:
            return super().handle_exception(exc)
        except Exception:  # noqa: BLE001 - reported, then answered in the API's shape
            logger.exception("desk API: unexpected error on %s", self.request.path)
            detail = _("Internal error; nothing was filed. Try again later.")
            return Response({"detail": detail}, status.HTTP_500_INTERNAL_SERVER_ERROR)


class TicketsView(ChannelAPIView):
    """File a ticket from another channel."""

    @extend_schema(
        request=TicketIntakeSerializer,
        responses={
            201: TicketCreatedSerializer,
            400: ProblemsSerializer,
            401: DetailSerializer,
            413: ProblemsSerializer,
            429: DetailSerializer,
        },
    )
    def post(self, request: Request) -> Response:
        channel: IntakeChannel = request.auth
        if _declared_size(request) > MAX_BODY_BYTES:
            message = _("The body is larger than %(n)s KB.") % {"n": MAX_BODY_BYTES // 1024}
            return _problems({"body": [message]}, status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        try:
            data = request.data
        except ParseError:
            return _problems({"body": [_("The body is not valid JSON.")]})
        if not isinstance(data, dict):
            return _problems({"body": [_("The body must be a JSON object.")]})
        payload = TicketIntakeSerializer(data=data)
        if not payload.is_valid():
            return _problems(payload.errors)
        values = payload.validated_data
        intake = Intake(
            channel=Channel.API,
            category=values["category"],
            description=values["description"],
            customer_name=values["customer_name"],
            customer_phone=values["customer_phone"],
            customer_email=values["customer_email"],
            card_number=values["card_number"],
            store=values["store_code"],
            receipt_number=values["receipt_number"],
            receipt_at=values["receipt_at"],
            receipt_amount=values["receipt_amount"],
            details={"intake_channel": channel.name},
        )
        try:
            ticket = ticket_file(intake, actor=None)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                return _problems(error.message_dict)
            return _problems({"body": error.messages})
        body = {"number": ticket.number, "status": ticket.status}
        return Response(body, status=status.HTTP_201_CREATED)


class TicketStatusView(ChannelAPIView):
    """A ticket's status by its number and the customer's phone."""

    @extend_schema(
        parameters=[
            OpenApiParameter("phone", str, OpenApiParameter.QUERY, required=True),
        ],
        responses={
            200: TicketStatusSerializer,
            401: DetailSerializer,
            404: DetailSerializer,
            429: DetailSerializer,
        },
    )
    def get(self, request: Request, number: str) -> Response:
        try:
            phone = phone_normalise(request.query_params.get("phone", ""))
        except ValueError:
            phone = ""
        ticket = ticket_public_get(number=number_normalise(number), phone=phone)
        if ticket is None:
            detail = _("No ticket matches this number and phone.")
            return Response({"detail": detail}, status=status.HTTP_404_NOT_FOUND)
        body = {
            "number": ticket.number,
            "status": ticket.status,
            "status_label": str(PUBLIC_STATUS.get(ticket.status, "")),
            "created_at": ticket.created_at,
        }
        return Response(TicketStatusSerializer(body).data)


def api_not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any other URL under the desk's API: JSON, not the site's page."""
    detail = _("No such API endpoint: %(path)s") % {"path": request.path}
    if not request.path.endswith("/"):
        detail += " " + _("(API URLs end with «/».)")
    return JsonResponse({"detail": detail}, status=404)


def _declared_size(request: Request) -> int:
    """The body's declared length; 0 when the header is missing or not a number."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
