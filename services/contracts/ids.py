"""Article ids and the fields a producer may leave out of an ``article.raw`` value.

``rasd publish`` and the worker (for values produced straight to ``articles.raw``) fill them in the
same way, so the same article gets the same id whichever way it arrived.
"""

from __future__ import annotations

import hashlib
from typing import Any

# ``source`` of an article whose producer did not name its outlet.
UNKNOWN_SOURCE = "unknown"


def derive_id(url: str | None, content: str) -> str:
    """Stable id: the same url (or, without one, the same content) always gets the same id."""
    basis = url.strip() if url else content
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


def complete_raw(data: Any, default_source: str = UNKNOWN_SOURCE) -> Any:
    """``data`` with ``id`` derived from url or content and ``source`` defaulted when absent.

    Anything that is not an object with a non-empty string ``content`` is returned unchanged,
    for validation to say what is wrong with it.
    """
    if not isinstance(data, dict):
        return data
    content = data.get("content")
    if not isinstance(content, str) or not content.strip():
        return data
    filled = dict(data)
    if not filled.get("id"):
        url = filled.get("url")
        filled["id"] = derive_id(url if isinstance(url, str) else None, content)
    if not filled.get("source"):
        filled["source"] = default_source
    return filled
