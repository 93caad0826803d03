"""Tickets grown by SQL with their history, and the ticket the bench opens (see
`incidents.bench`).

A ticket's figures come from random draws (`setseed`), in the shares `world` declares:
its status decides its age (open ones are days old, resolved ones within the reopen
window, closed and merged ones up to a year), its category the queue and, with the
priority, the SLA policy in force, whose targets in business minutes are laid on the
wall clock at the ratio of a week's hours to its business hours (`WALL_PER_BUSINESS`: the
bench needs plausible due moments, not the business-hours engine's exact ones). Open
tickets but the paused ones have `sla_due` (the nearest target still running), the paused
ones an open `SlaPause`; done ones their resolution and closing times. Every ticket has
its «filed» event; one in `HISTORY_EVERY` and every open one the rest of its history
(assigned, answered, paused, resolved, closed, rated) and its messages.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from incidents.bench.world import (
    CATEGORY_SHARES,
    CHANNEL_SHARES,
    FINDING_SHARES,
    NUMBER_PREFIX,
    PRIORITY_SHARES,
    STATUS_SHARES,
    World,
)
from incidents.choices import (
    OPEN_STATUSES,
    CreditStatus,
    ReceiptFinding,
    ResolutionCode,
    RootCause,
    Status,
    TicketEventKind,
)
from incidents.models import CreditRequest, Ticket, TicketEvent
from incidents.services import workflow

WALL_PER_BUSINESS = (24 * 7) / (9 * 5)  # a week's hours over its business hours
HISTORY_EVERY = 5  # one done ticket in five carries its whole history
CUSTOMERS_PER_TICKET = 0.8  # phones (and cards) drawn from a pool this size per ticket

NAMES = (
    "Иванова Мария",
    "Петров Сергей",
    "Смирнова Анна",
    "Кузнецов Дмитрий",
    "Попова Елена",
    "Соколов Андрей",
    "Лебедева Ольга",
    "Козлов Алексей",
    "Новикова Татьяна",
    "Морозов Игорь",
)
DESCRIPTIONS = {  # three per category, in CATEGORY_SHARES order
    "bonus_not_credited": (
        "Купила продукты, бонусы за покупку не пришли.",
        "Чек на 2 450 ₽, карту сканировали, баллов нет уже неделю.",
        "Не начислили бонусы по акции «Двойные баллы».",
    ),
    "account_login": (
        "Не приходит СМС с кодом для входа в личный кабинет.",
        "Личный кабинет пишет «Номер не найден».",
        "Сменил телефон, не могу войти в приложение.",
    ),
    "lost_card": (
        "Потеряла карту, прошу заблокировать и перенести баллы.",
        "Украли кошелёк с картой лояльности.",
        "Карта сломалась, на кассе не читается.",
    ),
    "promotions": (
        "Не понимаю условия акции «3 по цене 2».",
        "Скидка по акции не применилась на кассе.",
        "Когда закончится акция на бытовую химию?",
    ),
    "other": (
        "Прошу удалить мои данные из программы.",
        "Хочу предложить улучшение для приложения.",
        "Вопрос по доставке заказа.",
    ),
    "questionnaire": (
        "Не могу сохранить анкету, кнопка не нажимается.",
        "Ошиблась в дате рождения в анкете.",
        "Анкета не отправляется из приложения.",
    ),
    "staff_behaviour": (
        "Кассир отказалась сканировать карту.",
        "Грубый ответ продавца в отделе овощей.",
        "Охранник разговаривал некорректно.",
    ),
}
REPLIES = (
    "Здравствуйте! Проверили ваш чек: бонусы поступят в течение 14 дней.",
    "Здравствуйте! Уточните, пожалуйста, номер чека и дату покупки.",
    "Спасибо за обращение, передали информацию руководителю магазина.",
    "Карта заблокирована, баллы перенесём на новую карту.",
)
CUSTOMER_WROTE = "Добрый день, номер чека 000123, покупка 12-го числа."


def _shares(name: str, shares) -> dict:
    """A pick by a draw in [0, 1): the values and their lower bounds, as SQL arrays."""
    bounds, total = [], 0.0
    for _value, share in shares:
        bounds.append(total)
        total += share
    if abs(total - 1) > 1e-9:
        raise ValueError(f"{name}: shares sum to {total}, not 1")
    return {name: [str(value) for value, _s in shares], f"{name}_bounds": bounds}


def _pick(name: str, draw: str) -> str:
    return f"(%({name})s::text[])[width_bucket({draw}, %({name}_bounds)s::float8[])]"


# One statement: the random draws (y), the ticket's choices (z, a), its moments (b, c),
# then the row (m). `OFFSET 0` keeps each level computed once per ticket: folded into the
# next one, a draw would be drawn again for each use.
TICKETS_SQL = f"""
INSERT INTO incidents_ticket (
  number, channel, category, priority, status, queue_id, assignee_id, store_id,
  customer_name, customer_phone, customer_email, card_number, description, details,
  receipt_number, receipt_at, receipt_amount, receipt_finding, receipt_card,
  receipt_loaded_at, receipt_checked_at, resolution_code, root_cause, resolution,
  policy_id, calendar_id, first_response_due, first_responded_at, next_response_due,
  resolution_due, sla_due, paused_at, paused_minutes, escalation, breached, first_contact,
  reopened, created_at, created_by_id, resolved_at, closed_at, csat_token_hash, csat_rating,
  csat_comment, csat_at)
SELECT
  m.number, m.channel, m.category, m.priority, m.status, m.queue_id, m.assignee_id,
  m.store_id, m.customer_name, m.customer_phone, m.customer_email, m.card_number,
  m.description, '{{}}'::jsonb,
  CASE WHEN m.bonus THEN (100000 + floor(m.r_misc * 900000))::text ELSE '' END,
  CASE WHEN m.bonus THEN m.created_at - (1 + 6 * m.r_misc) * interval '1 day' END,
  CASE WHEN m.bonus THEN round((300 + 6000 * m.r_time)::numeric, 2) END,
  m.finding,
  CASE WHEN m.finding = 'identified' THEN m.card_number ELSE '' END,
  CASE WHEN m.finding IN ('identified', 'not_identified')
       THEN m.created_at - (6 * m.r_misc) * interval '1 day' END,
  CASE WHEN m.finding <> '' THEN m.created_at + interval '5 minutes' END,
  CASE WHEN m.status = 'merged' THEN 'duplicate'
       WHEN m.done THEN (%(codes)s::text[])[1 + floor(m.r_text * %(code_count)s)::int]
       ELSE '' END,
  CASE WHEN m.done THEN (%(causes)s::text[])[1 + floor(m.r_misc * %(cause_count)s)::int]
       ELSE '' END,
  CASE WHEN m.done THEN 'Решено по скрипту.' ELSE '' END,
  m.policy_id, %(calendar)s, m.first_response_due, m.first_responded_at, m.next_response_due,
  m.resolution_due, m.sla_due, m.paused_at, 0,
  CASE WHEN m.open AND m.sla_due < %(now)s THEN 1 + (m.r_misc < 0.3)::int
       WHEN m.done AND m.late AND m.r_misc < 0.5 THEN 1 ELSE 0 END,
  CASE WHEN m.open THEN coalesce(m.sla_due < %(now)s, false) ELSE m.late END,
  m.done AND m.r_text < 0.6, 0, m.created_at, m.created_by_id, m.resolved_at,
  CASE WHEN m.status = 'closed' THEN m.resolved_at + %(reopen_days)s * interval '1 day' END,
  '', m.rating, CASE WHEN m.rating <= 2 THEN 'Долго ждали ответа.' ELSE '' END,
  CASE WHEN m.rating IS NOT NULL THEN least(%(now)s, m.resolved_at + interval '1 day') END
FROM (
  SELECT c.*,
    CASE WHEN c.open AND c.status <> 'waiting'
         THEN LEAST(c.resolution_due,
                    CASE WHEN c.first_responded_at IS NULL THEN c.first_response_due END,
                    c.next_response_due) END AS sla_due
  FROM (
    SELECT b.*,
      b.created_at + b.first_minutes * %(wall)s * interval '1 minute' AS first_response_due,
      b.created_at + b.resolution_minutes * %(wall)s * interval '1 minute' AS resolution_due,
      CASE WHEN b.status IN ('in_progress', 'waiting')
             THEN b.created_at + (%(now)s - b.created_at) * (0.1 + 0.4 * b.r_time)
           WHEN b.done AND b.status <> 'merged'
             THEN b.created_at + (b.resolved_at - b.created_at) * 0.3 * b.r_time END
        AS first_responded_at,
      CASE WHEN b.status = 'in_progress' AND b.r_misc < 0.3
           THEN %(now)s + (6 * b.r_time) * interval '1 hour' END AS next_response_due,
      CASE WHEN b.status = 'waiting'
           THEN b.created_at + (%(now)s - b.created_at) * (0.1 + 0.4 * b.r_time) END
        AS paused_at,
      b.resolved_at > b.created_at + b.resolution_minutes * %(wall)s * interval '1 minute'
        AS late,
      CASE WHEN b.done AND b.status <> 'merged' AND b.r_csat < 0.35
           THEN least(5, 1 + floor(sqrt(b.r_csat / 0.35) * 5))::int END AS rating
    FROM (
      SELECT a.*,
        %(number_prefix)s || lpad(a.n::text, 10, '0') AS number,
        a.status = ANY(%(open)s::text[]) AS open,
        NOT a.status = ANY(%(open)s::text[]) AS done,
        a.category = 'bonus_not_credited' AS bonus,
        (%(queues)s::bigint[])[array_position(%(categories)s::text[], a.category)] AS queue_id,
        (%(policies)s::bigint[])[a.policy_at] AS policy_id,
        (%(first_minutes)s::int[])[a.policy_at] AS first_minutes,
        (%(resolution_minutes)s::int[])[a.policy_at] AS resolution_minutes,
        CASE WHEN a.status <> 'new'
             THEN (%(agents)s::bigint[])[1 + floor(a.r_agent * %(agent_count)s)::int] END
          AS assignee_id,
        CASE WHEN a.channel = 'phone'
             THEN (%(agents)s::bigint[])[1 + floor(a.r_text * %(agent_count)s)::int] END
          AS created_by_id,
        CASE WHEN a.r_store < 0.8
             THEN (%(stores)s::bigint[])[1 + floor(a.r_store / 0.8 * %(store_count)s)::int] END
          AS store_id,
        (%(names)s::text[])[1 + floor(a.r_cust * 1000)::int %% %(name_count)s] AS customer_name,
        '79' || lpad(floor(a.r_cust * %(customers)s)::bigint::text, 9, '0') AS customer_phone,
        CASE WHEN a.r_text < 0.3
             THEN 'k' || floor(a.r_cust * %(customers)s)::bigint || '@example.ru' ELSE '' END
          AS customer_email,
        CASE WHEN a.r_misc < 0.6
             THEN '7700' || lpad(floor(a.r_cust * %(customers)s)::bigint::text, 12, '0')
             ELSE '' END AS card_number,
        (%(descriptions)s::text[])[
          (array_position(%(categories)s::text[], a.category) - 1) * 3 + 1
          + floor(a.r_text * 3)::int] AS description,
        CASE WHEN a.category = 'bonus_not_credited' THEN {_pick("findings", "a.r_csat")}
             ELSE '' END AS finding,
        CASE WHEN a.status IN ('closed', 'merged')
               THEN least(%(now)s - interval '1 hour',
                          a.created_at + (0.05 + 4 * a.r_time * a.r_time) * interval '1 day')
             WHEN a.status = 'resolved'
               THEN least(%(now)s - interval '1 hour',
                          a.created_at + (0.05 + 2 * a.r_time) * interval '1 day') END
          AS resolved_at
      FROM (
        SELECT z.*,
          %(now)s - CASE z.status
            WHEN 'new' THEN z.r_age * z.r_age * interval '1 day'
            WHEN 'assigned' THEN z.r_age * z.r_age * interval '2 days'
            WHEN 'in_progress' THEN z.r_age * z.r_age * interval '10 days'
            WHEN 'waiting' THEN z.r_age * interval '10 days'
            WHEN 'resolved' THEN (1 + 12 * z.r_age) * interval '1 day'
            ELSE (%(closed_after)s + (365 - %(closed_after)s) * z.r_age) * interval '1 day'
          END AS created_at
        FROM (
          SELECT y.*,
            array_position(%(policy_keys)s::text[], {_pick("categories", "y.r_category")}
              || '/' || {_pick("priorities", "y.r_priority")}) AS policy_at,
            {_pick("statuses", "y.r_status")} AS status,
            {_pick("categories", "y.r_category")} AS category,
            {_pick("priorities", "y.r_priority")} AS priority,
            {_pick("channels", "y.r_channel")} AS channel
          FROM (
            SELECT n, random() AS r_status, random() AS r_category, random() AS r_priority,
                   random() AS r_channel, random() AS r_age, random() AS r_time,
                   random() AS r_agent, random() AS r_store, random() AS r_cust,
                   random() AS r_text, random() AS r_misc, random() AS r_csat
            FROM generate_series(%(first)s, %(last)s) AS n
            OFFSET 0
          ) y OFFSET 0
        ) z OFFSET 0
      ) a OFFSET 0
    ) b OFFSET 0
  ) c OFFSET 0
) m
ORDER BY m.n
"""

# A row per event of each new ticket; a step whose moment is NULL does not apply to it.
# The payload is built for the rows kept only.
EVENTS_SQL = """
INSERT INTO incidents_ticketevent (ticket_id, kind, actor_id, at, payload, public)
SELECT t.id, e.kind, e.actor_id, e.at,
  CASE e.step
    WHEN 'created' THEN jsonb_build_object(
      'channel', t.channel, 'category', t.category, 'queue', t.queue_code)
    WHEN 'assigned' THEN jsonb_build_object(
      'before', NULL, 'after', t.assignee_id, 'name', t.assignee_name)
    WHEN 'taken' THEN '{"before": "new", "after": "assigned"}'::jsonb
    WHEN 'started' THEN '{"before": "assigned", "after": "in_progress"}'::jsonb
    WHEN 'waiting' THEN '{"before": "in_progress", "after": "waiting"}'::jsonb
    WHEN 'resolved' THEN '{"before": "in_progress", "after": "resolved"}'::jsonb
    WHEN 'closed' THEN '{"before": "resolved", "after": "closed"}'::jsonb
    WHEN 'rated' THEN jsonb_build_object('rating', t.csat_rating)
    ELSE '{}'::jsonb END,
  e.public
FROM (
  SELECT t.id, t.channel, t.category, t.status, t.created_at, t.created_by_id,
    t.assignee_id, t.first_responded_at, t.paused_at, t.resolved_at, t.closed_at, t.csat_at,
    t.csat_rating, q.code AS queue_code,
    mod(t.id, %(every)s) = 0 OR t.status = ANY(%(open)s::text[]) AS history,
    CASE WHEN t.assignee_id IS NOT NULL THEN t.created_at
      + (coalesce(t.first_responded_at, t.resolved_at, %(now)s) - t.created_at) * 0.1 END
      AS assigned_at,
    u.last_name || ' ' || u.first_name AS assignee_name
  FROM incidents_ticket t
  JOIN incidents_queue q ON q.id = t.queue_id
  LEFT JOIN org_user u ON u.id = t.assignee_id
  WHERE t.id > %(after)s AND t.number LIKE %(numbers)s
) t
CROSS JOIN LATERAL (VALUES
  ('created', 'created', t.created_by_id, t.created_at, true),
  ('assigned', 'assigned', t.assignee_id, CASE WHEN t.history THEN t.assigned_at END, false),
  ('taken', 'status', t.assignee_id, CASE WHEN t.history THEN t.assigned_at END, true),
  ('replied', 'replied', t.assignee_id, CASE WHEN t.history THEN t.first_responded_at END,
   true),
  ('started', 'status', t.assignee_id,
   CASE WHEN t.history AND t.status <> 'assigned' THEN t.first_responded_at END, true),
  ('paused', 'paused', t.assignee_id, CASE WHEN t.history THEN t.paused_at END, false),
  ('waiting', 'status', t.assignee_id, CASE WHEN t.history THEN t.paused_at END, true),
  ('resolved', 'status', t.assignee_id, CASE WHEN t.history THEN t.resolved_at END, true),
  ('closed', 'status', NULL::bigint, CASE WHEN t.history THEN t.closed_at END, true),
  ('rated', 'rated', NULL::bigint, CASE WHEN t.history THEN t.csat_at END, false),
  ('merged', 'merged', t.assignee_id,
   CASE WHEN t.history AND t.status = 'merged' THEN t.created_at + interval '2 hours' END,
   true)
) AS e(step, kind, actor_id, at, public)
WHERE e.at IS NOT NULL
ORDER BY t.id, e.at
"""

MESSAGES_SQL = """
INSERT INTO incidents_ticketmessage (ticket_id, kind, author_id, body, at, sent_to)
SELECT t.id, e.kind, e.author_id, e.body, e.at, e.sent_to
FROM (
  SELECT t.*, mod(t.id, %(every)s) = 0 OR t.status = ANY(%(open)s::text[]) AS history
  FROM incidents_ticket t
  WHERE t.id > %(after)s AND t.number LIKE %(numbers)s
) t
CROSS JOIN LATERAL (VALUES
  ('reply', t.assignee_id, (%(replies)s::text[])[1 + mod(t.id, %(reply_count)s)::int],
   t.first_responded_at, t.customer_email),
  ('customer', NULL::bigint, %(customer_wrote)s,
   CASE WHEN t.next_response_due IS NOT NULL
        THEN t.first_responded_at + (%(now)s - t.first_responded_at) / 2 END, '')
) AS e(kind, author_id, body, at, sent_to)
WHERE t.history AND e.at IS NOT NULL
ORDER BY t.id, e.at
"""

PAUSES_SQL = """
INSERT INTO incidents_slapause (ticket_id, started_at)
SELECT id, paused_at FROM incidents_ticket
WHERE id > %(after)s AND number LIKE %(numbers)s AND status = 'waiting'
"""

# A merged ticket joined the one numbered just before it (after it, for the first one).
MERGED_SQL = """
UPDATE incidents_ticket SET merged_into_id = CASE WHEN id > %(low)s THEN id - 1 ELSE id + 1 END
WHERE id > %(after)s AND number LIKE %(numbers)s AND status = 'merged'
"""


def _params(world: World, *, first: int, last: int, now: dt.datetime) -> dict:
    categories = [str(category) for category, _share in CATEGORY_SHARES]
    keys = list(world.policies)
    return {
        **_shares("statuses", STATUS_SHARES),
        **_shares("categories", CATEGORY_SHARES),
        **_shares("priorities", PRIORITY_SHARES),
        **_shares("channels", CHANNEL_SHARES),
        **_shares("findings", FINDING_SHARES),
        "first": first,
        "last": last,
        "now": now,
        "wall": WALL_PER_BUSINESS,
        "open": [str(status) for status in OPEN_STATUSES],
        "number_prefix": NUMBER_PREFIX,
        "queues": [world.queue_of(category).pk for category in categories],
        "policy_keys": [f"{category}/{priority}" for category, priority in keys],
        "policies": [world.policies[key].pk for key in keys],
        "first_minutes": [world.policies[key].first_response_minutes for key in keys],
        "resolution_minutes": [world.policies[key].resolution_minutes for key in keys],
        "calendar": world.calendar.pk,
        "agents": [agent.pk for agent in world.agents],
        "agent_count": len(world.agents),
        "stores": [store.pk for store in world.stores],
        "store_count": len(world.stores),
        "names": list(NAMES),
        "name_count": len(NAMES),
        "customers": max(100, round(last * CUSTOMERS_PER_TICKET)),
        "descriptions": [text for category in categories for text in DESCRIPTIONS[category]],
        "codes": [code for code in ResolutionCode.values if code != ResolutionCode.DUPLICATE],
        "code_count": len(ResolutionCode.values) - 1,
        "causes": list(RootCause.values),
        "cause_count": len(RootCause.values),
        "reopen_days": settings.INCIDENTS_REOPEN_DAYS,
        "closed_after": settings.INCIDENTS_REOPEN_DAYS + 6,  # closed by then
    }


def tickets_grow(world: World, *, first: int, count: int, seed: float) -> dict[str, int]:
    """Tickets numbered `first`…`first + count - 1` (B0000000001…) with their history, in
    one transaction. Returns the rows written per table."""
    now = timezone.now()
    last = first + count - 1
    params = _params(world, first=first, last=last, now=now)
    history = {
        "every": HISTORY_EVERY,
        "open": params["open"],
        "now": now,
        "numbers": f"{NUMBER_PREFIX}%",
        "replies": list(REPLIES),
        "reply_count": len(REPLIES),
        "customer_wrote": CUSTOMER_WROTE,
    }
    written = {}
    with transaction.atomic(), connection.cursor() as cursor:
        # Foreign keys checked per statement, not all at the commit (Django's are deferred).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SELECT coalesce(max(id), 0) FROM incidents_ticket")
        after = cursor.fetchone()[0]
        history["after"] = after
        cursor.execute("SELECT setseed(%s)", [seed])
        cursor.execute(TICKETS_SQL, params)
        written["tickets"] = cursor.rowcount
        # The events' and messages' foreign-key checks look a ticket up by id: planned on
        # the statistics of an emptied table (a clean-up's), each one read every ticket
        # (26 s for the events of 20,000 tickets).
        cursor.execute("ANALYZE incidents_ticket")
        cursor.execute(
            "SELECT min(id) FROM incidents_ticket WHERE id > %s AND number LIKE %s",
            [after, history["numbers"]],
        )
        low = cursor.fetchone()[0]
        cursor.execute(MERGED_SQL, {**history, "low": low})
        cursor.execute(EVENTS_SQL, history)
        written["events"] = cursor.rowcount
        cursor.execute(MESSAGES_SQL, history)
        written["messages"] = cursor.rowcount
        cursor.execute(PAUSES_SQL, history)
        written["pauses"] = cursor.rowcount
    return written


def analyze() -> None:
    """Statistics and visibility as autovacuum leaves them after a load this size: measured
    before, the planner guesses at freshly filled tables and index-only scans visit the
    heap."""
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE) incidents_ticket, incidents_ticketevent, incidents_ticketmessage, "
            "incidents_slapause, incidents_personaldataaccess, incidents_creditrequest"
        )
        cursor.execute("ANALYZE")


# The ticket the bench opens --------------------------------------------------------


def probe_ticket(world: World) -> Ticket:
    """The agent's «points not credited» ticket in their queue, given a working history
    through the desk's services (a note, a question that paused the clock, the customer's
    answer, a reply) and a manual credit the supervisor approved."""
    ticket = (
        Ticket.objects.filter(
            queue=world.probe_queue, assignee=world.agent, status=Status.IN_PROGRESS
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if ticket is None:
        raise RuntimeError("no ticket of the agent in progress to open: grow more tickets")
    Ticket.objects.filter(pk=ticket.pk).update(
        receipt_finding=ReceiptFinding.NOT_IDENTIFIED, customer_email=""
    )
    ticket.refresh_from_db()
    agent, now = world.agent, timezone.now()
    start = max(ticket.created_at, now - dt.timedelta(hours=6))
    step = (now - start) / 8
    workflow.ticket_note(ticket, actor=agent, body="Проверила чек в кассовых данных.", at=start)
    workflow.ticket_reply(
        ticket, actor=agent, body=REPLIES[1], wait_for_customer=True, at=start + step
    )
    workflow.customer_wrote(ticket, body=CUSTOMER_WROTE, at=start + 2 * step)
    credit = CreditRequest.objects.create(
        ticket=ticket,
        points="245.00",
        reason="Чек найден, карта не идентифицирована.",
        requested_by=agent,
        requested_at=start + 3 * step,
        status=CreditStatus.APPROVED,
        decided_by=world.supervisor,
        decided_at=start + 4 * step,
    )
    TicketEvent.objects.bulk_create(
        [
            TicketEvent(
                ticket=ticket,
                kind=TicketEventKind.CREDIT_REQUESTED,
                actor=agent,
                at=credit.requested_at,
                public=True,
                payload={"points": "245.00"},
            ),
            TicketEvent(
                ticket=ticket,
                kind=TicketEventKind.CREDIT_DECIDED,
                actor=world.supervisor,
                at=credit.decided_at,
                public=True,
                payload={"approved": True, "points": "245.00"},
            ),
        ]
    )
    workflow.ticket_reply(ticket, actor=agent, body=REPLIES[0], at=start + 5 * step)
    ticket.refresh_from_db()
    return ticket
