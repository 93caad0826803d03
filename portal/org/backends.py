from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from portal.org.models import User


def person_for_login(login: str) -> User | None:
    """The person a typed login names: an e-mail in any case, or a personnel number."""
    login = login.strip()
    if not login:
        return None
    return User.objects.filter(Q(email__iexact=login) | Q(personnel_number=login)).first()


def login_account_key(request, credentials: dict | None) -> str:
    """django-axes' lockout key: one per person, however the login was typed.

    `A.Ivanova@Example.RU`, `a.ivanova@example.ru` and `100001` are the same account, so
    failures under any of them count together. A login that names nobody is keyed by its
    case-folded text (an attacker probing unknown names is still counted).
    """
    login = (credentials or {}).get("username")
    if login is None:
        login = request.POST.get("username", "") if request is not None else ""
    person = person_for_login(login)
    if person is not None:
        return f"person:{person.personnel_number}"
    return "".join(login.split()).casefold()


class EmailOrPersonnelNumberBackend(ModelBackend):
    """Log in with an e-mail address or a personnel number and a password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        login = username or kwargs.get(User.USERNAME_FIELD) or ""
        if not login.strip() or password is None:
            return None
        user = person_for_login(login)
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
