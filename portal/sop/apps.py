from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SopConfig(AppConfig):
    name = "portal.sop"
    label = "sop"
    verbose_name = _("SOP library")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save
        from wagtail.signals import page_published, page_unpublished

        from portal.home import navigation
        from portal.org.rules import follows_stores
        from portal.sop import receivers

        # Wagtail publishes through its own actions (publish button, workflow approval,
        # scheduled publishing); its signal is the one place all three meet.
        page_published.connect(receivers.record_published_version, dispatch_uid="sop-version")
        page_unpublished.connect(receivers.readable_page_withdrawn, dispatch_uid="sop-withdrawn")
        # Every change to a store or a person records an OrgEvent (portal.org.services).
        post_save.connect(receivers.org_changed, sender="org.OrgEvent", dispatch_uid="sop-org")
        post_save.connect(receivers.person_saved, sender="org.User", dispatch_uid="sop-person")
        navigation.register(
            key="sop.library", label=_("SOPs"), url="sop:library", icon="journal-text", order=30
        )
        navigation.register(
            key="sop.compliance",
            label=_("Confirmations"),
            url="sop:compliance",
            icon="clipboard-check",
            group=navigation.TOOLS,
            order=20,
            visible=follows_stores,
        )
