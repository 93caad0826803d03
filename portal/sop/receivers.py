"""Where Wagtail's own events enter the SOP services (the framework owns publishing)."""

from __future__ import annotations


def record_published_version(sender, instance, revision=None, **kwargs) -> None:
    from portal.sop.models import ReadablePage
    from portal.sop.services import sop_version_record

    if not isinstance(instance, ReadablePage) or revision is None:
        return
    sop_version_record(page=instance, revision=revision, author=revision.user)
