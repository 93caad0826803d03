"""Store days keep the list of the day's distinct cards (participants over a period are
the union of these lists); the days already stored get theirs from the receipts."""

from collections import defaultdict

from django.conf import settings
from django.db import migrations, models


def cards_fill(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE kpi_storeday d SET cards = c.cards FROM ("
                "  SELECT store_id, (issued_at AT TIME ZONE %s)::date AS day,"
                "         jsonb_agg(DISTINCT card_id ORDER BY card_id) AS cards"
                "  FROM kpi_receipt WHERE card_id <> '' GROUP BY 1, 2"
                ") c WHERE c.store_id = d.store_id AND c.day = d.day",
                [settings.TIME_ZONE],
            )
        return
    from django.utils import timezone

    StoreDay = apps.get_model("kpi", "StoreDay")
    Receipt = apps.get_model("kpi", "Receipt")
    cards = defaultdict(set)
    for store_id, issued_at, card in Receipt.objects.exclude(card_id="").values_list(
        "store_id", "issued_at", "card_id"
    ):
        cards[(store_id, timezone.localdate(issued_at))].add(card)
    for day in StoreDay.objects.all():
        day.cards = sorted(cards.get((day.store_id, day.day), ()))
        day.save(update_fields=["cards"])


class Migration(migrations.Migration):
    dependencies = [
        ("kpi", "0011_drift_check_not_finished"),
    ]

    operations = [
        migrations.AddField(
            model_name="storeday",
            name="cards",
            field=models.JSONField(blank=True, default=list, verbose_name="cards seen"),
        ),
        migrations.RunPython(cards_fill, migrations.RunPython.noop),
    ]
