"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

Where the machine has no /usr/bin/chromium every test here is skipped with a message
saying so; `.ci/run` fails on any skip, so CI always runs them.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


BROWSER_FIXTURES = {"browser", "page", "phone"}


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        drives_a_browser = BROWSER_FIXTURES & set(getattr(item, "fixturenames", ()))
        if here in Path(str(item.fspath)).parents and drives_a_browser:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(
                    pytest.mark.skip(
                        reason="Debian's Chromium is not installed (/usr/bin/chromium); "
                        "install it with `apt-get install chromium` to run browser tests"
                    )
                )


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in the test thread; Django's ORM
    # refuses to run beside one unless told the process knows what it is doing. Only while
    # the browser lives: a deployment must never carry this variable.
    mp = pytest.MonkeyPatch()
    mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # Playwright's greenlets give the test a new context, hence new database connection
    # objects; hand them the migrated data that `serialized_rollback` restores between tests.
    serialized = getattr(connection, "_test_serialized_contents", None)
    with sync_playwright() as playwright:
        if serialized is not None:
            connection._test_serialized_contents = serialized
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
    mp.undo()


def _database_migrated_again() -> None:
    """Empty the test database and give it back its migrated contents (Wagtail's root
    page, the review workflow, permissions), as `serialized_rollback` does between
    transactional tests."""
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is None:
        # No test of this run asked for serialized rollback, and transactional tests here
        # always do (docs/architecture.md, rule 25): none has flushed the database, which
        # holds its migrated contents now. Keep them for the end.
        connection._test_serialized_contents = contents = (
            connection.creation.serialize_db_to_string()
        )
    # Restoring a Wagtail page builds it first, and a page built without an id looks up its
    # content type, creating the row when it is not cached: cache them all before the flush
    # so that the restored rows are the only ones.
    ContentType.objects.get_for_models(*django_apps.get_models(), for_concrete_models=False)
    # Sequences run on (as between transactional tests): the restored rows keep their keys
    # and new rows never collide with them.
    call_command(
        "flush", interactive=False, verbosity=0, inhibit_post_migrate=True, reset_sequences=False
    )
    connection.creation.deserialize_db_from_string(contents)


@dataclass(frozen=True)
class DemoChain:
    url: str  # the live server's address
    output: str  # what `seed_demo` printed


@pytest.fixture(scope="module")
def demo_chain(django_db_setup, django_db_blocker):
    """The demo chain, built by `seed_demo` once for the module that asks for it and served
    by a live server of its own. Its tests share it, so they only sign in and read (or
    leave nothing another test counts on). Afterwards the database is migrated-clean
    again for the tests that follow."""
    from pytest_django.live_server_helper import LiveServer

    output = io.StringIO()
    with django_db_blocker.unblock():
        _database_migrated_again()
        call_command("seed_demo", force_demo_accounts=True, stdout=output)
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield DemoChain(url=server.url, output=output.getvalue())
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            _database_migrated_again()
            connection.close()  # this context's own connection (see `browser`)


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="ru-RU",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def login(
    page, base_url: str, login_value: str, password: str, totp_secret: str | None = None
) -> str | None:
    """Log in through the login page, then pass the second factor where the role has one:
    with `totp_secret` (an enrolled person's app), or, at a first login, by enrolling as a
    person would (reading the secret shown beside the QR code). Returns the secret in use,
    for the person's next login."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", login_value)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_load_state("networkidle")
    if "/accounts/second-factor/enrol/" in page.url:
        return second_factor_enrol(page)
    if "/accounts/second-factor/" in page.url:
        assert totp_secret, f"{login_value} needs a second factor: pass totp_secret"
        second_factor_verify(page, totp_secret)
    return totp_secret


def _submit_code(page, code: str) -> None:
    page.fill("input[name=code]", code)
    page.click("form:has(input[name=code]) button[type=submit]")
    page.wait_for_load_state("networkidle")


def second_factor_enrol(page) -> str:
    """Enrol the authenticator shown on the page; returns its secret."""
    from portal.org.second_factor.services import totp_code_now

    secret = page.locator("[data-testid=second-factor-secret]").inner_text().strip()
    _submit_code(page, totp_code_now(secret))
    page.click("[data-testid=second-factor-continue]")
    page.wait_for_load_state("networkidle")
    return secret


def second_factor_verify(page, secret: str) -> None:
    from portal.org.second_factor.services import totp_code_now

    # The next step's code: a device takes a step once and never an earlier one, and this
    # person may have signed in during this step already. Refused, the code of the step
    # after next is taken once the clock has moved on a step.
    _submit_code(page, totp_code_now(secret, steps_ahead=1))
    if "/accounts/second-factor/" in page.url:
        time.sleep(30 - time.time() % 30 + 1)
        _submit_code(page, totp_code_now(secret, steps_ahead=1))


# axe-core, the accessibility engine, from npm (a dev dependency; never served by the site).
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_FAILING_IMPACTS = ("serious", "critical")


def assert_accessible(page, *, what: str = "") -> None:
    """Run axe-core on the page as it stands and fail on any serious or critical violation.

    Every rule axe ships runs (WCAG 2.x A/AA and best practice); the failure lists each
    violated rule with the first offending elements and axe's summary of why.
    """
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `npm ci` (axe-core is a dev dependency)")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    failing = [v for v in results["violations"] if v["impact"] in AXE_FAILING_IMPACTS]
    lines = []
    for violation in failing:
        lines.append(f"{violation['impact']} {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary']}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    where = what or page.url
    assert not failing, f"axe-core on {where}:\n" + "\n".join(lines)
