import pytest

from kpi.services import receipts_import


@pytest.fixture
def load(django_capture_on_commit_callbacks):
    """Import and run the refresh queued after commit, as the worker (or eager Celery) does."""

    def run(content: bytes, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return receipts_import(actor=None, content=content, **kwargs)

    return run
