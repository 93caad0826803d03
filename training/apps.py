from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    """Courses, question bank, exams, attempts and certificates."""

    name = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from portal.home import demo, navigation, panels
        from portal.org.rules import follows_stores
        from training import dashboard

        panels.register(template="training/_panel_my_exams.html", context=dashboard.my_exams_panel)
        panels.register(
            template="training/_panel_coverage.html",
            visible=follows_stores,
            context=dashboard.coverage_panel,
        )
        demo.register("training", _demo_seed)
        navigation.register(
            key="training.home",
            label=_("Exams"),
            url="training:home",
            icon="mortarboard",
            order=40,
        )
        navigation.register(
            key="training.coverage",
            label=_("Certification"),
            url="training:coverage",
            icon="patch-check",
            group=navigation.TOOLS,
            order=30,
            visible=follows_stores,
        )
        navigation.register(
            key="training.bank",
            label=_("Question bank"),
            url="training:bank",
            icon="collection",
            group=navigation.TOOLS,
            order=40,
            visible="training.manage_bank",
        )


def _demo_seed() -> str:
    from training.demo import training_demo_seed

    return training_demo_seed()
