"""Bring back a table a migration dropped, inside the test's transaction, to test the data
migration that emptied it (PostgreSQL's DDL is transactional: the table goes at rollback)."""

from __future__ import annotations

import importlib

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader


def apps_after(app_label: str, migration: str) -> Apps:
    return MigrationLoader(connection).project_state((app_label, migration)).apps


def table_restore(apps: Apps, app_label: str, model: str):
    historical = apps.get_model(app_label, model)
    with connection.schema_editor() as editor:
        editor.create_model(historical)
    return historical


def migration_function(module: str, name: str):
    return getattr(importlib.import_module(module), name)
