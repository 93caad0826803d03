#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    if "DJANGO_SETTINGS_MODULE" not in os.environ:
        # The development settings are the default for `make run` and a developer's
        # commands, never for a production machine: a production secret without a chosen
        # settings module is a deployment mistake (a `release` step migrating with the dev
        # settings), so refuse instead of guessing.
        if os.environ.get("DJANGO_SECRET_KEY"):
            sys.exit(
                "manage.py: DJANGO_SECRET_KEY is set but DJANGO_SETTINGS_MODULE is not; set "
                "DJANGO_SETTINGS_MODULE=portal.settings.production (or portal.settings.dev)."
            )
        os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
