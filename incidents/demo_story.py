"""One demo ticket's life, step by step: filed, taken (round robin, «take next», or kept by
the agent who took the call), worked along its category's path (the receipt looked up, a
manual credit asked and decided, the customer asked and answering), resolved, rated or
not, sometimes reopened, closed by the nightly run.

Timing follows the ticket's SLA policy: the first reply comes within the first-response
target nine times in ten, an answer to the customer within the next-response one, so the
breaches the desk shows are the share a hotline really misses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings

from incidents.choices import Category, Channel, ReceiptFinding
from incidents.demo_plans import ABOUT_A_STORE, Weighted, amount_drawn, canned_fill, free_reply
from incidents.demo_promotions import PROMOTIONS
from incidents.demo_text import (
    CREDIT_APPROVALS,
    CREDIT_REASONS,
    CREDIT_REJECTIONS,
    CSAT_COMMENTS,
    DESCRIPTIONS,
    DUPLICATE_TEXTS,
    FOLLOW_UPS,
    FREE_REPLIES,
    NOTES,
    REOPEN_REASONS,
    REOPEN_TEXTS,
    REPLY_FOR,
    RESOLUTION_NOTES,
    STORE_MANAGER_NOTES,
)
from incidents.history import (
    Assign,
    Close,
    CreditDecided,
    CreditRequested,
    CustomerWrote,
    HistorySpec,
    Merge,
    Note,
    Rate,
    ReceiptChecked,
    Reopen,
    Reply,
    Resolve,
    Start,
    Step,
    TakeNext,
)
from incidents.services.intake import Intake
from kpi.selectors import ReceiptLookup

if TYPE_CHECKING:
    from incidents.demo_plans import Planner
    from portal.org.models import Store, User

FINDINGS = Weighted(
    {
        ReceiptFinding.IDENTIFIED: 50,
        ReceiptFinding.NOT_IDENTIFIED: 35,
        ReceiptFinding.NOT_FOUND: 15,
    }
)
DETAILS_BLOCKED = Weighted({"no": 60, "yes": 25, "unknown": 15})
DETAILS_LOGIN = Weighted({"no_code": 50, "not_registered": 20, "changed_number": 25, "other": 5})
STAFF_DESCRIBED = [
    "кассир, женщина в очках",
    "молодой человек на третьей кассе",
    "старший смены",
    "охранник у входа",
    "продавец в отделе овощей",
]
RATINGS = Weighted({5: 55, 4: 22, 3: 8, 2: 6, 1: 9})
RATINGS_SLOW = Weighted({5: 20, 4: 20, 3: 20, 2: 15, 1: 25})
FIRST_CONTACT = 0.4  # of phone calls the agent settles on the line
ON_TIME = 0.93  # replies within their target
RATED = 0.4
REOPENED = 0.03
REASSIGNED = 0.05
# How often the agent has to ask the customer first, by category.
ASK = {
    Category.LOST_CARD: 0.3,
    Category.ACCOUNT_LOGIN: 0.5,
    Category.QUESTIONNAIRE: 0.35,
    Category.PROMOTIONS: 0.35,
    Category.OTHER: 0.5,
}


class Story:
    """Plans one ticket into `spec`."""

    def __init__(
        self, planner: Planner, at: dt.datetime, *, channel: str, category: str, live: bool
    ):
        self.planner, self.rng, self.cast = planner, planner.rng, planner.cast
        self.channel, self.category, self.live = channel, category, live
        self.queue = self.cast.queues[category]
        self.filed = self.t = at
        self.steps: list[Step] = []
        self.agent: User | None = None
        self.open_until: dt.datetime | None = None  # the first resolution
        self.replied = self.slow = False
        self.code, self.cause = "explained", "other"
        self.store: Store | None = None
        if category in ABOUT_A_STORE or channel == Channel.STORE or self.rng.random() < 0.33:
            self.store = planner.store()
        self.purchase: ReceiptLookup | None = None
        self.purchase_day: dt.date | None = None
        self.finding = ""
        if category == Category.BONUS_NOT_CREDITED:
            self._purchase(at)
        self.customer = planner.customer(channel=channel, email_share=0.15 if live else 0.6)
        if self.purchase is not None and self.finding == ReceiptFinding.IDENTIFIED:
            self.customer.card = self.purchase.card_id
        intake = self._intake()
        self.time = planner.time_of(self.store)
        self.policy = planner.policy(category, intake.priority)
        self.first_reply = int(self.policy.first_response_minutes * self._share())
        self.spec = HistorySpec(intake=intake, at=at, actor=self._filer())

    def _share(self, on_time: float = ON_TIME) -> float:
        """The share of a target a reply takes: within it, or late."""
        rng = self.rng
        return rng.uniform(0.05, 0.9) if rng.random() < on_time else rng.uniform(1.05, 2.5)

    # -- the intake -----------------------------------------------------------------

    def _purchase(self, at: dt.datetime) -> None:
        rng = self.rng
        day = at.astimezone(self.cast.tz).date() - dt.timedelta(days=rng.randint(1, 16))
        self.store = self.planner.purchase_store(day, live=self.live)
        self.purchase_day = day
        finding = FINDINGS.pick(rng)
        if finding == ReceiptFinding.NOT_FOUND:  # the number given is not in the POS data
            self.finding = finding
            return
        receipts = self.planner.receipts_of(self.store, day)
        if not receipts:
            self.finding = ReceiptFinding.NOT_FOUND
            return
        identified = finding == ReceiptFinding.IDENTIFIED
        wanted = [r for r in receipts if r.identified == identified]
        self.purchase = rng.choice(wanted or receipts)
        self.finding = (
            ReceiptFinding.IDENTIFIED if self.purchase.identified else ReceiptFinding.NOT_IDENTIFIED
        )

    def _filer(self) -> User | None:
        if self.channel == Channel.PHONE:
            self.agent = self.planner.member(self.queue)
            return self.agent
        if self.channel == Channel.STORE and self.store is not None:
            return self.cast.managers.get(self.store.pk)
        return None

    def _intake(self) -> Intake:
        rng, customer, purchase = self.rng, self.customer, self.purchase
        amount = purchase.amount if purchase else amount_drawn(rng)
        day = self.purchase_day or (self.filed - dt.timedelta(days=rng.randint(0, 5))).date()
        text = rng.choice(DESCRIPTIONS[self.category]).format(
            amount=f"{amount:,.0f}".replace(",", " "),
            date=f"{day:%d.%m}",
            store=f"«{self.store.name}» ({self.store.city})" if self.store else "у дома",
            points=rng.choice([120, 350, 780, 1500, 2300]),
        )
        intake = Intake(
            channel=self.channel,
            category=self.category,
            description=text,
            customer_name=customer.name,
            customer_phone=customer.phone,
            customer_email=customer.email,
            card_number=customer.card,
            store=self.store,
            priority=self.planner.priority(self.category),
        )
        intake.details = self._details()
        if self.category == Category.STAFF_BEHAVIOUR and self.store and rng.random() < 0.5:
            staff = self.cast.staff.get(self.store.pk)
            intake.employee = rng.choice(staff) if staff else None
        if purchase is not None and rng.random() < 0.6:
            intake.receipt_number = purchase.receipt_id
            intake.receipt_at = purchase.issued_at
            intake.receipt_amount = purchase.amount
        return intake

    def _details(self) -> dict[str, str]:
        """The category's own questions (`CATEGORY_FIELDS`), answered as the agent noted."""
        rng = self.rng
        if self.category == Category.LOST_CARD:
            return {
                "blocked": DETAILS_BLOCKED.pick(rng),
                "balance_moved": "yes" if rng.random() < 0.4 else "no",
            }
        if self.category == Category.ACCOUNT_LOGIN:
            return {"problem": DETAILS_LOGIN.pick(rng)}
        if self.category == Category.QUESTIONNAIRE:
            return {"where": rng.choice(["paper", "app", "app", "none"])}
        if self.category == Category.PROMOTIONS:
            return {"promotion": rng.choice(PROMOTIONS)[1]}
        if self.category == Category.STAFF_BEHAVIOUR:
            return {
                "when": f"{self.filed - dt.timedelta(days=rng.randint(0, 3)):%d.%m}, около "
                f"{rng.randint(9, 21)}:{rng.choice(['00', '15', '30', '45'])}",
                "staff_described": rng.choice(STAFF_DESCRIBED),
            }
        return {}

    # -- moments --------------------------------------------------------------------

    def add(self, step: Step) -> None:
        self.steps.append(step)
        self.t = step.at

    def work(self, low: int, high: int | None = None) -> dt.datetime:
        """`low`…`high` working minutes after the last step."""
        return self.work_from(self.t, low, high)

    def work_from(self, moment: dt.datetime, low: int, high: int | None = None) -> dt.datetime:
        """Working minutes on the ticket's own calendar."""
        return self.planner.work(moment, low, high, time=self.time)

    def before_reply(self, fraction: float) -> dt.datetime:
        """A step on the way to the first reply, at `fraction` of its delay."""
        return max(self.t, self.work_from(self.filed, int(self.first_reply * fraction)))

    # -- the life -------------------------------------------------------------------

    def tell(self) -> None:
        rng = self.rng
        self._take()
        if self.channel == Channel.PHONE and rng.random() < FIRST_CONTACT:
            self._first_contact()
        else:
            if rng.random() < 0.5:
                self.add(Start(self.before_reply(rng.uniform(0.3, 0.6))))
            if rng.random() < REASSIGNED:
                other = self.planner.member(self.queue)
                at = self.before_reply(0.7)
                self.add(Assign(at, assignee=other, actor=self.cast.supervisor))
            PATHS[self.category](self)
        self._after_resolution()
        self.spec.steps = self.steps

    def _take(self) -> None:
        """The agent who took the call keeps it; round robin needs no step (it assigns at
        filing); else an agent takes it with «take next» after a while in the queue."""
        if self.agent is not None:
            self.add(
                Assign(self.t + dt.timedelta(minutes=1), assignee=self.agent, actor=self.agent)
            )
        elif not self.queue.auto_assign:
            self.agent = self.planner.member(self.queue)
            self.add(TakeNext(self.before_reply(self.rng.uniform(0.1, 0.5)), agent=self.agent))

    def reply(self, key: str, *, wait: bool = False, low: int = 2, high: int = 30) -> None:
        canned = self.cast.canned.get(REPLY_FOR[key])
        body = canned_fill(canned) if canned else free_reply(FREE_REPLIES["answer"])
        self.add(Reply(self._reply_at(low, high), body=body, wait=wait, canned=canned))

    def free(self, key: str, *, low: int = 2, high: int = 30, **extra: str) -> None:
        body = free_reply(FREE_REPLIES[key], **extra)
        self.add(Reply(self._reply_at(low, high), body=body))

    def _reply_at(self, low: int, high: int) -> dt.datetime:
        if not self.replied:
            self.replied = True
            return self.before_reply(1.0)
        return self.work(low, high)

    def answer(self, key: str = "answer", **extra: str) -> None:
        """The desk answers the customer's message within the next-response target (mostly)."""
        minutes = int(self.policy.next_response_minutes * self._share())
        body = free_reply(FREE_REPLIES[key], **extra)
        self.add(Reply(self.work_from(self.t, max(1, minutes)), body=body))

    def note(self, kind: str, at: dt.datetime | None = None) -> None:
        store = f"«{self.store.name}»" if self.store else "магазин"
        text = self.rng.choice(NOTES[kind]).format(store=store)
        self.add(Note(at or self.work(3, 30), body=text))

    def customer_writes(self, low: float = 1, high: float = 30) -> None:
        rng, purchase = self.rng, self.purchase
        amount = purchase.amount if purchase else amount_drawn(rng)
        text = rng.choice(FOLLOW_UPS[self.category]).format(
            receipt=purchase.receipt_id if purchase else f"{rng.randint(1000, 9999)}",
            date=f"{self.purchase_day or self.filed.date():%d.%m}",
            time=f"{rng.randint(10, 20)}:{rng.randint(0, 59):02d}",
            amount=f"{amount:,.0f}".replace(",", " "),
            card=self.customer.card[-4:] or "1234",
        )
        self.add(CustomerWrote(self.planner.customer_later(self.t, low, high), body=text))

    def resolve(self, code: str, cause: str, *, low: int = 2, high: int = 20) -> None:
        self.resolve_at(self.work(low, high), code, cause)

    def resolve_at(self, at: dt.datetime, code: str, cause: str) -> None:
        at = max(at, self.t)
        self.slow = self.slow or self.time.hours.minutes_between(self.filed, at) > 1200
        self.add(Resolve(at, code=code, root_cause=cause, note=RESOLUTION_NOTES.get(code, "")))
        self.code, self.cause = code, cause
        if self.open_until is None:
            self.open_until = at

    def _first_contact(self) -> None:
        """Settled on the line: the receipt looked up if there is one, at most one reply."""
        if self.category == Category.BONUS_NOT_CREDITED:
            self._receipt_check(self.t + dt.timedelta(minutes=self.rng.randint(2, 5)))
            if self.finding != ReceiptFinding.IDENTIFIED:
                return self._bonus_after_check()
            self.replied = True
            self.reply("points_due", low=1, high=4)
            return self.resolve("points_due", "crediting_delay", low=1, high=3)
        code, cause, key = {
            Category.LOST_CARD: ("card_blocked", "other", Category.LOST_CARD),
            Category.ACCOUNT_LOGIN: ("access_restored", "app_or_sms", Category.ACCOUNT_LOGIN),
            Category.QUESTIONNAIRE: ("explained", "other", Category.QUESTIONNAIRE),
            Category.PROMOTIONS: ("explained", "promo_rules", Category.PROMOTIONS),
            Category.STAFF_BEHAVIOUR: ("store_action", "staff_conduct", "details"),
            Category.OTHER: ("explained", "other", "details"),
        }[self.category]
        self.replied = True
        if self.rng.random() < 0.5:
            self.reply(key, low=3, high=8)
        self.resolve(code, cause, low=2, high=10)

    def _receipt_check(self, at: dt.datetime) -> None:
        purchase, store, rng = self.purchase, self.store, self.rng
        if purchase is not None:
            self.add(ReceiptChecked(at, store=store, found=purchase, number=purchase.receipt_id))
            return
        # The number the customer gives is not in the store's data.
        when = dt.datetime.combine(
            self.purchase_day, dt.time(rng.randint(9, 20), 17), tzinfo=self.cast.tz
        )
        self.add(
            ReceiptChecked(
                at,
                store=store,
                found=ReceiptLookup("not_found"),
                number=f"{rng.randint(10**6, 10**7)}",
                purchase_at=when,
                amount=Decimal(f"{rng.randint(200, 4000)}.{rng.randint(1, 99):02d}"),
            )
        )

    def _bonus_not_credited(self) -> None:
        self._receipt_check(self.before_reply(self.rng.uniform(0.6, 0.9)))
        if self.finding == ReceiptFinding.IDENTIFIED:
            if self.rng.random() < 0.2:
                self.reply("recount")
                return self.resolve("explained", "customer_mistake")
            self.reply("points_due")
            return self.resolve("points_due", "crediting_delay", low=1, high=10)
        self._bonus_after_check()

    def _bonus_after_check(self) -> None:
        rng = self.rng
        if self.finding == ReceiptFinding.NOT_IDENTIFIED:
            points = Decimal(max(10, int(self.purchase.amount * Decimal("0.03"))))
            reason = rng.choice(CREDIT_REASONS)
            self.add(CreditRequested(self.work(2, 10), points=points, reason=reason))
            if not self.replied or rng.random() < 0.5:
                self.reply("credit", low=1, high=5)
            approve = rng.random() < 0.8
            comment = rng.choice(CREDIT_APPROVALS if approve else CREDIT_REJECTIONS)
            decider = self.planner.decider()
            self.add(
                CreditDecided(self.work(20, 600), actor=decider, approve=approve, comment=comment)
            )
            if approve:
                self.free("credited", low=2, high=60)
                return self.resolve("credited", "cashier_not_identified", low=1, high=10)
            self.free("rejected", low=2, high=60, reason=rng.choice(CREDIT_REJECTIONS).lower())
            return self.resolve("refused", "customer_mistake", low=1, high=10)
        # Not found: ask the store and the customer (the clock waits for the customer).
        self.note("store", at=self.before_reply(0.95))
        self.reply("photo", wait=True, low=1, high=10)
        if rng.random() < 0.65:
            self.customer_writes(2, 40)
            self.answer("found")
            cause = rng.choice(["cashier_not_identified", "it_failure", "customer_mistake"])
            return self.resolve("explained", cause, low=1, high=10)
        self.resolve("no_answer", "customer_mistake", low=1650, high=1900)

    def _asked_and_answered(self, key: str, code: str, cause: str) -> None:
        if self.rng.random() < ASK[self.category]:
            self.reply("details" if self.category == Category.OTHER else key, wait=True)
            if self.rng.random() < 0.8:
                self.customer_writes(1, 36)
                self.answer()
                return self.resolve(code, cause, low=1, high=15)
            return self.resolve("no_answer", cause, low=1650, high=1900)
        self.reply(key)
        self.resolve(code, cause, low=1, high=30)

    def _lost_card(self) -> None:
        self._asked_and_answered(Category.LOST_CARD, "card_blocked", "other")

    def _account_login(self) -> None:
        changed = self.spec.intake.details.get("problem") == "changed_number"
        key = "phone_changed" if changed else Category.ACCOUNT_LOGIN
        self._asked_and_answered(key, "access_restored", "app_or_sms")

    def _questionnaire(self) -> None:
        key = "consent" if self.rng.random() < 0.3 else Category.QUESTIONNAIRE
        self._asked_and_answered(key, "explained", "other")

    def _promotions(self) -> None:
        self._asked_and_answered(Category.PROMOTIONS, "explained", "promo_rules")

    def _other(self) -> None:
        cause = self.rng.choice(["other", "other", "it_failure"])
        self._asked_and_answered("details", "explained", cause)

    def _staff_behaviour(self) -> None:
        """Told to the store; its manager answers in a note; resolved when the store acted,
        which takes days (the late ones go up to the regional manager)."""
        rng = self.rng
        self.note("staff", at=self.before_reply(0.8))
        self.reply(Category.STAFF_BEHAVIOUR)
        manager = self.cast.managers.get(self.store.pk) if self.store else None
        if manager is not None and rng.random() < 0.7:
            self.add(Note(self.work(60, 900), body=rng.choice(STORE_MANAGER_NOTES), actor=manager))
        budget = self.policy.resolution_minutes * self._share(0.9)
        self.resolve_at(self.work_from(self.filed, int(budget)), "store_action", "staff_conduct")

    def _after_resolution(self) -> None:
        """Rated (or not), sometimes reopened, closed by the nightly run after the window."""
        rng, planner = self.rng, self.planner
        if self.open_until is None:
            return
        if rng.random() < REOPENED:
            called = self.work_from(self.t + dt.timedelta(days=rng.randint(1, 9)), 0, 120)
            if rng.random() < 0.4 and called < self.t + dt.timedelta(days=13):
                # the customer calls (not over the long holidays); the agent reopens
                self.add(Reopen(called, reason=rng.choice(REOPEN_REASONS)))
            else:  # the customer writes back on the status page
                later = planner.customer_later(self.t, 20, 24 * 9)
                self.add(CustomerWrote(later, body=rng.choice(REOPEN_TEXTS)))
            self.slow = True
            self.answer("again")
            self.resolve(self.code, self.cause, low=1, high=30)
        resolved = self.t
        if rng.random() < RATED:
            rating = (RATINGS_SLOW if self.slow else RATINGS).pick(rng)
            comment = rng.choice(CSAT_COMMENTS[rating]) if rng.random() < 0.6 else ""
            at = planner.customer_later(resolved, 0.3, 60)
            self.add(Rate(at, rating=rating, comment=comment))
        days = dt.timedelta(days=settings.INCIDENTS_REOPEN_DAYS)
        self.add(Close(max(planner.nightly_after(resolved + days), self.t)))

    def duplicate(self) -> HistorySpec | None:
        """The customer filed the same complaint again on the public page; an agent merges
        it into the first while that is still open."""
        first = self.spec
        at = self.planner.customer_later(first.at, 0.5, 20)
        merge_at = self.work_from(at, 10, 90)
        if merge_at >= self.open_until:
            return None
        intake = Intake(
            channel=Channel.WEB,
            category=self.category,
            description=self.rng.choice(DUPLICATE_TEXTS).format(text=first.intake.description),
            customer_name=self.customer.name,
            customer_phone=self.customer.phone,
            customer_email=self.customer.email,
            card_number=self.customer.card,
            store=self.store,
        )
        agent = self.agent or self.planner.member(self.queue)
        return HistorySpec(intake=intake, at=at, steps=[Merge(merge_at, into=first, actor=agent)])


# Each category's way through the desk.
PATHS = {
    Category.BONUS_NOT_CREDITED: Story._bonus_not_credited,
    Category.LOST_CARD: Story._lost_card,
    Category.ACCOUNT_LOGIN: Story._account_login,
    Category.QUESTIONNAIRE: Story._questionnaire,
    Category.PROMOTIONS: Story._promotions,
    Category.STAFF_BEHAVIOUR: Story._staff_behaviour,
    Category.OTHER: Story._other,
}
