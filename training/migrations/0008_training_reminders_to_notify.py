"""Training reminders already sent become notifications, so the new engine does not send
them again: (person, kind, assignment or certificate) → (person, "training.assignment:<id>"
step 0 due soon / 1 overdue, or "training.certificate:<id>" step 0), already read, and
delivered by e-mail where the person had an address then."""

from django.db import migrations

STEPS = {"due_soon": 0, "overdue": 1, "expires_soon": 0}


def reminders_to_notifications(apps, schema_editor):
    TrainingReminder = apps.get_model("training", "TrainingReminder")
    Notification = apps.get_model("notify", "Notification")
    Delivery = apps.get_model("notify", "Delivery")
    reminders = TrainingReminder.objects.select_related(
        "person", "assignment__exam", "certificate__exam"
    )
    notifications, addresses = [], []
    for reminder in reminders.iterator(chunk_size=1000):
        if reminder.assignment_id:
            key, exam = f"training.assignment:{reminder.assignment_id}", reminder.assignment.exam
        elif reminder.certificate_id:
            key, exam = f"training.certificate:{reminder.certificate_id}", reminder.certificate.exam
        else:
            continue
        title = {
            "due_soon": f"Экзамен «{exam.title}»: сдать до срока",
            "overdue": f"Экзамен «{exam.title}» просрочен",
            "expires_soon": f"Срок вашего сертификата «{exam.title}» истекает",
        }.get(reminder.kind, exam.title)
        notifications.append(
            Notification(
                recipient_id=reminder.person_id,
                key=key,
                step=STEPS.get(reminder.kind, 0),
                title=title[:255],
                created_at=reminder.sent_at,
                read_at=reminder.sent_at,
            )
        )
        addresses.append((reminder.person.email or "", reminder.sent_at))
    created = Notification.objects.bulk_create(notifications, batch_size=1000)
    Delivery.objects.bulk_create(
        [
            Delivery(
                notification=notification,
                channel="email",
                address=address,
                claimed_at=sent_at,
                sent_at=sent_at,
                attempts=1,
            )
            for notification, (address, sent_at) in zip(created, addresses, strict=True)
            if address
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0007_assignment_revoked_and_event"),
        ("notify", "0001_initial"),
    ]

    operations = [migrations.RunPython(reminders_to_notifications, migrations.RunPython.noop)]
