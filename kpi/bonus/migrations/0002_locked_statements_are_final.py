"""A locked statement never changes, whatever writes to the database: triggers refuse
an UPDATE or DELETE of a locked statement, and any INSERT, UPDATE or DELETE of the
results and lines of one (corrections are adjustment lines in a later statement)."""

from django.db import migrations

POSTGRES = """
CREATE FUNCTION bonus_refuse_locked_statement() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'locked' THEN
        RAISE EXCEPTION 'bonus statement % is locked', OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER bonus_statement_locked BEFORE UPDATE OR DELETE ON bonus_statement
    FOR EACH ROW EXECUTE FUNCTION bonus_refuse_locked_statement();

CREATE FUNCTION bonus_refuse_locked_rows() RETURNS trigger AS $$
DECLARE
    sid bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN sid := OLD.statement_id; ELSE sid := NEW.statement_id; END IF;
    IF EXISTS (SELECT 1 FROM bonus_statement WHERE id = sid AND status = 'locked')
       OR (TG_OP = 'UPDATE' AND EXISTS (
           SELECT 1 FROM bonus_statement WHERE id = OLD.statement_id AND status = 'locked'))
    THEN
        RAISE EXCEPTION 'bonus statement % is locked', sid USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER bonus_line_locked BEFORE INSERT OR UPDATE OR DELETE ON bonus_line
    FOR EACH ROW EXECUTE FUNCTION bonus_refuse_locked_rows();
CREATE TRIGGER bonus_result_locked BEFORE INSERT OR UPDATE OR DELETE ON bonus_storeresult
    FOR EACH ROW EXECUTE FUNCTION bonus_refuse_locked_rows();
"""

POSTGRES_DROP = """
DROP TRIGGER bonus_result_locked ON bonus_storeresult;
DROP TRIGGER bonus_line_locked ON bonus_line;
DROP FUNCTION bonus_refuse_locked_rows();
DROP TRIGGER bonus_statement_locked ON bonus_statement;
DROP FUNCTION bonus_refuse_locked_statement();
"""

SQLITE = [
    """CREATE TRIGGER bonus_statement_locked_update BEFORE UPDATE ON bonus_statement
       WHEN OLD.status = 'locked' BEGIN SELECT RAISE(ABORT, 'bonus statement is locked'); END""",
    """CREATE TRIGGER bonus_statement_locked_delete BEFORE DELETE ON bonus_statement
       WHEN OLD.status = 'locked' BEGIN SELECT RAISE(ABORT, 'bonus statement is locked'); END""",
]
for table in ("bonus_line", "bonus_storeresult"):
    SQLITE += [
        f"""CREATE TRIGGER {table}_locked_insert BEFORE INSERT ON {table}
            WHEN (SELECT status FROM bonus_statement WHERE id = NEW.statement_id) = 'locked'
            BEGIN SELECT RAISE(ABORT, 'bonus statement is locked'); END""",
        f"""CREATE TRIGGER {table}_locked_update BEFORE UPDATE ON {table}
            WHEN (SELECT status FROM bonus_statement WHERE id = OLD.statement_id) = 'locked'
              OR (SELECT status FROM bonus_statement WHERE id = NEW.statement_id) = 'locked'
            BEGIN SELECT RAISE(ABORT, 'bonus statement is locked'); END""",
        f"""CREATE TRIGGER {table}_locked_delete BEFORE DELETE ON {table}
            WHEN (SELECT status FROM bonus_statement WHERE id = OLD.statement_id) = 'locked'
            BEGIN SELECT RAISE(ABORT, 'bonus statement is locked'); END""",
    ]
SQLITE_TRIGGERS = [
    "bonus_statement_locked_update",
    "bonus_statement_locked_delete",
    *(f"{t}_locked_{op}" for t in ("bonus_line", "bonus_storeresult") for op in ("insert", "update", "delete")),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER {name}")


class Migration(migrations.Migration):
    dependencies = [("bonus", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
