"""Speaker resolution as ranking (services/arabic/speakers.py): candidates, features, the
switch between the rules and the ranker, and a deterministic fit."""

from __future__ import annotations

import subprocess
import sys

import pytest

from services.arabic import speakers
from services.arabic.analyze import extract
from services.arabic.claims import ClaimFound
from services.arabic.speakers import Candidate, Group, Model, PartyFound, fit, using
from services.arabic.tokenize import sentence_spans


def claims_and_candidates(
    text: str, model: Model | None = None
) -> tuple[list[ClaimFound], list[list[Candidate]]]:
    record: list[tuple[int, list[Candidate]]] = []
    with using(resolver="ranker" if model else "rules", model=model, record=record):
        found = extract(text, sentence_spans(text)).claims
    return found, [candidates for _, candidates in record]


def texts(candidates: list[Candidate]) -> list[str | None]:
    return [c.party.text if c.party else None for c in candidates]


def party(text: str) -> PartyFound:
    return PartyFound(text, 0, len(text), None, "title")


def test_the_rules_proposal_is_the_first_candidate_and_marked_as_such() -> None:
    _, [candidates] = claims_and_candidates("قال جو بايدن إن الاتفاق قريب.")
    first = candidates[0]
    assert first.party is not None
    assert first.party.text == "جو بايدن"
    assert first.features["src_rule"] == 1.0
    assert first.features["rule_name"] == 1.0
    assert first.features["pos_right_after"] == 1.0  # the subject right after the verb


def test_a_description_offers_the_organization_it_stands_for_with_its_id() -> None:
    text = "أعلنت شركة أرامكو السعودية أرباحها السنوية. وقالت الشركة إن الإنتاج سيرتفع."
    [claim], [candidates] = claims_and_candidates(text)
    assert claim.speaker is not None
    assert claim.speaker.entity_id is not None  # the name, linked, not «الشركة»
    assert "أرامكو" in claim.speaker.text
    assert text[claim.speaker.start : claim.speaker.end] == "الشركة"  # offsets of what is read
    assert any(c.party and c.party.entity_id == claim.speaker.entity_id for c in candidates)


def test_a_title_phrase_offers_the_last_person_named_as_its_antecedent() -> None:
    text = "التقى الرئيس الفرنسي إيمانويل ماكرون وزراء. وقال الرئيس الفرنسي إن العلاقات قوية."
    _, [candidates] = claims_and_candidates(text)
    antecedents = [c for c in candidates if c.features.get("antecedent")]
    assert [c.party.text for c in antecedents if c.party] == ["إيمانويل ماكرون"]
    assert antecedents[0].party is not None
    assert antecedents[0].party.entity_id is not None
    assert antecedents[0].features["type_PER"] == 1.0


def test_a_phrase_with_its_setting_attached_is_offered_cut() -> None:
    _, [candidates] = claims_and_candidates("وقالت المحكمة في بيانها إن القرار نهائي.")
    assert texts(candidates)[:2] == ["المحكمة في بيانها", "المحكمة"]
    cut = candidates[1]
    assert cut.features["rule_cut_preposition"] == 1.0
    assert cut.features["cut_pronoun"] == 1.0  # بيانها: the court's own statement
    assert cut.features["cut_setting"] == 1.0


def test_a_name_the_tagger_found_whole_is_not_cut() -> None:
    _, [candidates] = claims_and_candidates("قال جو بايدن إن الاتفاق قريب.")
    assert not any(name.startswith("rule_cut") for c in candidates for name in c.features)


@pytest.mark.parametrize(
    ("sentence", "agreement"),
    [
        ("وقالت المتحدثة إن الاجتماع تأجل.", "agree_f_f"),
        ("وقال المتحدث إن الاجتماع تأجل.", "agree_m_m"),
        ("وقال المسؤولون إن الاجتماع تأجل.", "agree_m_pl"),
        ("وقالوا المسؤولون إن الاجتماع تأجل.", "agree_pl_pl"),
        ("وأعلنت الحكومة أن الاجتماع تأجل.", "agree_f_f"),
    ],
)
def test_the_cue_verb_gender_and_number_meet_the_candidates(sentence: str, agreement: str) -> None:
    _, [candidates] = claims_and_candidates(sentence)
    assert candidates[0].features.get(agreement) == 1.0


def test_a_continuation_offers_the_last_speaker() -> None:
    _, [_, second] = claims_and_candidates(
        "قال جو بايدن إن الاتفاق قريب. وأضاف أن المحادثات ستستمر."
    )
    last = [c for c in second if c.features.get("last_speaker")]
    assert last
    assert last[0].features["cue_continues"] == 1.0
    assert last[0].features["pos_earlier_sentence"] == 1.0


def test_the_ranker_replaces_the_rules_choice_and_keeps_the_surface_text() -> None:
    text = "وقالت المحكمة في بيانها إن القرار نهائي."
    prefers_cuts = Model({"rule_cut_preposition": 5.0, "src_rule": 1.0})
    [claim], _ = claims_and_candidates(text, prefers_cuts)
    assert claim.speaker is not None
    assert claim.speaker.text == "المحكمة"
    assert text[claim.speaker.start : claim.speaker.end] == "المحكمة"
    [by_rules], _ = claims_and_candidates(text)
    assert by_rules.speaker is not None
    assert by_rules.speaker.text == "المحكمة في بيانها"


def test_ties_go_to_the_rules_proposal() -> None:
    first = Candidate(party("الأول"), {"src_rule": 1.0})
    second = Candidate(party("الثاني"), {"pos_region": 1.0})
    assert Model({}).choose([first, second]) is first
    assert Model({"pos_region": 2.0}).choose([first, second]) is second


def test_the_resolver_switch_knows_only_rules_and_ranker() -> None:
    assert set(speakers.RESOLVERS) == {"rules", "ranker"}
    assert speakers.DEFAULT_RESOLVER in speakers.RESOLVERS
    with pytest.raises(ValueError, match="unknown speaker resolver"):
        speakers.use_resolver("oracle")


def test_the_fit_is_deterministic_and_learns_what_marks_the_speaker() -> None:
    def group(n: int) -> Group:
        right = Candidate(party("صحيح"), {"pos_right_after": 1.0, "dist": 0.0})
        wrong = Candidate(party("خطأ"), {"pos_before": 1.0, "dist": float(n % 3)})
        order = [right, wrong] if n % 2 else [wrong, right]
        return Group(f"{n}.txt", "outlet", order, [int(c is right) for c in order])

    groups = [group(n) for n in range(20)]
    model = fit(groups)
    assert model.weights["pos_right_after"] > model.weights["pos_before"]
    assert speakers.top1(model, groups) == (20, 20)
    assert fit(groups).weights == model.weights


def test_groups_without_the_gold_speaker_among_the_candidates_teach_nothing() -> None:
    unlabelled = Group("1.txt", "o", [Candidate(party("أ"), {"x": 1.0})] * 2, [0, 0])
    assert fit([unlabelled]).weights == {}


def test_the_shipped_model_loads_with_its_weights_and_nouns() -> None:
    model = speakers.shipped_model()
    assert model is not None
    assert model.weights
    people, orgs = speakers.description_nouns()
    assert "لاعب" in people
    assert "شركه" in orgs  # folded


def test_speaker_resolution_never_imports_kafka() -> None:
    code = (
        "import sys, services.arabic.speakers, services.arabic.claims; "
        "sys.exit(any('kafka' in m or 'faust' in m for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
