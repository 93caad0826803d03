"""The desk works on a new database: a default business calendar (Moscow, 9–18 on working
days with Russia's holidays), an SLA policy for every ticket with stricter ones for urgent
work and lost cards, and the hotline's queues. Edited afterwards in the admin."""

import datetime as dt

from django.db import migrations

POLICIES = [
    # name, category, priority, first response, next response, resolution (business minutes)
    ("Обычный", "", "", 120, 240, 1620),
    ("Низкий приоритет", "", "low", 480, 540, 2700),
    ("Высокий приоритет", "", "high", 60, 120, 1080),
    ("Срочно", "", "urgent", 30, 60, 540),
    ("Утеря карты", "lost_card", "", 30, 60, 540),
    ("Бонусы не начислены", "bonus_not_credited", "", 120, 240, 2700),
]

QUEUES = [
    ("general", "Общая линия", []),
    ("bonus", "Начисления бонусов", ["bonus_not_credited"]),
    ("cards", "Карты и личный кабинет", ["lost_card", "account_login", "questionnaire"]),
    ("quality", "Качество обслуживания", ["staff_behaviour"]),
]


def setup(apps, schema_editor):
    SlaCalendar = apps.get_model("incidents", "SlaCalendar")
    SlaPolicy = apps.get_model("incidents", "SlaPolicy")
    Queue = apps.get_model("incidents", "Queue")
    if not SlaCalendar.objects.filter(is_default=True).exists():
        SlaCalendar.objects.create(
            name="Москва", time_zone="Europe/Moscow", opens_at=dt.time(9), closes_at=dt.time(18),
            is_default=True,
        )
    for name, category, priority, first, following, resolution in POLICIES:
        SlaPolicy.objects.get_or_create(
            category=category,
            priority=priority,
            defaults={
                "name": name,
                "first_response_minutes": first,
                "next_response_minutes": following,
                "resolution_minutes": resolution,
            },
        )
    for code, name, categories in QUEUES:
        Queue.objects.get_or_create(code=code, defaults={"name": name, "categories": categories})


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_desk")]

    operations = [migrations.RunPython(setup, migrations.RunPython.noop)]
