"""seed_demo creates accounts with a published password: never by accident in production."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from portal.org.models import User


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force-demo-accounts"):
        call_command("seed_demo")

    assert not User.objects.exists()


def test_make_run_uses_settings_with_debug_on(monkeypatch):
    import importlib

    monkeypatch.delenv("DJANGO_DEBUG", raising=False)
    dev = importlib.import_module("portal.settings.dev")

    assert importlib.reload(dev).DEBUG is True
