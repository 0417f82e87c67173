"""Corpus word statistics: how they are counted, stored and read, and what they decide.

A word the news corpus mostly uses as a common noun or adjective (with the article, a possessive
suffix, or, like لصالح, nearly always behind a preposition) is a tagged person only with more
evidence: a first name beside it, or the full name elsewhere in the article.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from services.arabic import wordstats
from services.arabic.entities import disable_rules, find_entities
from services.arabic.normalize import fold
from services.arabic.tokenize import tokenize
from services.arabic.wordstats import (
    WordStats,
    aggregate,
    count_surfaces,
    is_common_word,
    read_stats,
    readings,
    write_stats,
)
from tests.conftest import write_corpus


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("البري", ("بري", "definite")),
        ("وللسلامة", ("سلامه", "definite")),
        ("بالبيت", ("بيت", "definite")),
        ("لصالح", ("صالح", "preposition")),
        ("سلامتها", ("سلامه", "suffixed")),  # ta marbuta restored before the suffix
        ("سلامته", ("سلامه", "suffixed")),
        ("حربهم", ("حرب", "suffixed")),
    ],
)
def test_affixed_readings_name_the_base_and_the_affix(word: str, expected: tuple[str, str]) -> None:
    assert expected in readings(fold(word))


def test_a_folded_final_ha_is_the_ta_marbuta_not_a_suffix() -> None:
    assert readings(fold("سلامة")) == []


def _corpus(sentences: Sequence[str]) -> dict[str, WordStats]:
    return aggregate(*count_surfaces(sentences))


# A small corpus: بري as an adjective (غزو بري، القصف البري), سلامة as a noun (with the article,
# suffixes, in construct state), a first name that never takes the article, a family name that
# always does, and بيان (a word) next to the rare يان.
CORPUS = (
    ["غزو بري واسع", "القصف البري مستمر", "والهجوم البري بدأ"] * 20
    + ["سلامة المدنيين أولا", "السلامة العامة", "على سلامته", "من أجل سلامتهم"] * 20
    + ["قال زياد إن الأمر انتهى", "وزياد يرفض", "لزياد رأي"] * 30
    + ["قال أحمد الغامدي إن الأمر انتهى"] * 60
    + ["صدر بيان رسمي", "في بيان صحفي"] * 40
    + ["يان"] * 5
)


def test_counts_per_base_and_their_shares() -> None:
    stats = _corpus(CORPUS)
    bri = stats[fold("بري")]
    assert (bri.total, bri.definite, bri.bare) == (60, 40, 20)
    assert bri.construct == 0
    salama = stats[fold("سلامة")]
    assert (salama.total, salama.definite, salama.suffixed, salama.bare) == (80, 20, 40, 20)
    assert salama.construct_share == 1.0  # سلامة المدنيين
    ziad = stats[fold("زياد")]
    assert (ziad.definite, ziad.preposition, ziad.bare) == (0, 30, 60)  # وزياد counts as bare


def test_an_affixed_reading_needs_its_base_attested_and_not_far_rarer() -> None:
    stats = _corpus(CORPUS)
    assert stats[fold("يان")].preposition == 0  # بيان is a word, not ب + يان
    assert stats[fold("بيان")].bare == 80


def test_common_words_versus_names() -> None:
    stats = _corpus(CORPUS)
    assert is_common_word(fold("بري"), stats)
    assert is_common_word(fold("سلامة"), stats)
    assert not is_common_word(fold("زياد"), stats)
    assert not is_common_word(fold("الغامدي"), stats)  # a family name always has the article
    assert not is_common_word(fold("مجهول"), stats)  # unknown to the corpus


def test_rare_words_are_never_called_common() -> None:
    stats = _corpus(["القصف البري", "غزو بري"])
    assert not is_common_word(fold("بري"), stats)


def test_the_file_round_trips_and_is_byte_identical(tmp_path: Path) -> None:
    rows = wordstats.top_rows(_corpus(CORPUS), 5)
    assert len(rows) == 5
    assert [r[1].total for r in rows] == sorted((r[1].total for r in rows), reverse=True)
    first, second = tmp_path / "a.tsv.gz", tmp_path / "b.tsv.gz"
    write_stats(rows, first)
    write_stats(list(rows), second)
    assert first.read_bytes() == second.read_bytes()
    assert read_stats(first) == dict(rows)


def test_a_file_of_another_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.tsv.gz"
    path.write_bytes(gzip.compress(b"base\ttotal\n"))
    with pytest.raises(ValueError, match="rasd-wordstats"):
        read_stats(path)


def test_the_train_command_is_reproducible_and_samples_with_its_seed(tmp_path: Path) -> None:
    from services.ner_cli import train_group

    corpus = tmp_path / "ant.jsonl.xz"
    write_corpus(corpus, CORPUS)
    outputs = []
    for name, extra in (
        ("a", []),
        ("b", []),
        ("c", ["--sample", "0.5"]),
        ("d", ["--sample", "0.5"]),
    ):
        out = tmp_path / f"{name}.tsv.gz"
        args = ["wordstats", "--corpus", str(corpus), "--out", str(out), *extra]
        result = CliRunner().invoke(train_group, args)
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[2] == outputs[3]
    assert outputs[0] != outputs[2]
    assert read_stats(tmp_path / "a.tsv.gz")[fold("بري")].total == 60


def test_the_shipped_file_is_never_written_from_the_non_commercial_corpus(
    tmp_path: Path,
) -> None:
    from services.ner_cli import train_group

    corpus = tmp_path / "saudinewsnet.jsonl.xz"
    write_corpus(corpus, CORPUS)
    result = CliRunner().invoke(train_group, ["wordstats", "--corpus", str(corpus)])
    assert result.exit_code != 0
    assert "non-commercial" in result.output


def test_the_shipped_statistics_tell_common_words_from_names() -> None:
    for word in ("بري", "سلامة", "لصالح", "المدنيين"):
        assert is_common_word(fold(word)), word
    for word in ("محمد", "ترامب", "ميركل", "صالح", "الغامدي", "لبنان"):
        assert not is_common_word(fold(word)), word


def test_tagger_features_are_buckets_and_only_when_asked() -> None:
    from services.arabic.ner import word_features

    own, near = word_features("بري", wordstats=True)
    assert "wcommon" in own
    assert "wcommon" in near
    assert any(f.startswith("wf=") for f in own)
    assert any(f.startswith("wd=") for f in own)
    plain, _ = word_features("بري")
    assert not any(f.startswith(("wf=", "wd=", "wcommon", "ws=")) for f in plain)
    assert word_features("زقزقلوط", wordstats=True)[0][-1] == "ws=none"


# --- the entity rule, with a stand-in tagger that calls every listed word a person ----------


class _EveryWordAPerson:
    def __init__(self, words: set[str]) -> None:
        self.words = words

    def tag_chunks(self, words: Sequence[str], lengths: Sequence[int]) -> list[list[str]]:
        labels = ["B-PER" if w in self.words else "O" for w in words]
        out, start = [], 0
        for n in lengths:
            out.append(labels[start : start + n])
            start += n
        return out


@pytest.fixture
def tagger_says_person(monkeypatch: pytest.MonkeyPatch) -> Iterator[set[str]]:
    import services.arabic.ner as ner

    words: set[str] = set()
    monkeypatch.setattr(ner, "active_tagger", lambda: _EveryWordAPerson(words))
    yield words
    disable_rules([])


def _people(text: str) -> list[str]:
    return [m.text for m in find_entities(text, tokenize(text)) if m.entry.type == "PER"]


def test_a_common_word_alone_is_not_a_person(tagger_says_person: set[str]) -> None:
    tagger_says_person.update({"بري", "سلامة"})
    assert _people("وتخشى المنظمات من غزو بري واسع.") == []
    assert _people("ودعا إلى ضمان سلامة المدنيين.") == []


def test_the_rule_can_be_switched_off(tagger_says_person: set[str]) -> None:
    tagger_says_person.add("بري")
    disable_rules(["common-words"])
    assert _people("وتخشى المنظمات من غزو بري واسع.") == ["بري"]


def test_a_full_name_in_the_article_is_enough_evidence(tagger_says_person: set[str]) -> None:
    tagger_says_person.add("بري")
    found = _people("التقى رئيس البرلمان نبيه بري وفدا. وقال بري إن الحل قريب.")
    assert found == ["نبيه بري", "بري"]


def test_a_first_name_beside_it_is_enough_evidence(tagger_says_person: set[str]) -> None:
    tagger_says_person.add("سلامة")
    assert "سلامة" in " ".join(_people("وقال غسان سلامة إن الحل سياسي."))


def test_in_favour_of_is_not_a_first_name(tagger_says_person: set[str]) -> None:
    assert _people("وقال إن الاتفاق جاء لصالح الشعب.") == []
    disable_rules(["common-words"])
    assert _people("وقال إن الاتفاق جاء لصالح الشعب.") != []


def test_unknown_rules_are_refused() -> None:
    with pytest.raises(ValueError, match="common-words"):
        disable_rules(["no-such-rule"])


def test_the_shipped_tagger_uses_the_features_its_sidecar_names() -> None:
    import json

    from services.arabic.ner import load_tagger, shipped_model_path, sidecar_path

    model = shipped_model_path()
    meta = json.loads(sidecar_path(model).read_text("utf-8"))
    assert load_tagger(model).featurizer.wordstats is bool(meta.get("wordstats"))
