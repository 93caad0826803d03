"""The demo's «Акции» section: current, coming and past LP promotions as Wagtail pages,
published as an LP manager would (the scripts and the desk's tickets link to them)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from wagtail.models import Page

from incidents.models import PromotionIndexPage, PromotionPage
from portal.org.choices import Role
from portal.org.models import User

# (slug, title, starts (days from today), lasts (days), one line, rules as HTML)
PROMOTIONS = [
    (
        "double-bonus-dairy",
        "Двойные бонусы на молочную продукцию",
        -5,
        14,
        "x2 бонусов на молоко, кефир и творог с фиолетовым ценником «Свои».",
        "<p>Участникам клуба «Свои» начисляется 6% бонусами вместо 3% на товары с фиолетовым "
        "ценником в разделе «Молочная продукция». Бонусы становятся доступны через 14 дней "
        "после покупки (срок возврата).</p><p>Не суммируется с другими акциями на тот же "
        "товар. Покупка без карты или номера телефона в акции не участвует.</p>",
    ),
    (
        "birthday-week",
        "Неделя именинника",
        -20,
        60,
        "Скидка 10% всю неделю до и после дня рождения по карте участника.",
        "<p>Скидка 10% на весь чек в течение 7 дней до и 7 дней после дня рождения, указанного "
        "в анкете. Нужна заполненная анкета с датой рождения не позднее чем за 30 дней.</p>",
    ),
    (
        "weekend-200",
        "200 бонусов за покупку от 2 000 ₽ в выходные",
        6,
        3,
        "Суббота и воскресенье: +200 бонусов за чек от 2 000 ₽.",
        "<p>В субботу и воскресенье за чек от 2 000 ₽ начисляется 200 приветственных бонусов "
        "сверх обычных. Один раз на карту за выходные.</p>",
    ),
    (
        "autumn-coffee",
        "Каждый шестой кофе в подарок",
        -75,
        45,
        "Закончилась: каждая шестая чашка кофе с собой бесплатно.",
        "<p>Акция для участников: каждая шестая чашка кофе с собой — в подарок. Учёт по карте "
        "или номеру телефона.</p>",
    ),
    (
        "welcome-500",
        "500 бонусов за регистрацию в приложении",
        -120,
        60,
        "Закончилась: 500 бонусов новым участникам за регистрацию в приложении.",
        "<p>Новые участники, зарегистрировавшиеся в приложении «Свои», получали 500 бонусов "
        "после первой покупки.</p>",
    ),
]


def promotions_demo_seed(*, today: date | None = None) -> int:
    """Create the section and its promotions once; returns how many pages were made."""
    today = today or timezone.localdate()
    author = User.objects.filter(role=Role.LP_MANAGER, is_active=True).order_by("pk").first()
    home = Page.objects.filter(depth=2).order_by("path").first()
    index = PromotionIndexPage.objects.first()
    made = 0
    if index is None:
        index = PromotionIndexPage(
            title="Акции",
            slug="akcii",
            intro="<p>Акции программы лояльности «Свои». Раздел обновляется каждый понедельник "
            "до 8:00; фиолетовые ценники в магазинах — до 10:00.</p>",
        )
        home.add_child(instance=index)
        index.save_revision(user=author).publish(user=author)
        made += 1
    for slug, title, starts, lasts, summary, rules in PROMOTIONS:
        if PromotionPage.objects.filter(slug=slug).exists():
            continue
        page = PromotionPage(
            title=title,
            slug=slug,
            starts_on=today + timedelta(days=starts),
            ends_on=today + timedelta(days=starts + lasts),
            summary=summary,
            rules=rules,
        )
        index.add_child(instance=page)
        page.save_revision(user=author).publish(user=author)
        made += 1
    return made
