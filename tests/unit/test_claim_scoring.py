"""How `rasd eval claims` compares a predicted claim with the gold one."""

from __future__ import annotations

import pytest

from services.evaluation.claims import (
    ClaimError,
    ClaimReport,
    _speaker_family,
    pooled,
    quantity_unit,
    same_cue,
    same_noun,
    same_party,
    same_party_strictly,
    same_words,
)


@pytest.mark.parametrize(
    ("gold", "predicted"),
    [("وفقا ل", "ووفقا"), ("بحسب", "وبحسب"), ("قال", "وقال"), ("شدد على", "وشدد")],
)
def test_cues_match_up_to_clitics(gold: str, predicted: str) -> None:
    assert same_cue(gold, predicted)


def test_different_cues_do_not_match() -> None:
    assert not same_cue("قال", "أكد")
    assert not same_cue("قال", None)


def test_a_speaker_matches_a_longer_or_shorter_form_of_the_name() -> None:
    assert same_party("بلينكن", "أنتوني بلينكن")
    assert not same_party("بلينكن", "كيربي")
    assert same_party(None, None)


def test_a_speaker_with_words_attached_is_right_leniently_but_not_strictly() -> None:
    assert same_party("الرئيس", "الرئيس يوم الاثنين")
    assert not same_party_strictly("الرئيس", "الرئيس يوم الاثنين")
    assert same_party_strictly("قال", "وقال")


@pytest.mark.parametrize(
    ("gold", "predicted", "family"),
    [
        ("الرئيس", "الرئيس يوم الاثنين", "speaker with words attached"),
        ("أنتوني بلينكن", "بلينكن", "speaker part of the name"),
        ("بلينكن", "كيربي", "speaker is another party"),
        ("بلينكن", None, "speaker missing"),
        (None, "بلينكن", "speaker not in gold"),
    ],
)
def test_speaker_errors_fall_in_families(
    gold: str | None, predicted: str | None, family: str
) -> None:
    assert _speaker_family(gold, predicted) == family


def test_a_strict_span_has_the_gold_words_no_more_no_less() -> None:
    assert same_words("«الاتفاق قريب»", "الاتفاق قريب")
    assert not same_words("الاتفاق قريب جدا", "الاتفاق قريب")


def test_pooled_reports_add_their_counts() -> None:
    one, two = ClaimReport(), ClaimReport()
    one.detection.gold, one.detection.matched, one.speaker.right, one.speaker.total = 4, 2, 1, 2
    two.detection.gold, two.detection.matched, two.speaker.right, two.speaker.total = 6, 6, 5, 6
    two.error_items.append(ClaimError("cue", "001.txt", "cue 'قال', gold 'أكد'"))
    both = pooled([one, two])
    assert both.detection.recall == 0.8
    assert both.speaker.value == 0.75
    assert list(both.by_family()) == ["cue"]
    assert str(both.error_items[0]) == "001.txt cue 'قال', gold 'أكد'"


def test_a_percentage_is_not_a_currency_amount() -> None:
    assert quantity_unit(None, "نسبة فقدان الريال لقيمته (%)") == "%"
    assert quantity_unit("%", None) == "%"
    assert quantity_unit(None, "دولار من صادرات النفط") != quantity_unit("%", None)
    assert quantity_unit(None, "قتيل") is None


def test_the_counted_noun_matches_through_a_clitic() -> None:
    assert same_noun("قتيل", "وقتيل")
    assert same_noun("أسير", "أسير فلسطيني")


def test_a_noun_the_gold_normalised_does_not_match_the_texts_word() -> None:
    assert not same_noun("قتيل", "شخص")
