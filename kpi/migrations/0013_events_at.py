"""The batch and POS token events become subclasses of portal.events' abstract Event:
their time is `at` (renamed from created_at, the rows keep their times); a token
event gains who issued it (`actor`, empty for the existing rows: the command) and
`payload`."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("kpi", "0012_store_day_cards"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="importbatchevent", old_name="created_at", new_name="at"),
        migrations.RenameField(model_name="postokenevent", old_name="created_at", new_name="at"),
        migrations.AddField(
            model_name="postokenevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="actor",
            ),
        ),
        migrations.AddField(
            model_name="postokenevent",
            name="payload",
            field=models.JSONField(blank=True, default=dict, verbose_name="details"),
        ),
        migrations.AlterModelOptions(
            name="importbatchevent",
            options={
                "ordering": ["at", "pk"],
                "verbose_name": "receipt import event",
                "verbose_name_plural": "receipt import events",
            },
        ),
        migrations.AlterModelOptions(
            name="postokenevent",
            options={
                "ordering": ["-at", "-pk"],
                "verbose_name": "POS token event",
                "verbose_name_plural": "POS token events",
            },
        ),
    ]
