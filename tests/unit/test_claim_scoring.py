"""How `rasd eval claims` compares a predicted claim with the gold one."""

from __future__ import annotations

import pytest

from services.evaluation.claims import same_cue, same_party


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
