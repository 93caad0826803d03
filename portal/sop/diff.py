"""What changed between the revision a reader confirmed and the one live now.

StreamField blocks keep their ids across revisions, so a block is «added» when its id is
new, «changed» when its stored value differs, «removed» when its id is gone; plain fields
compare by value. The page template highlights each block by this map.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from wagtail.models import Revision

from portal.sop.models import ReadablePage, ScriptPage, SopPage

ADDED = "added"
CHANGED = "changed"

# Plain fields whose change a reader should see, with their labels from the model.
COMPARED_FIELDS = {
    SopPage: ["title", "summary"],
    ScriptPage: [
        "title",
        "summary",
        "trigger",
        "phrases_to_use",
        "phrases_to_avoid",
        "escalation",
    ],
}
STREAM_FIELD = {SopPage: "body", ScriptPage: "steps"}


@dataclass
class PageChanges:
    blocks: dict[str, str] = field(default_factory=dict)  # block id -> ADDED | CHANGED
    was: dict[str, str] = field(default_factory=dict)  # block id -> old text
    removed: list[str] = field(default_factory=list)  # texts of removed blocks
    fields: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (label, old)

    def __bool__(self) -> bool:
        return bool(self.blocks or self.removed or self.fields)

    def of(self, block_id: str) -> str:
        return self.blocks.get(block_id, "")


# Draftail adds block keys to rich text on every save; they carry no meaning for a reader.
_BLOCK_KEY = re.compile(r' data-block-key=\\?"[^"\\]*\\?"')


def _stored(block) -> str:
    stored = json.dumps(block.block.get_prep_value(block.value), sort_keys=True, default=str)
    return _BLOCK_KEY.sub("", stored)


def _text(block) -> str:
    return " ".join(str(part) for part in block.block.get_searchable_content(block.value))


def page_changes(*, page: ReadablePage, since: Revision) -> PageChanges:
    """Changes of `page` (the live specific page) since revision `since` of the same page."""
    old = since.as_object()
    model = type(page)
    changes = PageChanges()
    stream = STREAM_FIELD.get(model)
    if stream:
        old_blocks = {block.id: block for block in getattr(old, stream)}
        new_ids = set()
        for block in getattr(page, stream):
            new_ids.add(block.id)
            previous = old_blocks.get(block.id)
            if previous is None:
                changes.blocks[block.id] = ADDED
            elif _stored(previous) != _stored(block):
                changes.blocks[block.id] = CHANGED
                changes.was[block.id] = _text(previous)
        changes.removed = [_text(b) for bid, b in old_blocks.items() if bid not in new_ids]
    for name in COMPARED_FIELDS.get(model, []):
        before, after = getattr(old, name) or "", getattr(page, name) or ""
        if before != after:
            label = str(model._meta.get_field(name).verbose_name)
            changes.fields[name] = (label, before)
    return changes
