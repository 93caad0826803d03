"""Forms of the audits app (Bootstrap 5 markup in the templates; crispy where a form is
rendered whole)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from audits.models import Visit
from portal.files.images import MAX_BYTES

LOCAL = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=LOCAL, **kwargs)


class VisitDetailsForm(forms.ModelForm):
    """The visit's times, the shopper's purchase and observations."""

    class Meta:
        model = Visit
        fields = [
            "started_at",
            "ended_at",
            "receipt_number",
            "receipt_at",
            "receipt_amount",
            "reimbursement",
            "observations",
        ]
        widgets = {
            "started_at": LocalDateTimeInput(),
            "ended_at": LocalDateTimeInput(),
            "receipt_at": LocalDateTimeInput(),
            "observations": forms.Textarea(attrs={"rows": 4}),
            "receipt_amount": forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            "reimbursement": forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        }
        help_texts = {
            "receipt_number": _("As printed on your receipt: the proof of the visit."),
            "reimbursement": _("Empty: the purchase amount."),
        }

    def clean(self):
        data = super().clean()
        for name in ("receipt_amount", "reimbursement"):
            amount = data.get(name)
            if amount is not None and amount < 0:
                self.add_error(name, _("An amount cannot be negative."))
        return data


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo"))
    question = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean_photo(self):
        photo = self.cleaned_data["photo"]
        if photo.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The photo is %(size)s MB; a photo may be at most %(max)s MB.")
                % {"size": round(photo.size / 2**20, 1), "max": MAX_BYTES // 2**20}
            )
        return photo


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("publish", _("Approve and publish")), ("return", _("Return for correction"))]
    )
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False)


class AssignForm(forms.Form):
    auditor = forms.ModelChoiceField(queryset=None, label=_("Auditor"))

    def __init__(self, *args, auditors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = auditors


class PlanForm(forms.Form):
    checklist = forms.ModelChoiceField(queryset=None, label=_("Checklist"))
    region = forms.ModelChoiceField(
        queryset=None, label=_("Region"), required=False, empty_label=_("Every region")
    )
    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    visits_per_store = forms.IntegerField(
        label=_("Visits per store"), min_value=1, max_value=4, initial=1
    )

    def __init__(self, *args, checklists, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checklist"].queryset = checklists
        self.fields["region"].queryset = regions


class OneVisitForm(forms.Form):
    """A visit to one store in a window (a complaint about the store, a new manager)."""

    checklist = forms.ModelChoiceField(queryset=None, label=_("Checklist"))
    store = forms.CharField(label=_("Store code"), max_length=32)
    not_before = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, checklists, stores, **kwargs):
        super().__init__(*args, prefix="one", **kwargs)
        self.fields["checklist"].queryset = checklists
        self.stores = stores

    def clean_store(self):
        code = self.cleaned_data["store"].strip()
        store = self.stores.filter(code=code, is_active=True).first()
        if store is None:
            raise forms.ValidationError(_("No open store has the code %(code)s.") % {"code": code})
        return store


class AnswerChangeForm(forms.Form):
    """An answer as a correction or an accepted appeal sets it."""

    question = forms.CharField(max_length=64, widget=forms.HiddenInput)
    value = forms.CharField(label=_("Answer"), max_length=2000, required=False)
    na = forms.BooleanField(label=_("N/A"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class AppealForm(forms.Form):
    question = forms.CharField(max_length=64, widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Why the answer is wrong"), max_length=2000)


class AppealDecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=[("1", _("Accept")), ("0", _("Reject"))], coerce=lambda v: v == "1"
    )
    value = forms.CharField(label=_("Corrected answer"), max_length=2000, required=False)
    na = forms.BooleanField(label=_("N/A"), required=False)
    decision = forms.CharField(label=_("Decision"), max_length=2000)


class ActionForm(forms.Form):
    question = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("What will be done"), max_length=300)
    owner = forms.ModelChoiceField(queryset=None, label=_("Owner"))
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people


class ActionDoneForm(PhotoForm):
    comment = forms.CharField(label=_("What was done"), max_length=2000, required=False)


class ActionVerifyForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=[("1", _("Verified")), ("0", _("Send back"))], coerce=lambda v: v == "1"
    )
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False)
