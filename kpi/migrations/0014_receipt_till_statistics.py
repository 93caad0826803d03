"""PostgreSQL: the planner learns how many (store, cashier) pairs the receipts hold.

Without it, it multiplies the stores by the cashiers (a million pairs where a chain has
thousands) and counts the abuse-flag scan's tills on one process instead of its
parallel workers (`kpi.bonus.selectors.flag_scan.tills`: 2.9 s against 1.3 s over
10,000,000 receipts). Statistics only: nothing reads or writes differently, and
ANALYZE (autovacuum's, or a bench's) fills them.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE STATISTICS IF NOT EXISTS kpi_receipt_tills (ndistinct) "
            "ON store_id, cashier FROM kpi_receipt"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP STATISTICS IF EXISTS kpi_receipt_tills")


class Migration(migrations.Migration):
    dependencies = [("kpi", "0013_events_at")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
