"""LP managers build courses, exams and question topics in the CMS."""

from django.db import migrations

MODELS = ["course", "exam", "questioncategory"]


def forwards(apps, schema_editor):
    from portal.sop.editorial import LP_MANAGER_GROUP, permission_ensure

    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=LP_MANAGER_GROUP)
    for model in MODELS:
        for action in ("add", "change", "delete", "view"):
            group.permissions.add(permission_ensure(apps, "training", model, f"{action}_{model}"))


class Migration(migrations.Migration):
    dependencies = [("training", "0003_exam_editing"), ("sop", "0003_editorial_setup")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
