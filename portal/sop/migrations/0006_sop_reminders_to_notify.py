"""SOP reminders already sent become notifications, so the new engine does not send them again.

An old row is (reader, version, stage, the e-mail addresses it went to); a notification is
(recipient, "sop.reading:<version>:<reader>", step). Each address that still belongs to a
person becomes that person's notification, already read and delivered by e-mail when the
row was written.
"""

from django.db import migrations
from django.db.models.functions import Lower

STEPS = {"reader": 0, "store_manager": 1, "regional_manager": 2}


def reminders_to_notifications(apps, schema_editor):
    SopReminder = apps.get_model("sop", "SopReminder")
    User = apps.get_model("org", "User")
    Page = apps.get_model("wagtailcore", "Page")
    Notification = apps.get_model("notify", "Notification")
    Delivery = apps.get_model("notify", "Delivery")
    reminders = list(SopReminder.objects.select_related("version", "person"))
    if not reminders:
        return
    addresses = {
        address.strip().lower()
        for reminder in reminders
        for address in reminder.recipients.split(",")
        if address.strip()
    }
    people = {
        person.email_lower: person
        for person in User.objects.annotate(email_lower=Lower("email")).filter(
            email_lower__in=addresses
        )
    }
    titles = dict(
        Page.objects.filter(pk__in={r.version.page_id for r in reminders}).values_list(
            "pk", "title"
        )
    )
    rows, seen = [], set()
    for reminder in reminders:
        step = STEPS.get(reminder.stage, 0)
        key = f"sop.reading:{reminder.version_id}:{reminder.person_id}"
        page_title = titles.get(reminder.version.page_id, "")
        reader = " ".join(p for p in (reminder.person.last_name, reminder.person.first_name) if p)
        title = (
            f"Прочитайте и подтвердите «{page_title}»"
            if step == 0
            else f"{reader} не подтвердил(а) «{page_title}»"
        )
        for address in reminder.recipients.split(","):
            recipient = people.get(address.strip().lower())
            if recipient is None or (recipient.pk, key, step) in seen:
                continue
            seen.add((recipient.pk, key, step))
            rows.append(
                (
                    Notification(
                        recipient=recipient,
                        key=key,
                        step=step,
                        title=title[:255],
                        created_at=reminder.sent_at,
                        read_at=reminder.sent_at,
                    ),
                    address.strip(),
                    reminder.sent_at,
                )
            )
    created = Notification.objects.bulk_create([row[0] for row in rows], batch_size=1000)
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
            for notification, (_n, address, sent_at) in zip(created, rows, strict=True)
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("sop", "0005_merge_review_and_labels"),
        ("notify", "0001_initial"),
    ]

    operations = [migrations.RunPython(reminders_to_notifications, migrations.RunPython.noop)]
