from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    """Courses, question bank, exams, attempts and certificates."""

    name = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from portal.home import demo, panels
        from portal.org.choices import Role
        from training import dashboard

        panels.register(
            template="training/_panel_my_exams.html",
            roles=set(Role.values),
            context=dashboard.my_exams_panel,
        )
        panels.register(
            template="training/_panel_coverage.html",
            roles={Role.STORE_MANAGER, Role.REGIONAL_MANAGER, Role.LP_MANAGER, Role.ADMIN},
            context=dashboard.coverage_panel,
        )
        demo.register("training", _demo_seed)


def _demo_seed() -> str:
    from training.demo import training_demo_seed

    return training_demo_seed()
