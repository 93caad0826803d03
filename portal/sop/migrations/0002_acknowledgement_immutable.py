"""On PostgreSQL the database itself refuses to change or delete a confirmation."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION sop_acknowledgement_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'sop_acknowledgement rows are immutable: no UPDATE or DELETE';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER sop_acknowledgement_immutable
    BEFORE UPDATE OR DELETE ON sop_acknowledgement
    FOR EACH ROW EXECUTE FUNCTION sop_acknowledgement_immutable();
"""
DROP = """
DROP TRIGGER IF EXISTS sop_acknowledgement_immutable ON sop_acknowledgement;
DROP FUNCTION IF EXISTS sop_acknowledgement_immutable();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("sop", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
