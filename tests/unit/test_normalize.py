"""Normalization: faithful surface text, folded matching text that maps back exactly."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from services.arabic.normalize import clean_surface, fold, matching_form


def test_surface_keeps_orthography_and_drops_tatweel_and_invisibles() -> None:
    assert clean_surface("إسرائيـــل\u200f تُعدّ  مدينةً") == "إسرائيل تُعدّ مدينةً"


def test_surface_drops_every_invisible_format_and_control_character() -> None:
    for invisible in ("\u2060", "\u2061", "\u180e", "\u034f", "\x00", "\x07", "\x1b", "\x85"):
        assert clean_surface(f"نص{invisible}آخر") == "نصآخر", repr(invisible)
    assert clean_surface("سطر\tأول\nسطر") == "سطر أول\nسطر"
    assert clean_surface("\u2060\u200b\x00") == ""


def test_surface_folds_presentation_forms() -> None:
    assert clean_surface("\ufef7\ufee3\ufef3\ufeae") == "لأمير"  # ﻷ is لأ in one glyph


def test_surface_keeps_line_structure() -> None:
    assert clean_surface("سطر أول\r\n  سطر   ثان \r\n") == "سطر أول\nسطر ثان\n"


def test_surface_collapses_every_kind_of_horizontal_space() -> None:
    text = "سطر أول\r\n  سطر \t  ثان \r\n \u00a0 ثالث\u3000"
    assert clean_surface(text) == "سطر أول\nسطر ثان\nثالث"


def test_fold_unifies_variants_that_outlets_spell_differently() -> None:
    assert fold("أمريكا") == fold("امريكا") == "امريكا"
    assert fold("مُصطفى") == "مصطفي"
    assert fold("الصحيفة") == "الصحيفه"
    assert fold("٣٢ ألفاً") == "32 الفا"


def test_matching_form_maps_spans_back_to_the_original() -> None:
    text = "قالَ الرئيسُ إنّ واشنطن"
    matching = matching_form(text)
    start = matching.folded.index("واشنطن")
    source_start, source_end = matching.span_to_source(start, start + len("واشنطن"))
    assert text[source_start:source_end] == "واشنطن"


arabic_text = st.text(
    alphabet=st.sampled_from(
        list("ابتثجحخدذرسشصضطظعغفقكلمنهوي أإآىةءؤئ ًٌٍَُِّْـ٠١٢٣٤٥٦٧٨٩0123456789.،\n\r\t\u00a0\u3000")
    ),
    max_size=80,
)


@given(arabic_text)
def test_folding_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(arabic_text)
def test_surface_cleaning_is_idempotent(text: str) -> None:
    assert clean_surface(clean_surface(text)) == clean_surface(text)


@given(arabic_text)
def test_every_folded_character_maps_back_to_its_source(text: str) -> None:
    matching = matching_form(text)
    for i, ch in enumerate(matching.folded):
        assert fold(text[matching.to_source(i)]) == ch
