"""OrgEvent becomes a subclass of portal.events' abstract Event: its time is `at`
(renamed from created_at, the rows keep their times; new rows default to now); a
responsibility assigned is an organisation event too."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0004_merge_second_factor_and_labels"),
    ]

    operations = [
        migrations.RenameField(model_name="orgevent", old_name="created_at", new_name="at"),
        migrations.AlterField(
            model_name="orgevent",
            name="at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="time"
            ),
        ),
        migrations.AlterModelOptions(
            name="orgevent",
            options={
                "ordering": ["-at", "-pk"],
                "verbose_name": "organisation event",
                "verbose_name_plural": "organisation events",
            },
        ),
        migrations.AlterField(
            model_name="orgevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("region_created", "Region created"),
                    ("region_updated", "Region updated"),
                    ("store_created", "Store created"),
                    ("store_updated", "Store updated"),
                    ("person_created", "Person created"),
                    ("person_updated", "Person updated"),
                    ("person_deactivated", "Person deactivated"),
                    ("import_applied", "Import applied"),
                    ("second_factor_enrolled", "Second factor enrolled"),
                    ("second_factor_reset", "Second factor reset"),
                    ("second_factor_recovery_used", "Recovery code used"),
                    ("second_factor_codes_renewed", "Recovery codes renewed"),
                    ("responsibility_set", "Responsibility assigned"),
                ],
                max_length=32,
                verbose_name="kind",
            ),
        ),
    ]
