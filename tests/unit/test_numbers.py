"""Numbers: digits, Arabic-Indic digits, scales, words and qualifiers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.arabic.analyze import quantities_in
from services.arabic.numbers import parse_number


@pytest.mark.parametrize(
    ("text", "value", "qualifier", "what"),
    [
        ("أسفرت عن مقتل نحو 32 ألف شخص", 32_000, "approximate", "شخص"),
        ("سقط ٣٢ ألفاً من الضحايا", 32_000, "exact", None),
        ("إطلاق سراح 40 أسير إسرائيلي", 40, "exact", "اسير"),
        ("وقف إطلاق النار مدة ستة أسابيع", 6, "exact", "اسابيع"),
        ("ارتفعت الأسعار بنسبة 9 في المائة", 9, "exact", None),
        ("بلغت الخسائر أكثر من 3.5 مليار دولار", 3_500_000_000, "at_least", "دولار"),
    ],
)
def test_quantities(text: str, value: float, qualifier: str, what: str | None) -> None:
    found = quantities_in(text)
    assert len(found) == 1
    assert found[0].value == pytest.approx(value)
    assert found[0].qualifier == qualifier
    if what is not None:
        assert found[0].what == what


def test_dates_and_years_are_not_quantities() -> None:
    assert quantities_in("بدأت الحرب في 7 أكتوبر عام 2023") == []


def test_offsets_point_at_the_number_in_the_original_text() -> None:
    text = "قُتل نحو ٣٢ ألف شخص"
    [q] = quantities_in(text)
    assert text[q.start : q.end] == "نحو ٣٢ ألف شخص"


@given(st.integers(min_value=0, max_value=10**12))
def test_grouped_integers_parse_back(n: int) -> None:
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n)) == n


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=99))
def test_decimals_parse_back(whole: int, frac: int) -> None:
    assert parse_number(f"{whole}.{frac:02d}") == pytest.approx(whole + frac / 100)
