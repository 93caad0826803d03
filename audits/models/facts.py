"""Facts of published visits, kept so that trends, failure rates and the auditors'
calibration read a few hundred rows whatever the number of visits behind them.

Rewritten from the visits they summarise whenever a visit is published or its score
corrected (`audits.facts.audit_facts_refresh`), never edited by hand."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ScoreFact(models.Model):
    """One store, month (of the visit) and auditor: visits, the sum and the sum of squares
    of their scores, and how many passed."""

    store = models.ForeignKey(
        "org.Store", on_delete=models.CASCADE, related_name="+", verbose_name=_("store")
    )
    month = models.DateField(_("month"))
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("auditor"),
    )
    visits = models.PositiveIntegerField(default=0, verbose_name=_("visits"))
    passed = models.PositiveIntegerField(default=0, verbose_name=_("passed"))
    score_sum = models.DecimalField(
        max_digits=12, decimal_places=1, default=0, verbose_name=_("sum of scores")
    )
    score_squares = models.DecimalField(
        max_digits=16, decimal_places=2, default=0, verbose_name=_("sum of squared scores")
    )

    class Meta:
        verbose_name = _("score fact")
        verbose_name_plural = _("score facts")
        constraints = [
            models.UniqueConstraint(
                fields=["store", "month", "auditor"], name="audits_score_fact_once"
            )
        ]
        indexes = [models.Index(fields=["month", "store"], name="audits_score_fact_month")]

    def __str__(self) -> str:
        return f"{self.store_id} {self.month:%Y-%m} {self.auditor_id}"


class QuestionFact(models.Model):
    """One region, month and question (by key, the same across versions): how many
    visits answered it (N/A and unanswered do not count) and how many failed it."""

    region = models.ForeignKey(
        "org.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("region")
    )
    month = models.DateField(_("month"))
    key = models.CharField(max_length=64, verbose_name=_("key"))
    text = models.CharField(max_length=300, verbose_name=_("question"))
    answered = models.PositiveIntegerField(default=0, verbose_name=_("answered"))
    failed = models.PositiveIntegerField(default=0, verbose_name=_("failed"))

    class Meta:
        verbose_name = _("question fact")
        verbose_name_plural = _("question facts")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "month", "key"], name="audits_question_fact_once"
            )
        ]
        indexes = [models.Index(fields=["month"], name="audits_question_fact_month")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.month:%Y-%m} {self.key}"
