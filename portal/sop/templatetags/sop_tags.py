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
