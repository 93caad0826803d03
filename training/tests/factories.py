"""A small question bank with one question of every type, and an exam drawing from it."""

from __future__ import annotations

from training.models import Exam, ExamDraw, Question, QuestionCategory
from training.moodle import QuestionData
from training.scoring import key_answer

SAMPLE: list[QuestionData] = [
    QuestionData(
        "Регистрация",
        "single",
        "Срок начисления",
        "Через сколько дней бонусы становятся доступны?",
        "Через 14 дней.",
        {
            "options": [
                {"id": "o1", "text": "Сразу", "fraction": 0.0, "feedback": "Нет."},
                {"id": "o2", "text": "Через 14 дней", "fraction": 1.0, "feedback": "Да."},
                {"id": "o3", "text": "Через месяц", "fraction": 0.0, "feedback": "Нет."},
            ]
        },
    ),
    QuestionData(
        "Регистрация",
        "multi",
        "Что нужно для регистрации",
        "Что нужно, чтобы зарегистрировать участника?",
        "",
        {
            "options": [
                {"id": "o1", "text": "Телефон", "fraction": 0.5, "feedback": ""},
                {"id": "o2", "text": "Согласие", "fraction": 0.5, "feedback": ""},
                {"id": "o3", "text": "Паспорт", "fraction": -1.0, "feedback": ""},
            ]
        },
    ),
    QuestionData(
        "Регистрация",
        "truefalse",
        "Бонусы за табак",
        "Бонусы начисляются на табак.",
        "",
        {"answer": False, "feedback_true": "Нет.", "feedback_false": "Верно."},
    ),
    QuestionData(
        "Бонусы",
        "numeric",
        "Процент начисления",
        "Сколько процентов от суммы начисляется бонусами?",
        "",
        {"answer": "3", "tolerance": "0", "unit": "%"},
    ),
    QuestionData(
        "Бонусы",
        "shorttext",
        "Горячая линия",
        "Номер горячей линии?",
        "",
        {"answers": ["8 800 555 35 35", "88005553535"]},
    ),
    QuestionData(
        "Бонусы",
        "matching",
        "Ситуации",
        "Сопоставьте ситуацию и действие.",
        "",
        {
            "pairs": [
                {"id": "p1", "left": "Потеряна карта", "right": "Заблокировать"},
                {"id": "p2", "left": "Нет бонусов", "right": "Проверить чек"},
                {"id": "p3", "left": "Жалоба", "right": "Выслушать"},
            ]
        },
    ),
    QuestionData(
        "Бонусы",
        "ordering",
        "Порядок регистрации",
        "Расставьте шаги по порядку.",
        "",
        {
            "items": [
                {"id": "i1", "text": "Предложить"},
                {"id": "i2", "text": "Спросить телефон"},
                {"id": "i3", "text": "Ввести код"},
            ]
        },
    ),
]


def sample_bank(author=None) -> list[Question]:
    from training.services.bank import questions_import

    questions_import(actor=author, items=SAMPLE)
    return list(Question.objects.filter(is_current=True).order_by("pk"))


def sample_exam(**overrides) -> Exam:
    sample_bank()
    values = {"code": "lp-exam", "title": "Экзамен по программе лояльности", "pass_mark": 60}
    values.update(overrides)
    exam = Exam.objects.create(**values)
    for category in QuestionCategory.objects.all():
        ExamDraw.objects.create(exam=exam, category=category, count=10)
    return exam


def right_answer(question: Question) -> dict:
    return key_answer(question.qtype, question.data)
