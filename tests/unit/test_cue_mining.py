"""Mining reporting cues from text and merging the reviewed ones into the lexicon."""

from __future__ import annotations

import copy
import json

import pytest

from services.arabic import cue_mining
from services.arabic.cue_mining import CueCounts, Review, count_text, merge_reviewed, ranked


def counted(*texts: str) -> CueCounts:
    counts = CueCounts()
    for text in texts:
        count_text(text, counts)
    return counts


def test_a_verb_opening_a_clause_with_a_subject_before_an_complementizer_is_counted() -> None:
    counts = counted("وأكد رئيس الوزراء أن الاتفاق قريب.")
    assert counts.with_subject["اكد"] == 1
    assert counts.subject_heads["رئيس"] == 1


def test_the_particle_before_the_complementizer_is_what_the_cue_governs() -> None:
    counts = counted("وأشار الوزير إلى أن المحادثات مستمرة.", "وأشارت الوزارة إلى أن")
    assert counts.particles["اشار"]["الي"] == 1
    assert counts.particles["اشارت"]["الي"] == 1


def test_a_word_right_before_the_complementizer_near_the_clause_start_is_adjacent() -> None:
    counts = counted("وأضاف، مؤكدا أن الحل قريب، ولا تستبعد أن تطول الأزمة.")
    assert counts.adjacent["مؤكدا"] == 1
    assert counts.adjacent["تستبعد"] == 1
    assert counted("وأكد الوزير أن الحل قريب.").adjacent["الوزير"] == 0  # a subject, not a cue


def test_a_short_clause_ending_in_a_colon_introduces_a_quotation() -> None:
    assert counted('وقال الوزير: "لن نتراجع".').colon["قال"] == 1


def test_candidates_are_ranked_by_how_often_they_open_a_claim() -> None:
    counts = counted(*["وأكد الوزير أن الحل قريب."] * 3, *["ويعتقد أن الحل قريب."] * 2)
    assert [c.word for c in ranked(counts, at_least=2)] == ["اكد", "يعتقد"]
    assert ranked(counts, at_least=3)[0].share == 1.0


def lexicon() -> dict:
    return {
        "verbs": {"أكد": {"governs": ["على"], "present": ["يؤكد"]}},
        "participles": ["مؤكدا"],
        "participle_lemmas": {},
        "speaker_nouns": ["مصادر"],
    }


def review(word: str, decision: str, lemma: str = "", governs: str = "", flags: str = "") -> Review:
    return Review(word, decision, lemma, tuple(governs.split()), frozenset(flags.split()), "")


def test_a_reviewed_verb_joins_the_lexicon_with_its_particle_and_flags() -> None:
    cues = lexicon()
    changes = merge_reviewed([review("تعهد", "verb", "تعهد", "ب", "stance")], cues)
    assert cues["verbs"]["تعهد"] == {"governs": ["ب"], "present": [], "stance": True}
    assert changes == ["verb تعهد", "verb تعهد governs ب", "verb تعهد stance"]


def test_a_present_form_joins_its_lemma_and_generated_forms_are_not_repeated() -> None:
    cues = lexicon()
    merge_reviewed([review("تؤكد", "verb", "أكد"), review("اكدت", "verb", "أكد")], cues)
    assert cues["verbs"]["أكد"]["present"] == ["يؤكد", "تؤكد"]


def test_participles_and_speaker_nouns_join_their_lists_and_rejects_change_nothing() -> None:
    cues = lexicon()
    before = copy.deepcopy(cues)
    merge_reviewed([review("الا", "reject")], cues)
    assert cues == before
    merge_reviewed([review("نافيا", "participle", "نفى"), review("بيانات", "speaker_noun")], cues)
    assert cues["participles"] == ["مؤكدا", "نافيا"]
    assert cues["participle_lemmas"] == {"نافيا": "نفى"}
    assert cues["speaker_nouns"] == ["مصادر", "بيانات"]


def test_merging_never_removes_a_hand_written_entry() -> None:
    cues = lexicon()
    merge_reviewed([review("تعهد", "verb", "تعهد")], cues)
    assert cues["verbs"]["أكد"] == {"governs": ["على"], "present": ["يؤكد"]}


def test_the_shipped_review_is_valid_and_already_merged_into_cues_json() -> None:
    reviews = cue_mining.read_review()
    assert {r.decision for r in reviews} <= cue_mining.DECISIONS
    shipped = json.loads(cue_mining.CUES.read_text("utf-8"))
    assert merge_reviewed(reviews, shipped) == []  # rasd train cues was run after the review


def test_a_review_with_an_unknown_flag_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "review.tsv"
    path.write_text("word\tdecision\tlemma\tgoverns\tflags\tnote\nقال\tverb\tقال\t\tloud\t\n")
    with pytest.raises(ValueError, match="unknown decision or flag"):
        cue_mining.read_review(path)


def test_a_particle_or_ba_word_after_the_subject_is_counted_as_governed() -> None:
    counts = counted("ونددت وزارة الخارجية بالهجوم.", "وحذر الوزير من التصعيد.")
    assert counts.governed["نددت"]["ب"] == 1
    assert counts.governed["حذر"]["من"] == 1
    assert "نددت" not in counts.with_subject  # no أن: counted apart


def test_verbs_of_a_governed_particle_are_candidates_too() -> None:
    counts = counted(*["ونددت الوزارة بالهجوم."] * 3)
    [candidate] = ranked(counts, at_least=3)
    assert (candidate.word, candidate.governed, candidate.governed_particle) == ("نددت", 3, "ب")
