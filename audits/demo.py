"""The audits room's part of the demo chain (`seed_demo`): two checklists of the demo LP
manager, one published for the auditors, one still a draft. Written through the real
services; idempotent (nothing is added once the checklists exist)."""

from __future__ import annotations

from audits.demo_checklist import checklist_sections
from audits.demo_visits import visits_demo_seed
from audits.models import Checklist
from audits.services import checklist_create, checklist_publish
from portal.org.choices import Role
from portal.org.demo import DEMO_LOGINS
from portal.org.models import User
from portal.sop.models import ReadablePage

CHECKLISTS = [
    (
        "Визит тайного покупателя: карта лояльности на кассе",
        "Кассир предлагает карту, называет баллы к списанию, выдаёт чек с начислением.",
        True,
    ),
    (
        "Визит тайного покупателя: регистрация нового участника",
        "Кассир предлагает вступить в программу и регистрирует анкету без ошибок.",
        False,
    ),
]


def _sop_pages() -> dict[str, int]:
    """The demo SOP pages by slug (the checklist's questions link the ones they check)."""
    return dict(ReadablePage.objects.live().values_list("slug", "pk"))


def audits_demo_seed() -> str:
    email = next(login.email for login in DEMO_LOGINS if login.role == Role.LP_MANAGER)
    author = User.objects.get(email=email)
    made = 0
    for title, description, published in CHECKLISTS:
        checklist = Checklist.objects.filter(title=title).first()
        if checklist is None:
            checklist = checklist_create(
                actor=author,
                title=title,
                description=description,
                # The published one checks the whole visit; the draft, the till alone.
                sections=checklist_sections(_sop_pages())[
                    slice(None) if published else slice(1, 3)
                ],
            )
            made += 1
        if published:
            checklist_publish(actor=author, checklist=checklist)
    return f"{made} checklists; {visits_demo_seed(author)}"
