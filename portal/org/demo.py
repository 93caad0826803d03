"""A deterministic demo chain: 4 regions, 80 stores, ~800 people with Russian names.

The demo is produced as the same CSV files HR would upload and goes through the real
import services, so `seed_demo` exercises exactly the code path of production.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, timedelta

from portal.org.choices import Role
from portal.org.import_csv import PERSON_COLUMNS, STORE_COLUMNS

SEED = 20261124
DEMO_PASSWORD = "demo-portal-2026"
# The demo's authenticator secret (base32) for the logins that need a second factor: add
# it to any TOTP app by hand, or print the current code with `oathtool --totp -b SECRET`.
DEMO_TOTP_SECRET = "DEMOTOTPDEMOTOTPDEMOTOTPDEMOTOTP"
DEMO_EMAIL_DOMAIN = "lp-demo.ru"

REGIONS = [
    ("MSK", "Москва и область", ["Москва", "Химки", "Подольск", "Балашиха", "Мытищи"]),
    (
        "SZ",
        "Северо-Запад",
        ["Санкт-Петербург", "Великий Новгород", "Псков", "Петрозаводск", "Мурманск"],
    ),
    ("VLG", "Поволжье", ["Казань", "Самара", "Нижний Новгород", "Саратов", "Ульяновск"]),
    ("URL", "Урал", ["Екатеринбург", "Челябинск", "Пермь", "Тюмень", "Уфа"]),
]
STORES_PER_REGION = 20
STREETS = [
    "ул. Ленина",
    "пр. Мира",
    "ул. Гагарина",
    "ул. Советская",
    "ул. Победы",
    "пр. Строителей",
    "ул. Садовая",
    "ул. Пушкина",
    "ул. Кирова",
    "ТЦ «Мега»",
    "ТРЦ «Галерея»",
    "ул. Лесная",
]
MALL_NAMES = [
    "Центральный",
    "Северный",
    "Южный",
    "Речной",
    "Парковый",
    "Вокзальный",
    "Заречный",
    "Солнечный",
    "Садовый",
    "Новый",
    "Восточный",
    "Западный",
    "Лесной",
    "Городской",
]

MALE = [
    "Александр",
    "Дмитрий",
    "Максим",
    "Сергей",
    "Андрей",
    "Алексей",
    "Иван",
    "Михаил",
    "Артём",
    "Никита",
    "Евгений",
    "Павел",
    "Роман",
    "Олег",
    "Владимир",
    "Денис",
]
FEMALE = [
    "Анна",
    "Мария",
    "Елена",
    "Ольга",
    "Наталья",
    "Татьяна",
    "Ирина",
    "Екатерина",
    "Светлана",
    "Юлия",
    "Дарья",
    "Ксения",
    "Алина",
    "Виктория",
    "Марина",
    "Полина",
]
# Fathers' names with the patronymics they give (son, daughter), written out rather than
# derived: Russian has too many exceptions for a suffix rule (Павел → Павлович,
# Игорь → Игоревич, Михаил → Михайлович, Юрий → Юрьевич, Илья → Ильич, Лев → Львович).
PATRONYMICS: dict[str, tuple[str, str]] = {
    "Александр": ("Александрович", "Александровна"),
    "Сергей": ("Сергеевич", "Сергеевна"),
    "Владимир": ("Владимирович", "Владимировна"),
    "Андрей": ("Андреевич", "Андреевна"),
    "Николай": ("Николаевич", "Николаевна"),
    "Игорь": ("Игоревич", "Игоревна"),
    "Виктор": ("Викторович", "Викторовна"),
    "Олег": ("Олегович", "Олеговна"),
    "Михаил": ("Михайлович", "Михайловна"),
    "Юрий": ("Юрьевич", "Юрьевна"),
    "Павел": ("Павлович", "Павловна"),
    "Геннадий": ("Геннадьевич", "Геннадьевна"),
}
FATHERS = list(PATRONYMICS)
SURNAMES = [
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
    "Романов",
    "Воробьёв",
]

_TRANSLIT_PAIRS = (
    "а:a б:b в:v г:g д:d е:e ё:e ж:zh з:z и:i й:y к:k л:l м:m н:n о:o п:p р:r с:s т:t у:u "
    "ф:f х:kh ц:ts ч:ch ш:sh щ:shch ъ: ы:y ь: э:e ю:yu я:ya"
)
_TRANSLIT = dict(pair.split(":") for pair in _TRANSLIT_PAIRS.split())


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    personnel_number: str
    last_name: str
    first_name: str
    middle_name: str


# One named login per role; personnel numbers 000001..000008.
DEMO_LOGINS = [
    DemoLogin(
        Role.STORE_STAFF, f"seller@{DEMO_EMAIL_DOMAIN}", "000001", "Смирнова", "Анна", "Сергеевна"
    ),
    DemoLogin(
        Role.STORE_MANAGER,
        f"manager@{DEMO_EMAIL_DOMAIN}",
        "000002",
        "Кузнецов",
        "Дмитрий",
        "Игоревич",
    ),
    DemoLogin(
        Role.AUDITOR, f"auditor@{DEMO_EMAIL_DOMAIN}", "000003", "Орлова", "Ксения", "Павловна"
    ),
    DemoLogin(
        Role.REGIONAL_MANAGER,
        f"region@{DEMO_EMAIL_DOMAIN}",
        "000004",
        "Волков",
        "Андрей",
        "Николаевич",
    ),
    DemoLogin(
        Role.CALL_CENTER_AGENT,
        f"operator@{DEMO_EMAIL_DOMAIN}",
        "000005",
        "Лебедева",
        "Юлия",
        "Олеговна",
    ),
    DemoLogin(
        Role.CALL_CENTER_SUPERVISOR,
        f"supervisor@{DEMO_EMAIL_DOMAIN}",
        "000006",
        "Егорова",
        "Марина",
        "Викторовна",
    ),
    DemoLogin(
        Role.LP_MANAGER, f"lp@{DEMO_EMAIL_DOMAIN}", "000007", "Соколова", "Елена", "Александровна"
    ),
    DemoLogin(Role.ADMIN, f"admin@{DEMO_EMAIL_DOMAIN}", "000008", "Петров", "Михаил", "Юрьевич"),
]
DEMO_STORE_CODE = "MSK001"  # the named seller and store manager work here
DEMO_REGION_CODE = "MSK"  # the named regional manager runs this region


def _translit(text: str) -> str:
    return "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())


def _person_name(rng: random.Random) -> tuple[str, str, str]:
    surname = rng.choice(SURNAMES)
    sons, daughters = PATRONYMICS[rng.choice(FATHERS)]
    if rng.random() < 0.62:  # retail floor staff are mostly women
        first = rng.choice(FEMALE)
        last = surname[:-2] + "ёва" if surname.endswith("ёв") else surname + "а"
        middle = daughters
    else:
        first = rng.choice(MALE)
        last = surname
        middle = sons
    return last, first, middle


def _csv(columns: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def demo_stores_csv() -> bytes:
    rng = random.Random(SEED)
    rows = []
    for region_code, region_name, cities in REGIONS:
        for n in range(1, STORES_PER_REGION + 1):
            city = cities[0] if n <= 8 else rng.choice(cities[1:])
            opened = date(2012, 1, 1) + timedelta(days=rng.randrange(0, 365 * 11))
            # Most stores launched the LP in spring 2025; a few are still waiting.
            launched = (
                max(opened, date(2025, 3, 1)) + timedelta(days=rng.randrange(0, 120))
                if rng.random() < 0.9
                else None
            )
            fmt = rng.choices(["super", "hyper", "convenience", "outlet"], [55, 10, 30, 5])[0]
            rows.append(
                [
                    region_code,
                    region_name,
                    f"{region_code}{n:03d}",
                    f"{rng.choice(MALL_NAMES)}{'' if n <= len(MALL_NAMES) else ' ' + str(n)}",
                    city,
                    f"{rng.choice(STREETS)}, {rng.randrange(1, 180)}",
                    fmt,
                    opened.isoformat(),
                    launched.isoformat() if launched else "",
                    "0" if n == STORES_PER_REGION and region_code == "URL" else "1",
                ]
            )
    return _csv(list(STORE_COLUMNS), rows)


def demo_people_csv() -> bytes:
    rng = random.Random(SEED + 1)
    rows: list[list[str]] = []
    emails: set[str] = set()
    number = 1000

    def add(role: str, store_code: str = "", region_code: str = "") -> None:
        nonlocal number
        number += 1
        last, first, middle = _person_name(rng)
        email = f"{_translit(first)[0]}.{_translit(last)}.{number}@{DEMO_EMAIL_DOMAIN}"
        emails.add(email)
        hired = date(2026, 11, 1) - timedelta(days=rng.randrange(0, 365 * 6))
        active = "0" if rng.random() < 0.03 else "1"
        rows.append(
            [
                f"{number:06d}",
                last,
                first,
                middle,
                email,
                role,
                store_code,
                region_code,
                hired.isoformat(),
                active,
            ]
        )

    for login in DEMO_LOGINS:
        store_code = DEMO_STORE_CODE if login.role in (Role.STORE_STAFF, Role.STORE_MANAGER) else ""
        region_code = DEMO_REGION_CODE if login.role == Role.REGIONAL_MANAGER else ""
        rows.append(
            [
                login.personnel_number,
                login.last_name,
                login.first_name,
                login.middle_name,
                login.email,
                login.role,
                store_code,
                region_code,
                "2024-09-02",
                "1",
            ]
        )

    for region_code, _name, _cities in REGIONS:
        if region_code != DEMO_REGION_CODE:
            add(Role.REGIONAL_MANAGER, region_code=region_code)
        for n in range(1, STORES_PER_REGION + 1):
            store_code = f"{region_code}{n:03d}"
            if store_code != DEMO_STORE_CODE:
                add(Role.STORE_MANAGER, store_code=store_code)
            for _ in range(rng.randrange(7, 11)):
                add(Role.STORE_STAFF, store_code=store_code)
    for role, count in [
        (Role.AUDITOR, 11),
        (Role.CALL_CENTER_AGENT, 18),
        (Role.CALL_CENTER_SUPERVISOR, 2),
        (Role.LP_MANAGER, 2),
        (Role.ADMIN, 1),
    ]:
        for _ in range(count):
            add(role)
    return _csv(list(PERSON_COLUMNS), rows)
