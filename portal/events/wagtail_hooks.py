"""Every snippet edited in the CMS records its changes (`portal.events.cms`)."""

from __future__ import annotations

from wagtail import hooks
from wagtail.snippets.models import get_snippet_models

from portal.events.cms import RECORDED_ACTIONS, snippet_deleted_record


@hooks.register("register_actions", order=-1)
def register_recorded_snippet_actions(registry) -> None:
    """The recorded create/edit/delete for every snippet model. It runs before the apps'
    own hooks, so a model with its own actions (subclasses of these) keeps them."""
    for model in get_snippet_models():
        for action in RECORDED_ACTIONS:
            registry.register(model, action)


@hooks.register("before_bulk_action")
def record_snippets_deleted_in_bulk(request, action_type, objects, action_class_instance):
    """Wagtail's bulk delete of snippets goes around the actions: record each deletion
    here, in the bulk action's transaction, before the rows go."""
    if action_type != "delete":
        return None
    snippet_models = tuple(get_snippet_models())
    for instance in objects:
        if isinstance(instance, snippet_models):
            snippet_deleted_record(instance, actor=request.user)
    return None
