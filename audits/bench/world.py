"""The bench chain of `bench_audits`: regions, stores, auditors, an LP manager, a store
manager and a published checklist of 40 questions (see `audits.bench`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from audits.choices import (
    QuestionKind,
)
from audits.models import (
    Checklist,
    ChecklistQuestion,
    ChecklistVersion,
)
from audits.services import checklist_create, checklist_publish
from portal.bench import bench_region_code
from portal.org.choices import Role, StoreFormat
from portal.org.models import Region, Store, User

REGION_PREFIX = bench_region_code("audits")  # BENCH-AUDITS-01…
STORE_PREFIX = "BENCH-AUD-"
PREFIX = "BAUD"  # personnel numbers
EMAIL_DOMAIN = "bench-audits.local"
CHECKLIST_TITLE = "Нагрузочный тест: магазин за 40 вопросов"
REGIONS = 10
CHUNK = 10_000  # visits written per transaction
PATTERNS = 1000  # answer sets per leniency
# How readily an auditor answers «yes»: most alike, one lenient and one harsh auditor in
# the network (the calibration report flags them).
TYPICAL = (0.84, 0.86, 0.88, 0.9)
LENIENT, HARSH = 0.97, 0.62
OPEN_PER_AUDITOR = 4  # visits each auditor holds, due this month (not filed yet)

SECTIONS = (
    (
        "Вход и торговый зал",
        (
            "Вход чистый, двери открываются свободно",
            "Покупателя поприветствовали в течение минуты",
            "Корзины и тележки есть у входа",
            "Освещение зала исправно",
            "Проходы не загромождены коробками",
            "Сотрудники в форме с бейджами",
            "Музыка и объявления звучат негромко",
            "Информация об акциях на входе актуальна",
        ),
    ),
    (
        "Касса: карта лояльности",
        (
            "Кассир предложил карту лояльности",
            "Кассир спросил номер телефона",
            "Кассир назвал бонусы за покупку",
            "Кассир поблагодарил за покупку",
            "Чек выдан вместе со сдачей",
            "На кассе нет посторонних предметов",
            "Кассир предложил пакет",
            "Кассир проверил купюры незаметно для покупателя",
        ),
    ),
    (
        "Консультация",
        (
            "Продавец подошёл сам",
            "Продавец знает ассортимент отдела",
            "Продавец предложил сопутствующий товар",
            "Продавец проводил к нужной полке",
            "Продавец рассказал об условиях возврата",
            "Продавец не отвлекался на телефон",
            "Ответ на вопрос о доставке верный",
        ),
    ),
    (
        "Выкладка и ценники",
        (
            "Ценники на всех товарах полки",
            "Цена на ценнике совпадает с ценой на кассе",
            "Акционные ценники жёлтые и с датой",
            "Нет просроченного товара",
            "Полки заполнены, пустот нет",
            "Товар выставлен лицом к покупателю",
            "Холодильники закрыты, температура в норме",
            "Фрукты и овощи без порчи",
        ),
    ),
    (
        "Чистота и безопасность",
        (
            "Пол в зале чистый",
            "Эвакуационные выходы свободны",
            "Огнетушители на местах",
            "Туалет для покупателей открыт и чистый",
            "Охранник на посту",
            "Камеры наблюдения работают",
            "Тележки у выхода собраны",
            "Мусорные корзины у выхода не переполнены",
        ),
    ),
)


def _question_block(section: int, n: int, text: str) -> dict:
    """A question as the CMS stores it; a few scale, choice and number questions, two
    critical ones, and photos required when the price and freshness checks fail."""
    values: dict = {"text": text, "kind": QuestionKind.YES_NO, "weight": "1"}
    if (section, n) == (1, 0):
        values.update(weight="2", critical="visit")
    elif (section, n) == (1, 1):
        values.update(critical="section")
    elif (section, n) == (1, 3):
        values.update(kind=QuestionKind.SCALE, text="Вежливость кассира")
    elif (section, n) == (1, 4):
        values.update(
            kind=QuestionKind.CHOICE,
            text="Как кассир предложил вступить в программу",
            options=[
                {"label": "Сам, по скрипту", "share": "1"},
                {"label": "После вопроса", "share": "0.5"},
                {"label": "Не предложил", "share": "0"},
            ],
        )
    elif (section, n) == (2, 1):
        values.update(kind=QuestionKind.SCALE)
    elif (section, n) == (4, 6):
        values.update(kind=QuestionKind.NUMERIC, text="Ожидание на кассе, мин", high="5")
        values["allow_na"] = False
    if section == 3 and n < 5:
        values["photo_when_failed"] = True
    return values


def checklist_sections() -> list[dict]:
    """Five sections, 40 questions (the last one a free-text note, which scores nothing)."""
    sections = []
    for s, (title, texts) in enumerate(SECTIONS):
        questions = [_question_block(s, n, text) for n, text in enumerate(texts)]
        if s == len(SECTIONS) - 1:
            questions.append(
                {"text": "Что ещё запомнилось", "kind": QuestionKind.TEXT, "weight": "0"}
            )
        sections.append(
            {"type": "section", "value": {"title": title, "pass_mark": 80, "questions": questions}}
        )
    return sections


@dataclass
class World:
    regions: list[Region]
    stores: list[Store]
    auditors: list[User]
    lp: User
    store_manager: User
    checklist: Checklist
    version: ChecklistVersion
    questions: list[ChecklistQuestion]
    leniency: dict[int, float] = field(default_factory=dict)  # by auditor pk
    works_in: dict[int, int] = field(default_factory=dict)  # auditor pk: region pk

    def auditors_of(self, region_id: int) -> list[User]:
        return [a for a in self.auditors if self.works_in[a.pk] == region_id]


def _person(number: str, role: str, *, store: Store | None = None, last: str = "") -> User:
    return User(
        email=f"{number.lower()}@{EMAIL_DOMAIN}",
        personnel_number=number,
        last_name=last or "Нагрузочный",
        first_name="Проверка",
        role=role,
        store=store,
        password="!",
    )


def bench_setup(*, stores: int, auditors: int) -> World:
    """Ten regions of `stores` stores, `auditors` auditors (each works one region), an LP
    manager, the manager of the first store, and the checklist published."""
    regions = Region.objects.bulk_create(
        Region(code=f"{REGION_PREFIX}-{n:02d}", name=f"Нагрузка, регион {n}")
        for n in range(1, REGIONS + 1)
    )
    opened = date(2018, 3, 1)
    made = Store.objects.bulk_create(
        Store(
            region=regions[(n - 1) * REGIONS // stores],
            code=f"{STORE_PREFIX}{n:04d}",
            name=f"Нагрузочный {n}",
            city="Казань",
            address=f"ул. Нагрузочная, {n}",
            format=StoreFormat.SUPERMARKET,
            opened_on=opened,
        )
        for n in range(1, stores + 1)
    )
    lp = _person(f"{PREFIX}LP0001", Role.LP_MANAGER)
    lp.save()
    manager = _person(f"{PREFIX}SM0001", Role.STORE_MANAGER, store=made[0])
    manager.save()
    people = User.objects.bulk_create(
        _person(f"{PREFIX}A{n:04d}", Role.AUDITOR, last=f"Аудитор {n:02d}")
        for n in range(1, auditors + 1)
    )
    checklist = checklist_create(
        actor=lp,
        title=CHECKLIST_TITLE,
        description="Нагрузочный тест.",
        sections=checklist_sections(),
    )
    checklist = checklist_publish(actor=lp, checklist=checklist)
    version = checklist.versions.get()
    world = World(
        regions=list(regions),
        stores=list(Store.objects.filter(pk__in=[s.pk for s in made]).order_by("code")),
        auditors=list(User.objects.filter(pk__in=[p.pk for p in people]).order_by("pk")),
        lp=lp,
        store_manager=manager,
        checklist=checklist,
        version=version,
        questions=list(version.questions.order_by("section__position", "position")),
    )
    _auditors_place(world)
    return world


def _auditors_place(world: World) -> None:
    """Auditor n works region n mod 10; the network's one lenient and one harsh auditor
    are the third of the first and of the second region (when there are that many)."""
    for n, auditor in enumerate(world.auditors):
        world.works_in[auditor.pk] = world.regions[n % REGIONS].pk
        world.leniency[auditor.pk] = TYPICAL[n % len(TYPICAL)]
    if len(world.auditors) > 2 * REGIONS:
        world.leniency[world.auditors[2 * REGIONS].pk] = LENIENT
    if len(world.auditors) > 2 * REGIONS + 1:
        world.leniency[world.auditors[2 * REGIONS + 1].pk] = HARSH


# Answer sets -------------------------------------------------------------------------
