"""Who edits the library, and how a change gets reviewed: groups, permissions, workflow.

Written against an app registry so that the same code runs in the data migration (on a
fresh database, before Django has created any permission rows) and from `seed_demo`
(which re-runs it after tests or resets). Idempotent.
"""

from __future__ import annotations

LP_MANAGER_GROUP = "lp_manager"  # the group of the lp_manager role (org.services.role_group)
WORKFLOW_NAME = "Согласование регламентов"
TASK_NAME = "Проверка руководителем ПЛ"

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "document", ["add_document", "change_document", "choose_document"]),
    ("wagtailimages", "image", ["add_image", "change_image", "choose_image"]),
]
MODEL_PERMISSIONS = [
    ("wagtailadmin", "admin", ["access_admin"]),
    (
        "sop",
        "responsibility",
        [
            "add_responsibility",
            "change_responsibility",
            "delete_responsibility",
            "view_responsibility",
        ],
    ),
]


def permission_ensure(apps, app_label: str, model: str, codename: str):
    content_type_model = apps.get_model("contenttypes", "ContentType")
    permission_model = apps.get_model("auth", "Permission")
    content_type, _ = content_type_model.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = permission_model.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": codename.replace("_", " ").capitalize()},
    )
    return permission


def editorial_setup(apps):
    """LP managers edit the content tree in /cms/; every change is reviewed by one of them."""
    group_model = apps.get_model("auth", "Group")
    page_model = apps.get_model("wagtailcore", "Page")
    collection_model = apps.get_model("wagtailcore", "Collection")
    group, _ = group_model.objects.get_or_create(name=LP_MANAGER_GROUP)
    for app_label, model, codenames in MODEL_PERMISSIONS:
        for codename in codenames:
            group.permissions.add(permission_ensure(apps, app_label, model, codename))
    root_collection = collection_model.objects.filter(depth=1).first()
    if root_collection is not None:
        for app_label, model, codenames in COLLECTION_PERMISSIONS:
            for codename in codenames:
                apps.get_model("wagtailcore", "GroupCollectionPermission").objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=permission_ensure(apps, app_label, model, codename),
                )
    home = page_model.objects.filter(depth=2).order_by("path").first()
    if home is None:
        return None
    for codename in PAGE_PERMISSIONS:
        apps.get_model("wagtailcore", "GroupPagePermission").objects.get_or_create(
            group=group,
            page=home,
            permission=permission_ensure(apps, "wagtailcore", "page", codename),
        )
    return _review_workflow(apps, group, home)


def _review_task_model(apps):
    """Our second-person review task; Wagtail's group approval on databases migrated only
    up to 0003 (the model came in 0004, which runs this again and swaps the task)."""
    try:
        return apps.get_model("sop", "SopReviewTask"), ("sop", "sopreviewtask")
    except LookupError:
        return apps.get_model("wagtailcore", "GroupApprovalTask"), (
            "wagtailcore",
            "groupapprovaltask",
        )


def _review_workflow(apps, group, home):
    content_type_model = apps.get_model("contenttypes", "ContentType")
    workflow_model = apps.get_model("wagtailcore", "Workflow")
    workflow_task_model = apps.get_model("wagtailcore", "WorkflowTask")
    task_model, (app_label, model_name) = _review_task_model(apps)
    workflow, _ = workflow_model.objects.get_or_create(name=WORKFLOW_NAME)
    task = task_model.objects.filter(name=TASK_NAME).first()
    if task is None:
        task_type, _ = content_type_model.objects.get_or_create(
            app_label=app_label, model=model_name
        )
        task = task_model.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.groups.add(group)
    _retire_other_tasks(apps, workflow, keep=task)
    workflow_task_model.objects.get_or_create(
        workflow=workflow, task=task, defaults={"sort_order": 0}
    )
    apps.get_model("wagtailcore", "WorkflowPage").objects.update_or_create(
        page=home, defaults={"workflow": workflow}
    )
    return workflow


def _retire_other_tasks(apps, workflow, *, keep) -> None:
    """Earlier review tasks leave the workflow; reviews waiting on them are cancelled (the
    editor submits again, into the review that applies now)."""
    workflow_task_model = apps.get_model("wagtailcore", "WorkflowTask")
    task_state_model = apps.get_model("wagtailcore", "TaskState")
    workflow_state_model = apps.get_model("wagtailcore", "WorkflowState")
    old = workflow_task_model.objects.filter(workflow=workflow).exclude(task_id=keep.pk)
    old_task_ids = list(old.values_list("task_id", flat=True))
    if not old_task_ids:
        return
    waiting = task_state_model.objects.filter(task_id__in=old_task_ids, status="in_progress")
    workflow_state_model.objects.filter(
        pk__in=waiting.values("workflow_state_id"), status="in_progress"
    ).update(status="cancelled")
    waiting.update(status="cancelled")
    apps.get_model("wagtailcore", "Task").objects.filter(pk__in=old_task_ids).update(active=False)
    old.delete()
