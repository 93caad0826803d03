"""The scorecard weights form (HQ)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kpi.bonus.selectors.scorecard import COMPONENTS, Weights
from kpi.bonus.services.scorecard import WEIGHT_MAX


class ScorecardWeightsForm(forms.Form):
    """One whole number 0–100 per component; at least one above zero (the service says
    so when none is)."""

    def __init__(self, *args, current: Weights | None = None, **kwargs):
        if current is not None:
            kwargs.setdefault("initial", {c.key: current.of(c.key) for c in COMPONENTS})
        super().__init__(*args, **kwargs)
        for component in COMPONENTS:
            self.fields[component.key] = forms.IntegerField(
                label=component.label,
                min_value=0,
                max_value=WEIGHT_MAX,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
            )
        self.fields["penetration"].help_text = _(
            "Weights are relative: a component counts by its weight over the sum of the "
            "weights of the components a store has data for."
        )
