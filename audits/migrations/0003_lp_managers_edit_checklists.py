"""LP managers write mystery-shopper checklists in the CMS (not delete them: a published
checklist's versions are kept for the visits filed against them)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from portal.sop.editorial import LP_MANAGER_GROUP, permission_ensure

    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=LP_MANAGER_GROUP)
    for action in ("add", "change", "view"):
        group.permissions.add(
            permission_ensure(apps, "audits", "checklist", f"{action}_checklist")
        )


class Migration(migrations.Migration):
    dependencies = [("audits", "0002_checklist_versions"), ("sop", "0003_editorial_setup")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
