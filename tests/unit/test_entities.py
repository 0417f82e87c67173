"""Knowledge-base entities with clitics and in-article linking of short forms."""

from __future__ import annotations

import pytest

from services.arabic.entities import find_entities
from services.arabic.tokenize import tokenize


def entities(text: str) -> list[tuple[str, str, str]]:
    return [(m.text, m.entry.canonical, m.entry.type) for m in find_entities(text, tokenize(text))]


@pytest.mark.parametrize(
    ("text", "surface", "canonical", "kind"),
    [
        ("وإسرائيل ترفض", "إسرائيل", "إسرائيل", "LOC"),
        ("اجتماع بالبيت الأبيض", "البيت الأبيض", "البيت الأبيض", "ORG"),
        ("رسالة لحماس", "حماس", "حماس", "ORG"),
        ("زار للبيت الأبيض", "لبيت الأبيض", "البيت الأبيض", "ORG"),
        ("قال أنتوني بلينكن", "أنتوني بلينكن", "أنتوني بلينكن", "PER"),
        ("وصل إلى اليابان", "اليابان", "اليابان", "LOC"),
    ],
)
def test_entity_with_clitics(text: str, surface: str, canonical: str, kind: str) -> None:
    assert (surface, canonical, kind) in entities(text)


def test_short_form_links_to_the_same_entity_as_the_full_name() -> None:
    text = "قال أنتوني بلينكن إن الاتفاق قريب. وأضاف بلينكن أن المحادثات مستمرة."
    found = find_entities(text, tokenize(text))
    ids = {m.entry.entity_id for m in found if m.entry.type == "PER"}
    assert len(ids) == 1


def test_longest_alias_wins() -> None:
    assert entities("الولايات المتحدة الأمريكية")[0][0] == "الولايات المتحدة الأمريكية"


def test_nationality_adjectives_are_not_entities() -> None:
    assert entities("قال المسؤول الأمريكي والوزير الإسرائيلي") == []
