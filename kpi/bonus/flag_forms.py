"""The LP manager's decision on an abuse flag: clear or confirm, always with a note."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

CLEAR, CONFIRM = "clear", "confirm"


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (CLEAR, gettext_lazy("Clear: no abuse, the awards are released")),
            (CONFIRM, gettext_lazy("Confirm: abuse, the awards stay held")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=gettext_lazy("What you checked and why you decide so; kept with the decision."),
    )
