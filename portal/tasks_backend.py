"""A django-tasks backend that hands Wagtail's background tasks to our Celery workers.

Wagtail 8 enqueues its own work (reference index updates, file deletion) through the
django-tasks API. In production we want one kind of worker, so this backend wraps each
enqueued task in the Celery task `portal.tasks.django_task_run`, which imports the task
function by its module path and calls it. Embedded mode uses the ImmediateBackend instead.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id, normalize_json


class CeleryTaskBackend(BaseTaskBackend):
    supports_defer = True

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        from portal.tasks import django_task_run

        self.validate_task(task)
        result_id = get_random_id()
        args = normalize_json(list(args))
        kwargs = normalize_json(dict(kwargs))
        options: dict[str, Any] = {"task_id": result_id}
        if task.run_after is not None:
            options["eta"] = task.run_after

        def send() -> None:
            django_task_run.apply_async(
                kwargs={"module_path": task.module_path, "args": args, "kwargs": kwargs},
                **options,
            )

        # Enqueue only what committed: a worker must find the rows the task refers to.
        transaction.on_commit(send)
        return TaskResult(
            task=task,
            id=result_id,
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
