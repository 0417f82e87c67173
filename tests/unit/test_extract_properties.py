"""Extraction never fails on any text, and every offset it reports points into that text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from services.arabic.analyze import extract
from services.arabic.tokenize import sentence_spans, tokenize

# Letters, marks that fold to nothing (tatweel, diacritics), punctuation, quotes, digits, and
# pieces that trigger the extraction rules (cues, sources, clubs, facilities, duals).
PIECES = st.sampled_from(
    [
        *"ابتثجحخدذرسشصضطظعغفقكلمنهوية",
        *("ـ", "ً", "ّ", " ", "\n", "،", ".", '"', "«", "»", "؟", "0", "5", "٣"),
        *("ال", "و", "لل", "نادي ", "ملعب ", "قال ", "أن ", "وفقا لـ", "ذكر ذلك ", "أما "),
        *("فقد ", "دورة واحدة ", "دورتين ", "آلاف ", "ألف ", "نحو ", "بلينكن ", "مضيفين "),
    ]
)


@given(st.lists(PIECES, max_size=80).map("".join))
def test_extraction_never_raises_and_offsets_index_the_text(text: str) -> None:
    found = extract(text, sentence_spans(text))
    for mention in found.mentions:
        assert text[mention.start : mention.end] == mention.text
    for claim in found.claims:
        assert 0 <= claim.content_start <= claim.content_end <= len(text)
        assert 0.0 <= claim.check_worthiness <= 1.0
        if claim.speaker is not None and claim.speaker.start is not None:
            assert 0 <= claim.speaker.start <= claim.speaker.end <= len(text)


@given(st.lists(PIECES, max_size=80).map("".join))
def test_tokens_cover_every_visible_character_in_order(text: str) -> None:
    tokens = tokenize(text)
    assert all(text[t.start : t.end] == t.text for t in tokens)
    assert "".join(t.text for t in tokens) == "".join(text.split())
