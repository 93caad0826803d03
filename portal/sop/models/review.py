"""The library's review step: approval by a second person, never by the change's author."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, TaskState


class SopReviewTask(AbstractGroupApprovalTask):
    """Members of the chosen groups (and superusers) approve or reject a change, except
    its authors: whoever submitted it and whoever saved a revision of it since. Their own
    change offers them no approval, is not in their review queue, and an approval they
    post anyway is refused. So a change goes live with at least two people behind it."""

    @staticmethod
    def change_authors(obj) -> set[int]:
        state = obj.current_workflow_state
        if state is None:
            return set()
        since = obj.revisions.filter(created_at__gte=state.created_at)
        authors = {state.requested_by_id, *since.values_list("user_id", flat=True)}
        return authors - {None}

    def get_actions(self, obj, user):
        if user.pk in self.change_authors(obj):
            return []
        return super().get_actions(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return (
            super()
            .get_task_states_user_can_moderate(user, **kwargs)
            .exclude(workflow_state__requested_by=user)
        )

    def on_action(self, task_state: TaskState, user, action_name, **kwargs):
        if action_name == "approve" and user.pk in self.change_authors(
            task_state.workflow_state.content_object
        ):
            raise PermissionDenied(_("The author of a change cannot approve it."))
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _("Members of the chosen groups approve a change, except its own author")

    class Meta:
        verbose_name = _("Second-person review")
        verbose_name_plural = _("Second-person reviews")
