"""Factories for the organisation: regions, stores and people of every role."""

from __future__ import annotations

import datetime

import factory

from portal.org.choices import Role, StoreFormat
from portal.org.models import Region, Store, User

PASSWORD = "correct-horse-battery"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"R{n:02d}")
    name = factory.Sequence(lambda n: f"Регион {n}")


class StoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Store
        django_get_or_create = ["code"]

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"S{n:03d}")
    name = factory.Sequence(lambda n: f"Магазин {n}")
    city = "Казань"
    address = "ул. Баумана, 1"
    format = StoreFormat.SUPERMARKET
    opened_on = datetime.date(2020, 1, 15)
    lp_launch_date = datetime.date(2025, 3, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.ru")
    personnel_number = factory.Sequence(lambda n: f"{n + 500000:06d}")
    last_name = "Иванова"
    first_name = "Анна"
    middle_name = "Петровна"
    role = Role.STORE_STAFF
    store = factory.SubFactory(StoreFactory)
    region = None
    hire_date = datetime.date(2024, 5, 1)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy hook signature
        if create:
            obj.save()


def person(role: str, *, store: Store | None = None, region: Region | None = None, **kw) -> User:
    """A person of `role` placed where the role lives (store, region, or nowhere)."""
    if role in (Role.STORE_STAFF, Role.STORE_MANAGER):
        return UserFactory(role=role, store=store or StoreFactory(), region=None, **kw)
    if role == Role.REGIONAL_MANAGER:
        return UserFactory(role=role, store=None, region=region or RegionFactory(), **kw)
    return UserFactory(role=role, store=None, region=None, is_staff=role == Role.ADMIN, **kw)
