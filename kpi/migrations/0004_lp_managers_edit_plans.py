"""LP managers set KPI plans in the CMS."""

from django.db import migrations


def forwards(apps, schema_editor):
    from portal.sop.editorial import LP_MANAGER_GROUP, permission_ensure

    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=LP_MANAGER_GROUP)
    for action in ("add", "change", "delete", "view"):
        group.permissions.add(permission_ensure(apps, "kpi", "plan", f"{action}_plan"))


class Migration(migrations.Migration):
    dependencies = [("kpi", "0003_possystem"), ("sop", "0003_editorial_setup")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
