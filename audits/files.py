"""The audits' private files: visit photos and corrective actions' result photos, each
readable by whoever may open its visit (`audits.open_visit`, within sight): the network,
the visit's auditor, and the store side once the report is published."""

from __future__ import annotations

from portal.files.registry import PrivateFile


def _may_open_visit(user, visit_id: int) -> bool:
    from audits.selectors.visits import visits_visible_to

    if not user.is_authenticated or not user.is_active:
        return False
    visit = visits_visible_to(user=user).filter(pk=visit_id).first()
    return visit is not None and user.has_perm("audits.open_visit", visit)


def audit_file(path: str) -> PrivateFile | None:
    from audits.models import CorrectiveAction, VisitPhoto

    if path.startswith("audits/visits/"):
        photo = VisitPhoto.objects.filter(file=path).first()
        if photo is None:
            return None
        stored, visit_id = photo.file, photo.visit_id
    elif path.startswith("audits/actions/"):
        action = CorrectiveAction.objects.filter(photo=path).first()
        if action is None:
            return None
        stored, visit_id = action.photo, action.visit_id
    else:
        return None
    return PrivateFile(
        file=stored,
        filename=stored.name.rsplit("/", 1)[-1],
        inline=True,
        readable_by=lambda user: _may_open_visit(user, visit_id),
    )
