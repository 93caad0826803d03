"""The POS API: cash-register systems send receipts, which load through the same
all-or-nothing, idempotent path as uploaded files (`kpi.services.receipts_import`).

Authentication: the header `Authorization: Token <token>`. One token per POS system, which
may send receipts of its own stores only; `manage.py pos_token NAME --stores S001,S002`
(or `--region CODE`) issues or rotates it and prints it once (only its SHA-256 is kept).
Sessions are not read: a logged-in person without a token gets 401 like anyone else, and
CSRF does not apply. Messages follow `Accept-Language` (Russian by default).

`POST /api/v1/receipts/` — body `{"receipts": [{...}, ...]}`, each receipt:
`store_code` (1–20 characters), `receipt_id` (1–64 characters), `issued_at` (ISO 8601 from
1900 on; without an offset it is the portal's time zone), `amount` (0 to 9,999,999,999.99,
at most 2 decimals, a string or a number), `items` (integer 0 to 999,999,999); optional
`card_id`, `cashier`, and the flags `new_member`, `phone_captured`, `email_captured` (false
by default). At most 50,000 receipts and 32 MB a call.

- 201 `{"batch": id, "rows": n, "inserted": n, "already_loaded": n}`. Receipts already
  loaded (same store and receipt id) are counted and left as they were: resending a call
  is safe. Store days are recounted after commit.
- 400 `{"errors": [{"index": 3, "field": "receipts[3].amount", "message": "..."}]}`: not
  JSON, a missing or wrong field, a bad value, the same receipt twice in one call (named
  at the second with the index of the first), a time in the future. `index` is null for a
  problem of the whole body. Nothing is written.
- 401 `{"detail": "..."}`: no token, an unknown or deactivated one.
- 403 `{"detail": "...", "stores": ["S009"]}`: receipts of stores not attached to this POS
  system (or unknown); nothing is written.
- 413 `{"errors": [...]}` as for 400: more than 50,000 receipts or a body over 32 MB.
- 415 `{"detail": "..."}`: a body that is not `application/json`.
- 429 `{"detail": "..."}` with `Retry-After` (seconds): more calls than
  `POS_API_THROTTLE_RATE` allows this token.

Values are taken exactly as the schema states them (`kpi.api_fields`): strings are JSON
strings of one line without spaces at either end, `items` a JSON integer, flags `true` /
`false` (or the strings "true", "false", "1", "0"). Every answer under /api/ is JSON: an
unknown URL 404, a method an endpoint does not take 405 (with `Allow`), an unexpected error
500, and a plain-HTTP call in production 403 (never a redirect).

`GET /api/v1/batches/<id>/` — one batch this POS system sent (another system's: 404):
`{"batch", "status", "created_at", "rows", "inserted", "already_loaded", "errors"}`.

`GET /api/schema/` — the OpenAPI 3 schema, public (YAML; `?format=json` for JSON).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import (
    NotAuthenticated,
    NotFound,
    ParseError,
)
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from kpi.api_fields import AmountField, FlagField, ItemsField, TextField
from kpi.choices import BatchSource
from kpi.models import ImportBatch, PosSystem
from kpi.pos import pos_authenticate
from kpi.services import receipts_import
from portal.api_tokens import TokenAuthentication
from portal.imports.errors import ImportRejected, RowError

logger = logging.getLogger(__name__)

MAX_RECEIPTS = 50_000
MAX_BODY_BYTES = 32 * 1024 * 1024
# Receipts older than this are a client's clock or date format gone wrong.
EARLIEST_YEAR = 1900
MAX_BATCH_ID = 2**63 - 1


# --- Authentication -----------------------------------------------------------------


class PosTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <token>` → (anonymous user, the POS system) as (user, auth)."""

    unknown = gettext_lazy("Unknown or deactivated POS system token.")

    def caller_for(self, raw: str) -> PosSystem | None:
        return pos_authenticate(raw)


class IsPosSystem(BasePermission):
    """Only a request authenticated by a POS system token passes; anything else is 401."""

    def has_permission(self, request: Request, view) -> bool:
        if isinstance(request.auth, PosSystem):
            return True
        raise NotAuthenticated(
            gettext_lazy("A POS system token is required: «Authorization: Token <token>».")
        )


# --- Schema ------------------------------------------------------------------------------


class PosTokenScheme(OpenApiAuthenticationExtension):
    target_class = "kpi.api.PosTokenAuthentication"
    name = "posToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token <token> (manage.py pos_token)",
        }


def schema_endpoints(endpoints: list[tuple]) -> list[tuple]:
    """The schema describes the POS API only (not Wagtail's admin API under /cms/api/)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]


def schema_limits(result: dict, **kwargs) -> dict:
    """The list limits DRF's list field does not export: 1 to MAX_RECEIPTS receipts (more
    is 413, not 400)."""
    receipts = result["components"]["schemas"]["ReceiptsPayload"]["properties"]["receipts"]
    receipts.update(minItems=1, maxItems=MAX_RECEIPTS)
    return result


# --- Serializers -----------------------------------------------------------------------


class ReceiptSerializer(serializers.Serializer):
    """One receipt. Beyond the field rules: its store must be attached to the token (403
    otherwise), and a (store, receipt id) pair may appear once per call (400)."""

    store_code = TextField(max_length=20, help_text="A store attached to this POS system.")
    receipt_id = TextField(max_length=64, help_text="Unique per store; resending is safe.")
    issued_at = serializers.DateTimeField(
        help_text="ISO 8601 from year 1900 on, at most 5 minutes ahead of the portal's clock; "
        "without an offset it is the portal's time zone."
    )
    amount = AmountField()
    items = ItemsField()
    card_id = TextField(max_length=64, default="")
    cashier = TextField(max_length=20, default="")
    new_member = FlagField()
    phone_captured = FlagField()
    email_captured = FlagField()

    def validate_issued_at(self, value):
        try:
            local = timezone.localtime(value)
        except (OverflowError, ValueError) as error:
            raise serializers.ValidationError(_("Not a date and time.")) from error
        if local.year < EARLIEST_YEAR:
            raise serializers.ValidationError(
                _("A receipt time from %(year)s on.") % {"year": EARLIEST_YEAR}
            )
        return local


class ReceiptsPayloadSerializer(serializers.Serializer):
    receipts = ReceiptSerializer(many=True, allow_empty=False, max_length=MAX_RECEIPTS)

    def validate_receipts(self, receipts: list[dict]) -> list[dict]:
        """The same receipt twice in one call: named at the second, with the first's index."""
        first_index: dict[tuple[str, str], int] = {}
        errors: list[dict] = []
        for index, receipt in enumerate(receipts):
            first = first_index.setdefault((receipt["store_code"], receipt["receipt_id"]), index)
            message = _("The same receipt as receipts[%(i)s].") % {"i": first}
            errors.append({"receipt_id": [message]} if first != index else {})
        if any(errors):
            raise serializers.ValidationError(errors)
        return receipts


class BatchCreatedSerializer(serializers.Serializer):
    batch = serializers.IntegerField()
    rows = serializers.IntegerField()
    inserted = serializers.IntegerField()
    already_loaded = serializers.IntegerField()


class BatchSerializer(serializers.ModelSerializer):
    batch = serializers.IntegerField(source="pk")

    class Meta:
        model = ImportBatch
        fields = ["batch", "status", "created_at", "rows", "inserted", "already_loaded", "errors"]


class ProblemSerializer(serializers.Serializer):
    index = serializers.IntegerField(allow_null=True)
    field = serializers.CharField()
    message = serializers.CharField()


class ProblemsSerializer(serializers.Serializer):
    errors = ProblemSerializer(many=True)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ForeignStoresSerializer(DetailSerializer):
    stores = serializers.ListField(child=serializers.CharField())


# --- Errors in one shape -------------------------------------------------------------------


def _problem(index: int | None, field: str, message: str) -> dict[str, Any]:
    return {"index": index, "field": field, "message": str(message)}


def _flatten(detail: Any, path: str = "", index: int | None = None) -> list[dict[str, Any]]:
    """DRF's nested errors as a flat list: `receipts[3].amount` with index 3."""
    if isinstance(detail, dict):
        problems = []
        for key, value in detail.items():
            if key == "non_field_errors":
                problems += _flatten(value, path, index)
            elif isinstance(key, int):  # a list's errors, keyed by the item's position
                problems += _flatten(value, f"{path}[{key}]", key if index is None else index)
            else:
                problems += _flatten(value, f"{path}.{key}" if path else key, index)
        return problems
    if isinstance(detail, list) and detail and all(isinstance(d, str) for d in detail):
        return [_problem(index, path or "body", message) for message in detail]
    if isinstance(detail, list):
        problems = []
        for i, item in enumerate(detail):
            problems += _flatten(item, f"{path}[{i}]", i if index is None else index)
        return problems
    return [_problem(index, path or "body", str(detail))]


def _row_problem(error: RowError) -> dict[str, Any]:
    """A receipt's problem as an API problem: receipt 1 of the payload is receipts[0]."""
    if error.line < 1:
        return _problem(None, "receipts", error.message)
    index = error.line - 1
    return _problem(index, f"receipts[{index}].{error.field}", error.message)


def _problems(problems: list[dict[str, Any]], code: int = status.HTTP_400_BAD_REQUEST):
    return Response({"errors": problems}, status=code)


# --- Views -------------------------------------------------------------------------------


def batch_filename(pos: PosSystem) -> str:
    return f"api:{pos.name}"


class PosTokenThrottle(SimpleRateThrottle):
    """Calls per POS system (its token), at `POS_API_THROTTLE_RATE` ("600/min" by default);
    over it: 429 `{"detail": …}` with `Retry-After` in seconds."""

    scope = "pos"

    def get_rate(self) -> str:
        return settings.POS_API_THROTTLE_RATE

    def get_cache_key(self, request: Request, view) -> str | None:
        if not isinstance(request.auth, PosSystem):
            return None  # refused before this runs (401)
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class PosAPIView(APIView):
    """A view of the POS API: a POS system's token, never a session (so no CSRF either)."""

    authentication_classes = [PosTokenAuthentication]
    permission_classes = [IsPosSystem]
    throttle_classes = [PosTokenThrottle]

    def handle_exception(self, exc: Exception) -> Response:
        """Every answer of the API is JSON, an unexpected error too (logged as usual)."""
        try:
            return super().handle_exception(exc)
        except Exception:  # noqa: BLE001 - reported, then answered in the API's shape
            logger.exception("POS API: unexpected error on %s", self.request.path)
            detail = _("Internal error; nothing was written. Try again later.")
            return Response({"detail": detail}, status.HTTP_500_INTERNAL_SERVER_ERROR)


def api_not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any other URL under /api/ (a malformed batch id, a missing slash): JSON, not a page."""
    detail = _("No such API endpoint: %(path)s") % {"path": request.path}
    if not request.path.endswith("/"):
        detail += " " + _("(API URLs end with «/».)")
    return JsonResponse({"detail": detail}, status=404)


class ReceiptsView(PosAPIView):
    """Load a POS system's receipts: all or nothing, idempotent."""

    @extend_schema(
        request=ReceiptsPayloadSerializer,
        responses={
            201: BatchCreatedSerializer,
            400: ProblemsSerializer,
            401: DetailSerializer,
            403: ForeignStoresSerializer,
            413: ProblemsSerializer,
            429: DetailSerializer,
        },
    )
    def post(self, request: Request) -> Response:
        pos: PosSystem = request.auth
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES:
            message = _("The body is larger than %(n)s MB: send fewer receipts a call.")
            return _problems(
                [_problem(None, "body", message % {"n": MAX_BODY_BYTES // 2**20})],
                status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        try:
            data = request.data
        except ParseError:
            return _problems([_problem(None, "body", _("The body is not valid JSON."))])
        receipts = data.get("receipts") if isinstance(data, dict) else None
        if isinstance(receipts, list) and len(receipts) > MAX_RECEIPTS:
            message = _("At most %(n)s receipts a call; this one has %(c)s.")
            return _problems(
                [_problem(None, "receipts", message % {"n": MAX_RECEIPTS, "c": len(receipts)})],
                status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        payload = ReceiptsPayloadSerializer(data=data)
        if not payload.is_valid():
            return _problems(_flatten(payload.errors))
        receipts = payload.validated_data["receipts"]
        own = set(pos.stores.values_list("code", flat=True))
        foreign = sorted({r["store_code"] for r in receipts} - own)
        if foreign:
            detail = _("Receipts of stores not attached to this POS system; nothing was written.")
            return Response({"detail": detail, "stores": foreign}, status.HTTP_403_FORBIDDEN)
        try:
            batch = receipts_import(
                actor=None,
                records=receipts,
                filename=batch_filename(pos),
                source=BatchSource.API,
                stores=pos.stores.all(),
                pos=pos,
            )
        except ImportRejected as rejected:
            return _problems([_row_problem(error) for error in rejected.errors])
        body = {
            "batch": batch.pk,
            "rows": batch.rows,
            "inserted": batch.inserted,
            "already_loaded": batch.already_loaded,
        }
        return Response(body, status=status.HTTP_201_CREATED)


class BatchDetailView(PosAPIView):
    """One batch this POS system sent; another system's batch is not found."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "id",
                {"type": "integer", "minimum": 1, "maximum": MAX_BATCH_ID},
                OpenApiParameter.PATH,
                description="The batch id the POST answered.",
            )
        ],
        responses={
            200: BatchSerializer,
            401: DetailSerializer,
            404: DetailSerializer,
            429: DetailSerializer,
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        pos: PosSystem = request.auth
        if not 1 <= pk <= MAX_BATCH_ID:  # the database's bigint; larger ids exist nowhere
            raise NotFound()
        batch = get_object_or_404(ImportBatch, pk=pk, pos=pos)
        return Response(BatchSerializer(batch).data)
