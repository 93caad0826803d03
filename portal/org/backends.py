from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from portal.org.models import User


class EmailOrPersonnelNumberBackend(ModelBackend):
    """Log in with an e-mail address or a personnel number and a password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        login = (username or kwargs.get(User.USERNAME_FIELD) or "").strip()
        if not login or password is None:
            return None
        user = User.objects.filter(Q(email__iexact=login) | Q(personnel_number=login)).first()
        if user is None:
            # Spend the same time as a real check so timing does not reveal accounts.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        # One query for the user and what scoping needs on every request.
        user = User.objects.select_related("store", "region").filter(pk=user_id).first()
        return user if user and self.user_can_authenticate(user) else None
