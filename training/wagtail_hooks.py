"""The CMS side of training: LP managers build courses, exams and question topics.

Questions themselves come in and go out as Moodle XML or CSV (`/training/bank/`), the
formats trainers already keep them in; the topics they belong to are edited here.
"""

from __future__ import annotations

from django.contrib import messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from training.models import Course, Exam, QuestionCategory


class CourseViewSet(SnippetViewSet):
    model = Course
    icon = "list-ol"
    menu_label = _("Courses")
    list_display = ["title"]
    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        InlinePanel("items", label=_("Study material, in order")),
    ]


class ExamViewSet(SnippetViewSet):
    model = Exam
    icon = "tasks"
    menu_label = _("Exams")
    list_display = ["title", "code", "pass_mark", "time_limit_minutes", "is_active"]
    list_filter = ["is_active"]
    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("code")]),
        FieldPanel("course"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("time_limit_minutes")]),
                FieldRowPanel([FieldPanel("attempts_limit"), FieldPanel("cooloff_hours")]),
                FieldRowPanel([FieldPanel("grace_seconds"), FieldPanel("validity_months")]),
                FieldRowPanel(
                    [FieldPanel("review_after_submit"), FieldPanel("review_after_close")]
                ),
            ],
            heading=_("Rules of the exam"),
        ),
        InlinePanel("draws", label=_("Questions drawn per topic")),
        InlinePanel("rules", label=_("Who must pass it")),
        FieldPanel("is_active"),
    ]


class QuestionCategoryViewSet(SnippetViewSet):
    model = QuestionCategory
    icon = "folder-open-1"
    menu_label = _("Question topics")
    list_display = ["name", "parent", "code", "sop_page"]
    panels = [
        FieldPanel("name"),
        FieldPanel("parent"),
        FieldPanel("code"),
        FieldPanel("description"),
        FieldPanel("sop_page"),
    ]


class TrainingViewSetGroup(SnippetViewSetGroup):
    items = (ExamViewSet, CourseViewSet, QuestionCategoryViewSet)
    menu_icon = "form"
    menu_label = _("Training")
    menu_name = "training"


register_snippet(TrainingViewSetGroup)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def warn_of_unlimited_attempts(request, instance):
    """Saved, but said plainly: unlimited attempts let a learner retake a certifying exam
    until the draw repeats (a certificate earned by memorising the bank)."""
    if isinstance(instance, Exam) and instance.issues_certificates and not instance.attempts_limit:
        messages.warning(
            request,
            gettext(
                "«%(exam)s» issues certificates and allows unlimited attempts: a learner "
                "may retake it until the questions drawn repeat. Set a limit of attempts."
            )
            % {"exam": instance.title},
        )
