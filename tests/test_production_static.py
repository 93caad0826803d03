"""`make serve` collects static files with the production storage before anything starts:
the manifest storage follows every url() and sourceMappingURL and stops on a missing one."""

from __future__ import annotations

import json

from django.core.management import call_command

PRODUCTION_STATIC = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_collectstatic_succeeds_with_the_production_storage(settings, tmp_path):
    # Given the production static storage writing into an empty STATIC_ROOT
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STATIC}}

    # When static files are collected as `make serve` does
    call_command("collectstatic", interactive=False, verbosity=0)

    # Then it finishes, and the manifest maps the built front-end bundles and our own files
    paths = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in (
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/bootstrap/bootstrap.bundle.min.js",
        "vendor/htmx/htmx.min.js",
        "vendor/bootstrap-icons/bootstrap-icons.min.css",
        "css/portal.css",
        "img/favicon.svg",
    ):
        assert name in paths, f"{name} was not collected (run `make assets`)"
    assert (tmp_path / paths["vendor/bootstrap/bootstrap.bundle.min.js"]).exists()
