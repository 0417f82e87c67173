"""Main content of an HTML page, as plain text lines, via trafilatura."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class HtmlContent:
    title: str | None
    text: str


def extract_main_text(html: str) -> HtmlContent:
    """Title and main text of ``html``; an empty text when no article body could be found."""
    import trafilatura  # heavy import, needed only for HTML input

    text = trafilatura.extract(
        html,
        include_comments=False,
        include_tables=False,
        include_links=False,
        include_images=False,
        favor_precision=True,
        deduplicate=False,
    )
    meta = trafilatura.extract_metadata(html)
    title = meta.title if meta is not None and meta.title else None
    return HtmlContent(title, text or "")
