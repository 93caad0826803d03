"""The demo's mystery-shopper checklist: what a shopper checks at the till of a chain
that runs a loyalty programme (built from the demo SOPs; each question that checks an SOP
links its page). Thirty questions in five sections, three of them critical to the visit."""

from __future__ import annotations

from audits.choices import Critical, PosFact, QuestionKind

YES_NO, SCALE, CHOICE = QuestionKind.YES_NO, QuestionKind.SCALE, QuestionKind.CHOICE
NUMERIC, TEXT, PHOTO = QuestionKind.NUMERIC, QuestionKind.TEXT, QuestionKind.PHOTO

OFFER_OPTIONS = [
    {"label": "Сам, по скрипту, до пробития чека", "share": "1"},
    {"label": "Сам, но после пробития чека", "share": "0.5"},
    {"label": "Только после вопроса покупателя", "share": "0.25"},
    {"label": "Не предложил", "share": "0"},
]

# (section, pass mark, [(question, kind, weight, critical, SOP slug, extra values)])
SECTIONS = [
    (
        "Вход и торговый зал",
        70,
        [
            (
                "На входе есть информация о программе лояльности",
                YES_NO,
                1,
                "",
                "sop-card-supply",
                {},
            ),
            ("В зале есть стойка с анкетами участника", YES_NO, 1, "", "sop-card-supply", {}),
            (
                "Ценники с бонусной ценой оформлены по стандарту",
                YES_NO,
                1,
                "",
                "sop-promotions",
                {},
            ),
            ("Промоматериалы текущей акции на месте", YES_NO, 1, "", "sop-promotions", {}),
            ("Фото стойки с анкетами", PHOTO, 0, "", "", {}),
            ("Чистота и порядок в зоне касс", SCALE, 1, "", "", {}),
        ],
    ),
    (
        "Предложение карты на кассе",
        80,
        [
            (
                "Кассир спросил, есть ли у покупателя карта",
                YES_NO,
                2,
                Critical.VISIT,
                "sop-enrolment-at-till",
                {},
            ),
            (
                "Как кассир предложил вступить в программу",
                CHOICE,
                2,
                "",
                "sop-enrolment-at-till",
                {"options": OFFER_OPTIONS},
            ),
            (
                "Кассир назвал выгоду: бонусы с этой покупки",
                YES_NO,
                1,
                "",
                "sop-enrolment-at-till",
                {},
            ),
            (
                "Кассир предложил найти карту по номеру телефона",
                YES_NO,
                1,
                "",
                "sop-enrolment-at-till",
                {},
            ),
            (
                "Кассир выдал анкету или предложил заполнить её онлайн",
                YES_NO,
                1,
                "",
                "sop-questionnaire",
                {},
            ),
            (
                "Кассир объяснил, когда бонусы станут доступны",
                YES_NO,
                1,
                "",
                "sop-bonus-not-credited",
                {},
            ),
        ],
    ),
    (
        "Начисление и списание бонусов",
        80,
        [
            (
                "Чек пробит с картой (покупка идентифицирована)",
                YES_NO,
                3,
                Critical.VISIT,
                "sop-enrolment-at-till",
                {"photo_when_failed": True, "pos_fact": PosFact.IDENTIFIED},
            ),
            ("Кассир предложил списать бонусы", YES_NO, 1, "", "sop-enrolment-at-till", {}),
            ("Кассир назвал баланс бонусов", YES_NO, 1, "", "", {}),
            ("Начисленные бонусы указаны в чеке", YES_NO, 1, "", "", {}),
            ("Фото чека", PHOTO, 0, "", "", {}),
            (
                "Время обслуживания на кассе, мин",
                NUMERIC,
                1,
                "",
                "",
                {"high": "5", "allow_na": False},
            ),
        ],
    ),
    (
        "Ответы на вопросы покупателя",
        70,
        [
            (
                "«Бонусы не начислены»: ответ по скрипту",
                SCALE,
                2,
                "",
                "script-bonus-not-credited",
                {},
            ),
            (
                "«Я потерял карту»: кассир знает, как заблокировать",
                SCALE,
                1,
                "",
                "script-lost-card",
                {},
            ),
            (
                "«Не могу войти в личный кабинет»: кассир помог или подсказал",
                SCALE,
                1,
                "",
                "script-account-login",
                {},
            ),
            ("Вопрос об акции: ответ верный", YES_NO, 1, "", "script-promotions", {}),
            (
                "Кассир не обещал того, чего нет в правилах программы",
                YES_NO,
                2,
                Critical.SECTION,
                "",
                {},
            ),
            ("Что сказал кассир (дословно, если можно)", TEXT, 0, "", "", {}),
        ],
    ),
    (
        "Вежливость и персональные данные",
        80,
        [
            ("Кассир поздоровался и попрощался", YES_NO, 1, "", "", {}),
            ("Вежливость кассира", SCALE, 1, "", "", {}),
            (
                "Кассир не произносил номер телефона покупателя вслух",
                YES_NO,
                2,
                Critical.VISIT,
                "",
                {},
            ),
            (
                "Анкеты покупателей не лежат в открытом доступе",
                YES_NO,
                1,
                "",
                "sop-questionnaire",
                {},
            ),
            ("Бейдж с именем у кассира", YES_NO, 1, "", "", {}),
            ("Общее впечатление от визита", TEXT, 0, "", "", {}),
        ],
    ),
]


def checklist_sections(pages: dict[str, int]) -> list[dict]:
    """The sections as the CMS stores them; `pages` maps an SOP slug to its page id."""
    sections = []
    for title, pass_mark, questions in SECTIONS:
        items = []
        for text, kind, weight, critical, slug, extra in questions:
            items.append(
                {
                    "text": text,
                    "kind": kind,
                    "weight": str(weight),
                    "critical": critical,
                    "sop_page": pages.get(slug),
                    **extra,
                }
            )
        sections.append(
            {
                "type": "section",
                "value": {"title": title, "pass_mark": pass_mark, "questions": items},
            }
        )
    return sections
