"""Wagtail's user screens (/cms/users/) with the flags that follow the role locked.

Superuser status and the group come from `User.role` (`person_access_sync`); Wagtail's own
forms would let an administrator tick "Administrator" for anyone, so here that
field is shown but disabled (a disabled field ignores whatever is posted). Groups stay
editable there (a disabled many-to-many field would be saved empty).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet

ROLE_DRIVEN_FIELDS = ("is_superuser",)


def _lock_role_driven_fields(form) -> None:
    for name in ROLE_DRIVEN_FIELDS:
        if name in form.fields:
            form.fields[name].disabled = True
            form.fields[name].help_text = _("Follows the person's role; change the role instead.")


class RoleLockedUserEditForm(UserEditForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _lock_role_driven_fields(self)


class RoleLockedUserCreationForm(UserCreationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _lock_role_driven_fields(self)


class PortalUserViewSet(UserViewSet):
    def get_form_class(self, for_update=False):
        return RoleLockedUserEditForm if for_update else RoleLockedUserCreationForm
