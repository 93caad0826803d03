"""A set of role codes stored in one column, filterable on SQLite and PostgreSQL alike."""

from __future__ import annotations

from django import forms
from django.db import models

from portal.org.choices import Role


class RoleSetField(models.CharField):
    """Stores `["store_staff", "store_manager"]` as `,store_staff,store_manager,`.

    The delimiters make `field__contains=",store_staff,"` an exact membership test in SQL,
    and the column needs no ArrayField (the embedded mode runs on SQLite).
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("choices", None)
        return name, path, args, kwargs

    @staticmethod
    def encode(roles) -> str:
        codes = [code for code in Role.values if code in set(roles or [])]
        return f",{','.join(codes)}," if codes else ""

    @staticmethod
    def decode(value) -> list[str]:
        if isinstance(value, list | tuple | set):
            return [code for code in Role.values if code in set(value)]
        return [code for code in (value or "").split(",") if code]

    def from_db_value(self, value, expression, connection):
        return self.decode(value)

    def to_python(self, value):
        return self.decode(value)

    def get_prep_value(self, value):
        if isinstance(value, str) and (value == "" or value.startswith(",")):
            return value
        return self.encode(self.decode(value))

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        unknown = set(self.decode(value)) - set(Role.values)
        if unknown:
            raise forms.ValidationError(f"Unknown roles: {', '.join(sorted(unknown))}")
        if not self.blank and not value:
            raise forms.ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=Role.choices,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )
