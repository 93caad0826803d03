"""Writes of the audits app: `<entity>_<verb>(*, actor, ...)`, atomic, with an event row.

Services trust their caller for permissions (the view asked the rule); they guarantee
the data's own rules (a title, one publication, nobody reviews their own visit) and leave
an event row per change, written in the same transaction through `event_record`."""

from audits.services.checklists import checklist_create, checklist_problems, checklist_publish

__all__ = ["checklist_create", "checklist_problems", "checklist_publish"]
