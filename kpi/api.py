"""The POS API: cash-register systems send receipts, which load through the same
all-or-nothing, idempotent path as uploaded files (`kpi.services.receipts_import`).

Authentication: the header `Authorization: Token <token>`. One token per POS system, which
may send receipts of its own stores only; `manage.py pos_token NAME --stores S001,S002`
(or `--region CODE`) issues or rotates it and prints it once (only its SHA-256 is kept).
Sessions are not read: a logged-in person without a token gets 401 like anyone else, and
CSRF does not apply. Messages follow `Accept-Language` (Russian by default).

`POST /api/v1/receipts/` — body `{"receipts": [{...}, ...]}`, each receipt:
`store_code`, `receipt_id` (1–64 characters), `issued_at` (ISO 8601; without an offset it
is the portal's time zone), `amount` (≥ 0, at most 2 decimals, a string or a number),
`items` (integer ≥ 0); optional `card_id`, `cashier`, and the flags `new_member`,
`phone_captured`, `email_captured` (false by default). At most 50,000 receipts and 32 MB
a call.

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

`GET /api/v1/batches/<id>/` — one batch this POS system sent (another system's: 404):
`{"batch", "status", "created_at", "rows", "inserted", "already_loaded", "errors"}`.

`GET /api/schema/` — the OpenAPI 3 schema, public (YAML; `?format=json` for JSON).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.validators import RegexValidator
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated, ParseError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kpi.choices import BatchSource
from kpi.models import ImportBatch, PosSystem
from kpi.pos import pos_authenticate
from kpi.receipts_csv import FIELDS, FLAGS
from kpi.services import receipts_import
from portal.org.import_csv import ImportRejected, RowError

MAX_RECEIPTS = 50_000
MAX_BODY_BYTES = 32 * 1024 * 1024
# The columns of `kpi.receipts_csv`, in the order the API writes them.
CSV_COLUMNS = ("store_code", *FIELDS)
# One receipt is one CSV line, so a line number maps back to a receipt index.
ONE_LINE = RegexValidator(
    r"^[^\x00-\x1f\x7f]*\Z", gettext_lazy("Control characters are not allowed.")
)


# --- Authentication -----------------------------------------------------------------


class PosTokenAuthentication(BaseAuthentication):
    """`Authorization: Token <token>` → (anonymous user, the POS system) as (user, auth)."""

    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[AnonymousUser, PosSystem] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(
                gettext_lazy("Send the header as «Authorization: Token <token>».")
            )
        try:
            raw = parts[1].decode("ascii")
        except UnicodeError:
            raw = ""
        pos = pos_authenticate(raw)
        if pos is None:
            raise AuthenticationFailed(gettext_lazy("Unknown or deactivated POS system token."))
        return AnonymousUser(), pos

    def authenticate_header(self, request: Request) -> str:
        return self.keyword  # makes DRF answer 401 (with WWW-Authenticate), not 403


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


# --- Serializers -----------------------------------------------------------------------


class ReceiptSerializer(serializers.Serializer):
    store_code = serializers.CharField(max_length=20, validators=[ONE_LINE])
    receipt_id = serializers.CharField(max_length=64, validators=[ONE_LINE])
    issued_at = serializers.DateTimeField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal(0))
    items = serializers.IntegerField(min_value=0, max_value=999_999_999)
    card_id = serializers.CharField(
        max_length=64, allow_blank=True, default="", validators=[ONE_LINE]
    )
    cashier = serializers.CharField(
        max_length=20, allow_blank=True, default="", validators=[ONE_LINE]
    )
    new_member = serializers.BooleanField(default=False)
    phone_captured = serializers.BooleanField(default=False)
    email_captured = serializers.BooleanField(default=False)

    def validate_issued_at(self, value):
        try:
            return timezone.localtime(value)
        except (OverflowError, ValueError) as error:
            raise serializers.ValidationError(_("Not a date and time.")) from error


class ReceiptsPayloadSerializer(serializers.Serializer):
    receipts = ReceiptSerializer(many=True, allow_empty=False)

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
    """A CSV row error as an API problem: line 2 of the file is receipts[0]."""
    if error.line < 2:
        return _problem(None, "receipts", error.message)
    index = error.line - 2
    return _problem(index, f"receipts[{index}].{error.field}", error.message)


def _problems(problems: list[dict[str, Any]], code: int = status.HTTP_400_BAD_REQUEST):
    return Response({"errors": problems}, status=code)


# --- Views -------------------------------------------------------------------------------


def receipts_as_csv(receipts: list[dict]) -> bytes:
    """Validated receipts as the CSV `kpi.receipts_csv` reads: English header, `,`,
    local ISO times, one line per receipt."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for receipt in receipts:
        row = {
            **receipt,
            "issued_at": receipt["issued_at"].strftime("%Y-%m-%d %H:%M:%S"),
            "amount": f"{receipt['amount']:f}",
            **{flag: "1" if receipt[flag] else "0" for flag in FLAGS},
        }
        writer.writerow([row[column] for column in CSV_COLUMNS])
    return buffer.getvalue().encode()


def batch_filename(pos: PosSystem) -> str:
    return f"api:{pos.name}"


class PosAPIView(APIView):
    """A view of the POS API: a POS system's token, never a session (so no CSRF either)."""

    authentication_classes = [PosTokenAuthentication]
    permission_classes = [IsPosSystem]


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
                content=receipts_as_csv(receipts),
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

    @extend_schema(responses={200: BatchSerializer, 401: DetailSerializer, 404: DetailSerializer})
    def get(self, request: Request, pk: int) -> Response:
        pos: PosSystem = request.auth
        batch = get_object_or_404(ImportBatch, pk=pk, pos=pos)
        return Response(BatchSerializer(batch).data)
