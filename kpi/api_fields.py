"""Fields of the POS API that accept exactly what its OpenAPI schema says.

POS vendors generate their clients from `/api/schema/`, so a value the schema calls valid
must be accepted and one it calls invalid refused. DRF's own fields are lenient where the
schema cannot follow them (a number where a string is declared, trimmed spaces, "yes" for
true); these are strict, and each states its exact JSON Schema.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

# A printable character: no C0/C1 control character. (A lone surrogate, "\ud800" in JSON, is
# no Unicode text at all and is refused too; regex engines disagree on how to spell it.)
_CHAR = r"[^\x00-\x1f\x7f-\x9f]"
# At either end also no space of any kind (what str.strip() would remove; the CSV reader
# trims values). Spelled out: `\s` means different things to different regex engines.
_EDGE = r"[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
TEXT_PATTERN = rf"^{_EDGE}(?:{_CHAR}*{_EDGE})?$"
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
AMOUNT_PATTERN = r"^[0-9]{1,10}(\.[0-9]{1,2})?$"
MAX_AMOUNT = Decimal("9999999999.99")
KOPECK = Decimal("0.01")
# Float noise (0.57 sent as 0.5700000000000001) is not a third decimal.
FLOAT_NOISE = Decimal("0.000001")
MAX_ITEMS = 999_999_999
FLAG_STRINGS = {"true": True, "1": True, "false": False, "0": False}


class StrictField(serializers.Field):
    """A field that takes exactly what `json_schema()` describes (the schema reads it)."""

    def to_representation(self, value):
        return value

    def json_schema(self) -> dict:
        raise NotImplementedError


class TextField(StrictField):
    """A JSON string of one line, 1..max_length characters (0 allowed when optional)."""

    default_error_messages = {
        "invalid": _("Send a string."),
        "blank": _("This field may not be blank."),
        "max_length": _("At most %(n)s characters."),
        "pattern": _("One line without control characters or spaces at either end."),
    }

    def __init__(self, *, max_length: int, **kwargs):
        self.max_length = max_length
        self.optional = "default" in kwargs
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        if data == "":
            if self.optional:
                return ""
            self.fail("blank")
        if len(data) > self.max_length:
            raise serializers.ValidationError(
                self.error_messages["max_length"] % {"n": self.max_length}
            )
        if not re.match(TEXT_PATTERN, data) or LONE_SURROGATE.search(data):
            self.fail("pattern")
        return data

    def json_schema(self) -> dict:
        schema = {
            "type": "string",
            "minLength": 0 if self.optional else 1,
            "maxLength": self.max_length,
            "pattern": f"^$|{TEXT_PATTERN}" if self.optional else TEXT_PATTERN,
        }
        if self.optional:
            schema["default"] = ""
        return schema


class AmountField(StrictField):
    """Roubles, 0 to 9,999,999,999.99, at most 2 decimals: a string ("1500.50") or a number."""

    default_error_messages = {
        "invalid": _(
            "An amount in roubles: a string like «1500.50» or a number, at most 2 decimals."
        ),
        "range": _("The amount must be from 0 to 9999999999.99."),
    }

    def to_internal_value(self, data) -> Decimal:
        if isinstance(data, str):
            if not re.match(AMOUNT_PATTERN, data):
                self.fail("invalid")
            return Decimal(data)
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        if isinstance(data, float) and not math.isfinite(data):
            self.fail("invalid")
        try:
            value = Decimal(repr(data)) if isinstance(data, float) else Decimal(data)
            rounded = value.quantize(KOPECK)
        except InvalidOperation:
            self.fail("range")
        if abs(value - rounded) > FLOAT_NOISE:
            self.fail("invalid")
        if not Decimal(0) <= rounded <= MAX_AMOUNT:
            self.fail("range")
        return abs(rounded)  # -0.0 is 0

    def to_representation(self, value) -> str:
        return f"{value:f}"

    def json_schema(self) -> dict:
        return {
            "oneOf": [
                {"type": "string", "pattern": AMOUNT_PATTERN, "example": "1500.50"},
                {"type": "number", "minimum": 0, "maximum": 9999999999.99, "multipleOf": 0.01},
            ]
        }


class ItemsField(StrictField):
    """A JSON integer from 0 to 999,999,999 (not a string, not 3.0)."""

    default_error_messages = {"invalid": _("A whole number of items from 0 to 999999999.")}

    def to_internal_value(self, data) -> int:
        if isinstance(data, bool) or not isinstance(data, int) or not 0 <= data <= MAX_ITEMS:
            self.fail("invalid")
        return data

    def json_schema(self) -> dict:
        return {"type": "integer", "minimum": 0, "maximum": MAX_ITEMS}


class FlagField(StrictField):
    """true or false (the strings "true", "false", "1", "0" are read the same way)."""

    default_error_messages = {"invalid": _("Send true or false.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("default", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> bool:
        if isinstance(data, bool):
            return data
        if isinstance(data, str) and data in FLAG_STRINGS:
            return FLAG_STRINGS[data]
        self.fail("invalid")

    def json_schema(self) -> dict:
        return {
            "oneOf": [{"type": "boolean"}, {"type": "string", "enum": list(FLAG_STRINGS)}],
            "default": False,
        }


class StrictFieldSchema(OpenApiSerializerFieldExtension):
    """Each strict field states its own JSON Schema."""

    target_class = "kpi.api_fields.StrictField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        return self.target.json_schema()
