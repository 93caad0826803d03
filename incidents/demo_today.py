"""What the demo's people find on the desk today, whatever the hour: unassigned tickets in
the queues (some about to miss their first response), the demo operator's own work (one
waiting for the customer, one with a manual credit for the supervisor to approve, one whose
customer wrote back, one reopened), an overdue ticket with the supervisors, one with the
regional manager, and complaints about the demo store manager's store (one filed by him).
Moments are counted back from `now` in the desk's business minutes, so «about to breach»
holds at night and on Sunday too."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from django.utils import timezone

from incidents.choices import Category, Channel, Priority
from incidents.demo_plans import Planner, canned_fill, free_reply
from incidents.demo_text import (
    DESCRIPTIONS,
    FREE_REPLIES,
    REOPEN_TEXTS,
    STORE_ENTRIES,
    STORE_MANAGER_NOTES,
)
from incidents.history import (
    Assign,
    CreditRequested,
    CustomerWrote,
    HistorySpec,
    Merge,
    Note,
    ReceiptChecked,
    Reply,
    Resolve,
    Step,
    TakeNext,
)
from incidents.services.intake import Intake
from incidents.sla import BusinessHours
from kpi.selectors import ReceiptLookup
from portal.org.models import Store, User


def business_before(hours: BusinessHours, moment: dt.datetime, minutes: int) -> dt.datetime:
    """The moment `minutes` business minutes before `moment` (at an opening or inside the
    working day)."""
    left = dt.timedelta(minutes=minutes)
    local = moment.astimezone(hours.tz)
    day = local.date()
    for _ in range(400):
        if hours.is_working_day(day):
            opens = dt.datetime.combine(day, hours.opens, tzinfo=hours.tz)
            closes = dt.datetime.combine(day, hours.closes, tzinfo=hours.tz)
            end = min(local, closes)
            if end > opens:
                if end - opens >= left:
                    return end - left
                left -= end - opens
        day -= dt.timedelta(days=1)
    raise ValueError("too far back")


class Today:
    """Builds the day's plans for the demo logins."""

    def __init__(self, planner: Planner, *, manager: User | None, region_store: Store | None):
        self.planner, self.cast = planner, planner.cast
        self.now, self.rng = planner.now, planner.rng
        self.operator, self.manager = self.cast.operator, manager
        self.store = self.cast.demo_store
        self.region_store = region_store or self.store
        # «About to breach» is counted on the desk's (Moscow) calendar: stores on it.
        moscow = self.cast.calendars.get(self.store.region_id) if self.store else None
        self.nearby = [
            s for s in self.cast.stores if self.cast.calendars.get(s.region_id) == moscow
        ] or self.cast.stores

    def ago(self, minutes: int) -> dt.datetime:
        return business_before(self.cast.hours, self.now, minutes)

    def _spec(
        self,
        minutes: int,
        category: str,
        *,
        channel: str = Channel.WEB,
        store: Store | None = None,
        actor: User | None = None,
        priority: str = Priority.NORMAL,
        description: str = "",
        steps: list[Step] | None = None,
    ) -> HistorySpec:
        customer = self.planner.customer(channel=channel, email_share=0.3)
        store = store or self.store
        text = description or self.rng.choice(DESCRIPTIONS[category]).format(
            amount="1 850",
            date=f"{self.now - dt.timedelta(days=3):%d.%m}",
            store=f"«{store.name}» ({store.city})",
            points=350,
        )
        intake = Intake(
            channel=channel,
            category=category,
            description=text,
            customer_name=customer.name,
            customer_phone=customer.phone or "+7 916 555-01-01",
            customer_email=customer.email,
            card_number=customer.card,
            store=store,
            priority=priority,
        )
        return HistorySpec(intake=intake, at=self.ago(minutes), actor=actor, steps=steps or [])

    def receipt(self, *, identified: bool) -> ReceiptLookup | None:
        """A receipt of the demo store from the last days, identified or not."""
        for back in range(1, 10):
            day = self.now.date() - dt.timedelta(days=back)
            found = [
                r for r in self.planner.receipts_of(self.store, day) if r.identified == identified
            ]
            if found:
                return self.rng.choice(found)
        return None

    def plans(self) -> list[HistorySpec]:
        if self.store is None:
            return []
        canned = self.cast.canned
        op = self.operator
        specs = []
        # The operator asked for a photo of the receipt and waits for it (clock paused).
        waiting = self._spec(
            200,
            Category.BONUS_NOT_CREDITED,
            channel=Channel.PHONE,
            actor=op,
            description="Покупала в этом магазине на прошлой неделе, бонусы не пришли. Чек "
            "потеряла, номер не помню.",
        )
        waiting.steps = [
            Assign(self.ago(199), assignee=op, actor=op),
            ReceiptChecked(
                self.ago(195),
                store=self.store,
                found=ReceiptLookup("not_found"),
                number="00017",
                purchase_at=self.now - dt.timedelta(days=6, hours=2),
                amount=Decimal("2740.50"),
            ),
            Note(self.ago(190), body=f"Попросила магазин «{self.store.name}» проверить ленту."),
            Reply(self.ago(185), body=canned_fill(canned["Пришлите фото чека"]), wait=True),
        ]
        specs.append(waiting)
        # A manual credit the supervisor is to approve (requested by the operator).
        lost = self.receipt(identified=False)
        if lost is not None:
            credit = self._spec(300, Category.BONUS_NOT_CREDITED)
            credit.intake.receipt_number = lost.receipt_id
            credit.steps = [
                TakeNext(self.ago(290), agent=op),
                ReceiptChecked(self.ago(285), store=self.store, found=lost, number=lost.receipt_id),
                CreditRequested(
                    self.ago(280),
                    points=Decimal(max(10, int(lost.amount * Decimal("0.03")))),
                    reason="Чек найден в данных магазина без карты: кассир не считал карту.",
                ),
                Reply(self.ago(275), body=canned_fill(canned["Чек без карты: ручное начисление"])),
            ]
            specs.append(credit)
        # The customer wrote back: the next response is due within the hour.
        login = self._spec(900, Category.ACCOUNT_LOGIN, store=None)
        login.intake.store = None
        login.steps = [
            Assign(self.ago(880), assignee=op, actor=self.cast.supervisor),
            Reply(self.ago(860), body=canned_fill(canned["Код для входа не приходит"]), wait=True),
            CustomerWrote(
                self.ago(200), body="Повторная отправка не помогла, СМС по-прежнему не приходят."
            ),
        ]
        specs.append(login)
        # The same customer filed it again on the public page: merged.
        duplicate = self._spec(150, Category.ACCOUNT_LOGIN, store=None)
        duplicate.intake = replace(
            login.intake, description="Пишу повторно: не могу войти в кабинет."
        )
        duplicate.steps = [Merge(self.ago(140), into=login, actor=op)]
        specs.append(duplicate)
        # Reopened today: resolved last week, the customer wrote again.
        reopened = self._spec(1500, Category.PROMOTIONS, channel=Channel.PHONE, actor=op)
        reopened.steps = [
            Assign(self.ago(1499), assignee=op, actor=op),
            Reply(self.ago(1490), body=canned_fill(canned["Условия акции"])),
            Resolve(self.ago(1485), code="explained", root_cause="promo_rules"),
            CustomerWrote(self.ago(30), body=REOPEN_TEXTS[2]),
        ]
        specs.append(reopened)
        # A purchase of today, whose receipts are not loaded yet: look again tomorrow.
        midnight = timezone.localtime(self.now).replace(hour=0, minute=1, second=0, microsecond=0)
        today = self._spec(0, Category.BONUS_NOT_CREDITED)
        today.at = self.now - dt.timedelta(minutes=12)
        today.steps = [
            Assign(self.now - dt.timedelta(minutes=11), assignee=op, actor=op),
            ReceiptChecked(
                self.now - dt.timedelta(minutes=9),
                store=self.store,
                found=ReceiptLookup("not_loaded"),
                purchase_at=max(midnight, self.now - dt.timedelta(hours=3)),
                amount=Decimal("1312.00"),
            ),
            Note(
                self.now - dt.timedelta(minutes=8),
                body="Чеки магазина за сегодня ещё не загружены, проверю завтра.",
            ),
        ]
        specs.append(today)
        specs += self._queues()
        specs += self._overdue()
        return specs

    def _queues(self) -> list[HistorySpec]:
        """New tickets nobody has taken yet, one in each queue about to miss its target."""
        specs = [
            self._spec(minutes, Category.BONUS_NOT_CREDITED, store=self.rng.choice(self.nearby))
            for minutes in (15, 55, 100)
        ]
        specs.append(
            self._spec(
                95,
                Category.STAFF_BEHAVIOUR,
                description=f"Кассир магазина «{self.store.name}» отказалась принять карту и "
                "нагрубила. Прошу разобраться.",
            )
        )
        specs.append(self._spec(30, Category.STAFF_BEHAVIOUR, store=self.rng.choice(self.nearby)))
        specs.append(
            self._spec(
                25,
                Category.LOST_CARD,
                channel=Channel.API,
                priority=Priority.URGENT,
                description="Украли сумку с картой, на карте 2 300 бонусов. Срочно заблокируйте!",
            )
        )
        if self.manager is not None:  # the store manager's own entry, at the till
            specs.append(
                self._spec(
                    45,
                    Category.BONUS_NOT_CREDITED,
                    channel=Channel.STORE,
                    actor=self.manager,
                    description=STORE_ENTRIES[0],
                )
            )
        return specs

    def _overdue(self) -> list[HistorySpec]:
        """Past its first response (with the supervisors) and far past its resolution
        (with the regional manager of the demo region)."""
        late = self._spec(400, Category.PROMOTIONS, store=self.rng.choice(self.nearby))
        agent = self.planner.member(self.cast.queues[Category.STAFF_BEHAVIOUR])
        region = self._spec(
            2400,
            Category.STAFF_BEHAVIOUR,
            store=self.region_store,
            description=f"В магазине «{self.region_store.name}» охранник не выпускал меня, пока "
            "я не покажу чек. Требую извинений.",
        )
        region.steps = [
            TakeNext(self.ago(2300), agent=agent),
            Note(self.ago(2290), body="Жалоба передана директору магазина."),
            Reply(
                self.ago(2280),
                body=free_reply(FREE_REPLIES["answer"]),
            ),
        ]
        manager = self.cast.managers.get(self.region_store.pk)
        if manager is not None:
            region.steps.append(Note(self.ago(900), body=STORE_MANAGER_NOTES[1], actor=manager))
        return [late, region]
