"""The files embedded in questions (a Moodle question's pictures and audio), served to
whoever may see the question: the bank's managers, and learners whose attempt holds it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from portal.files.responses import private_file_response
from training.models import Question
from training.services.bank_files import stored_file


@login_required
def question_file(request: HttpRequest, question_id: int, name: str) -> HttpResponse:
    """404 when the question, the file or the right to see them is missing (never reveal
    that a file exists)."""
    question = get_object_or_404(Question, pk=question_id)
    if not request.user.has_perm("training.open_question_file", question):
        raise Http404
    ref = (question.extra or {}).get("files", {}).get(name)
    stored = stored_file(ref) if ref else None
    if stored is None:
        raise Http404
    return private_file_response(
        request, stored.file, filename=name.rpartition("/")[2], inline=True
    )
