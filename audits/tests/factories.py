"""Factories of the audits app: checklists made through the real services."""

from __future__ import annotations

from audits.models import Checklist
from audits.services import checklist_create, checklist_publish
from portal.org.models import User


def question(text: str, kind: str = "yes_no", **values) -> dict:
    """A question as the CMS stores it (missing values take the block's defaults)."""
    return {"text": text, "kind": kind, **values}


def section(title: str, *questions: dict, pass_mark: int = 80) -> dict:
    return {
        "type": "section",
        "value": {"title": title, "pass_mark": pass_mark, "questions": list(questions)},
    }


def checkout_sections() -> list[dict]:
    """Two sections: the card at the till (one question critical to the visit) and the
    script (a choice and a waiting time)."""
    return [
        section(
            "Карта на кассе",
            question("Кассир предложил карту лояльности", weight=2),
            question("Кассир спросил номер телефона", critical="visit"),
            question("Вежливость кассира", "scale"),
            question("Фото чека", "photo", weight=0),
        ),
        section(
            "Скрипт",
            question(
                "Как кассир предложил вступить",
                "choice",
                options=[
                    {"label": "Сам, по скрипту", "share": "1"},
                    {"label": "После вопроса", "share": "0.5"},
                    {"label": "Не предложил", "share": "0"},
                ],
            ),
            question("Ожидание в очереди, мин", "numeric", high="5", allow_na=False),
            pass_mark=50,
        ),
    ]


def checklist(
    *,
    author: User,
    title: str = "Касса: карта лояльности",
    published: bool = False,
    sections: list[dict] | None = None,
):
    made: Checklist = checklist_create(
        actor=author,
        title=title,
        description="Что проверить.",
        sections=checkout_sections() if sections is None else sections,
    )
    return checklist_publish(actor=author, checklist=made) if published else made
