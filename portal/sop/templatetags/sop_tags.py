from django import template

register = template.Library()


@register.filter
def block_change(changes, block_id) -> str:
    """`{{ changes|block_change:block.id }}` → "added", "changed" or ""."""
    return changes.of(block_id) if changes else ""


@register.filter
def block_was(changes, block_id) -> str:
    return changes.was.get(block_id, "") if changes else ""


@register.filter
def field_was(changes, name) -> tuple[str, str] | None:
    return changes.fields.get(name) if changes else None


@register.filter
def image_data_url(image, spec: str = "max-960x720") -> str:
    """An image as a data: URL, for PDFs (their renderer never reads files or the network)."""
    import base64
    import mimetypes

    rendition = image.get_rendition(spec)
    with rendition.file.open("rb") as handle:
        payload = base64.b64encode(handle.read()).decode()
    mime = mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg"
    return f"data:{mime};base64,{payload}"


@register.simple_tag
def share_bar(tally) -> str:
    """A tally's confirmed share as a coloured bar and its figure («—» when nothing is
    asked). A tag, not an included template: the network page shows a hundred of them."""
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext

    from portal.numbers import Kind, format_number

    if not tally.required:
        return mark_safe('<span class="text-body-secondary">—</span>')
    share = tally.share
    colour = "bg-success" if share >= 90 else "bg-warning" if share >= 60 else "bg-danger"
    return format_html(
        '<div class="d-flex align-items-center gap-2" title="{confirmed} / {required}">'
        '<div class="progress flex-grow-1" style="min-width:4rem;height:.6rem" '
        'role="progressbar" aria-label="{label}" aria-valuenow="{raw}" aria-valuemin="0" '
        'aria-valuemax="100"><div class="progress-bar {colour}" style="width: {raw}%"></div>'
        '</div><span class="text-nowrap" data-share="{raw}">{shown}</span></div>',
        confirmed=tally.confirmed,
        required=tally.required,
        label=gettext("Confirmed"),
        raw=str(share),
        colour=colour,
        shown=format_number(share, Kind.PERCENT),
    )
