"""What the statement pages' tests share: a chain's October statement in each state,
a page as a person sees it, and what to read from its HTML."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from kpi.bonus.services.statements import statement_approve, statement_draft, statement_open
from kpi.bonus.tests.factories import OCTOBER, scheme

PENETRATIONS = [80, 75, 70, 60, 55, 50, 45, 40]  # stores 1-3 top, 6-8 bottom


def said(text: str) -> str:
    """A message as the Russian page writes it (translated, escaped)."""
    with translation.override("ru"):
        return escape(gettext(text))


def drafted_statement(c, actor="hq"):
    s = scheme(c.hq, [c.region])
    (statement,) = statement_draft(
        actor=getattr(c, actor) if actor else None, scheme=s, period=OCTOBER
    )
    return statement


def opened_statement(c, actor="hq"):
    return statement_open(actor=c.hq, statement=drafted_statement(c, actor))


def locked_statement(c):
    statement = statement_approve(actor=c.regional, statement=opened_statement(c))
    return statement_approve(actor=c.hq_second, statement=statement)


def statement_page(client, user, statement, **query):
    client.force_login(user)
    return client.get(reverse("bonus:statement", args=[statement.pk]), query)


def with_testid(html: str, testid: str) -> list[str]:
    return re.findall(rf'data-testid="{testid}"', html)


def attr_values(html: str, testid: str, attr: str) -> list[str]:
    return re.findall(rf'data-testid="{testid}"[^>]*?{attr}="([^"]*)"', html)


def result_rows(html: str) -> list[str]:
    return re.findall(r'<tr[^>]*data-store="([^"]+)"', html)


def manager_of(c, index):
    return c.staff[c.stores[index].pk][0]


def seller_of(c, index):
    return c.staff[c.stores[index].pk][1]
