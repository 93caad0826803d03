"""Question texts as Moodle shows them: HTML through an allow-list, files from the bank.

A question's texts are plain (typed in CSV or the demo: shown escaped, line breaks kept) or
HTML (`Question.text_format == "html"`, from a Moodle file). HTML is sanitised with nh3
when it comes in (`sanitise`) and again when it is shown (`render`): only the tags and
attributes below pass, URLs only as http(s), mailto or relative, no scripts, styles or
event handlers. Embedded files stay written as Moodle writes them,
`@@PLUGINFILE@@/<name>`, in the stored text (so an export gives them back as they came);
`render` points them at the portal's permission-checked file view.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote, unquote

import nh3
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe

PLAIN, HTML = "plain", "html"
PLUGINFILE = "@@PLUGINFILE@@/"
_PLUGINFILE_RE = re.compile(r"@@PLUGINFILE@@/([^\"'\s<>?#]+)")

TAGS = {
    "a", "abbr", "audio", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd",
    "del", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "li", "mark", "ol", "p", "pre", "q", "s", "small",
    "source", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul", "video",
}  # fmt: skip
ATTRIBUTES = {
    "*": {"title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "audio": {"src", "controls"},
    "video": {"src", "controls", "width", "height", "poster"},
    "source": {"src", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "type"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitise(html: str) -> str:
    """The HTML with only allowed tags, attributes and URL schemes (nh3)."""
    return nh3.clean(html or "", tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES).strip()


def plain_to_html(text: str) -> str:
    """A plain text as HTML that shows the same (escaped, paragraphs and line breaks)."""
    return linebreaks(escape(text)) if text else ""


def referenced_files(html: str) -> set[str]:
    """The names of the embedded files a text links to (`@@PLUGINFILE@@/<name>`)."""
    return {unquote(name) for name in _PLUGINFILE_RE.findall(html or "")}


def render(text: str, text_format: str, file_url: Callable[[str], str] | None = None) -> SafeString:
    """What the page shows of a stored text: plain escaped, HTML sanitised with its
    embedded files pointed at `file_url(name)` (unserved links are left to 404)."""
    if text_format != HTML:
        return escape(text or "")
    html = text or ""
    if file_url is not None:
        html = _PLUGINFILE_RE.sub(lambda m: file_url(quote(unquote(m.group(1)))), html)
    return mark_safe(sanitise(html))  # noqa: S308 - nh3 allow-list output


def question_rich(question) -> Callable[[str], SafeString]:
    """`render` for the texts of one stored question, its files served by
    `training:question_file` (no query: the URL is built from the question's id)."""
    from django.urls import reverse

    base = reverse("training:question_file", args=[question.pk, "x"])[:-1]

    def rich(text: str) -> SafeString:
        return render(text, question.text_format, lambda name: base + name)

    return rich
