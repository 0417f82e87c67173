"""Speaker resolution as ranking: who said a claim, chosen among candidates by a small model.

For every statement opened by a cue, ``services.arabic.claims`` proposes a speaker by its rules
and hands this module a :class:`SpeakerContext`. The candidates are that proposal, the persons,
organizations and places named in the sentence before the content and in the two sentences
before it, the article's last speaker, and the antecedent of a description or title phrase
(«الشركة» -> the last organization whose name has شركة, «اللاعب» or «الرئيس الفرنسي» -> the
last person named). Each candidate gets features (distance to the cue, position relative to it:
right after the verb, right before it, in an earlier sentence, after a preposition; entity type;
agreement with the cue verb's gender and number: قال/قالت/قالوا; full name, linked id,
description head match; how the rules found it), and a conditional logit (softmax over the
claim's candidates, weights in ``resources/speakers.json``, model card ``resources/speakers.md``)
picks one. The weights are fitted by ``rasd train speakers`` on the dev gold.

One switch, :func:`use_resolver`: ``"rules"`` (the default: the rules' proposal unchanged, as
the ranker only ties them across outlets) or ``"ranker"``. Pure text code: no configuration is
read here and nothing imports Kafka.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final

from services.arabic.entities import EntityMention
from services.arabic.normalize import fold

RESOLVERS: Final = ("ranker", "rules")
# The resolver a process starts with: the one that scores better leave-one-outlet-out on dev
# (model card: resources/speakers.md).
DEFAULT_RESOLVER: Final = "rules"
MODEL_FILE: Final = "speakers.json"
# Word lists kept in the model file beside the weights (edited by hand, kept by retraining).
VOCABULARIES: Final = ("person_nouns", "org_nouns", "setting_nouns")


@dataclass(frozen=True, slots=True)
class PartyFound:
    text: str
    start: int
    end: int
    entity_id: str | None
    resolved_from: str


@dataclass(frozen=True, slots=True)
class SpeakerContext:
    """What the claim extractor knows at one cue; character offsets into ``text``."""

    text: str
    cue: str  # folded cue word without its particle or conjunction (قالت)
    cue_lemma: str  # folded past lemma (قال)
    cue_start: int
    cue_end: int  # end of the cue phrase (with a governed particle)
    region_end: int  # end of the speaker region between cue and content
    content_start: int
    sentence: tuple[int, int]
    sentence_starts: Sequence[int]  # starts of every sentence of the article, in order
    mentions: Sequence[EntityMention]  # every mention of the article, in order
    rule: PartyFound | None  # the rules' proposal
    last_speaker: PartyFound | None
    continuation: bool  # وأضاف، مضيفا: the cue continues the last speaker
    participle: bool
    conjoined: bool  # ، ويعتقد: a verb joined to the clause before
    earlier_in_sentence: bool  # another statement of this sentence came first
    person_nouns: frozenset[str] = frozenset()  # folded, without ال: لاعب، رئيس، وزير
    org_nouns: frozenset[str] = frozenset()  # folded, without ال: شركة، مرصد


@dataclass(frozen=True, slots=True)
class Candidate:
    party: PartyFound | None  # None: nobody is named (only offered when the rules found none)
    features: dict[str, float]


@dataclass(frozen=True, slots=True)
class Model:
    weights: dict[str, float]
    meta: dict[str, Any] = field(default_factory=dict)

    def score(self, candidate: Candidate) -> float:
        w = self.weights
        return sum(w.get(name, 0.0) * value for name, value in candidate.features.items())

    def choose(self, candidates: Sequence[Candidate]) -> Candidate | None:
        """The best candidate; ties go to the earlier one (the rules' proposal comes first)."""
        best: Candidate | None = None
        best_score = -math.inf
        for candidate in candidates:
            s = self.score(candidate)
            if s > best_score:
                best, best_score = candidate, s
        return best

    def to_json(self) -> dict[str, Any]:
        return {**self.meta, "weights": dict(sorted(self.weights.items()))}


@cache
def shipped_model() -> Model | None:
    package = resources.files("services.arabic.resources")
    resource = package.joinpath(MODEL_FILE)
    if not resource.is_file():
        return None
    return model_from_json(json.loads(resource.read_text("utf-8")))


def model_from_json(data: dict[str, Any]) -> Model:
    meta = {k: v for k, v in data.items() if k != "weights"}
    return Model({k: float(v) for k, v in data["weights"].items()}, meta)


def model_path() -> Path:
    return Path(str(resources.files("services.arabic.resources").joinpath(MODEL_FILE)))


@cache
def _nouns() -> tuple[frozenset[str], frozenset[str]]:
    """(person nouns, organization nouns), folded and without ال, from the shipped resource."""
    model = shipped_model()
    meta = model.meta if model else {}
    people = frozenset(fold(w).removeprefix("ال") for w in meta.get("person_nouns", ()))
    orgs = frozenset(fold(w).removeprefix("ال") for w in meta.get("org_nouns", ()))
    return people, orgs


@cache
def setting_nouns() -> frozenset[str]:
    """Nouns of where something was said (بيان، كلمة، تغريدة، رواية), folded, without ال."""
    model = shipped_model()
    words = model.meta.get("setting_nouns", ()) if model else ()
    return frozenset(fold(w).removeprefix("ال") for w in words)


def description_nouns() -> tuple[frozenset[str], frozenset[str]]:
    return _nouns()


# The switch, and evaluation hooks: a model fitted without a fold, a recorder of candidates.
_resolver: ContextVar[str] = ContextVar("speaker_resolver", default=DEFAULT_RESOLVER)
_model: ContextVar[Model | None] = ContextVar("speaker_model", default=None)
_recorder: ContextVar[list[tuple[int, list[Candidate]]] | None] = ContextVar(
    "speaker_recorder", default=None
)


def use_resolver(name: str) -> None:
    """``"ranker"`` (the shipped model) or ``"rules"`` (the rules' proposal), for this process."""
    if name not in RESOLVERS:
        raise ValueError(f"unknown speaker resolver {name!r}; one of {', '.join(RESOLVERS)}")
    _resolver.set(name)


def active_resolver() -> str:
    return _resolver.get()


@contextmanager
def using(
    resolver: str | None = None,
    model: Model | None = None,
    record: list[tuple[int, list[Candidate]]] | None = None,
) -> Iterator[None]:
    """Within the block: another resolver, a model in place of the shipped one, and/or every
    claim's candidates appended to ``record`` as (content start, candidates)."""
    tokens = [
        *([(_resolver, _resolver.set(resolver))] if resolver is not None else []),
        *([(_model, _model.set(model))] if model is not None else []),
        *([(_recorder, _recorder.set(record))] if record is not None else []),
    ]
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)  # type: ignore[attr-defined]


def resolve(ctx: SpeakerContext) -> PartyFound | None:
    """The speaker of the claim at ``ctx``: the rules' proposal, or the ranker's choice."""
    record = _recorder.get()
    if _resolver.get() == "rules" and record is None:
        return ctx.rule
    found = candidates(ctx)
    if record is not None:
        record.append((ctx.content_start, found))
    if _resolver.get() == "rules":
        return ctx.rule
    model = _model.get() or shipped_model()
    if model is None or not found:
        return ctx.rule
    best = model.choose(found)
    return best.party if best is not None else ctx.rule


# ---------------------------------------------------------------------------------------------
# Candidates and features

_SPEAKING_TYPES: Final = frozenset({"PER", "ORG", "LOC"})
_SENTENCES_BACK: Final = 2
_PREPOSITIONS: Final = frozenset({"في", "من", "الي", "علي", "عن", "مع", "ل", "ب", "لدي", "عبر"})
_SOURCE_WORDS: Final = frozenset({"وفق", "وفقا", "بحسب", "حسب", "نقلا", "طبقا"})
_PLURAL_ENDINGS: Final = ("ون", "ين", "ات")


def _words(text: str) -> list[str]:
    return fold(text).split()


def _cue_agreement(ctx: SpeakerContext) -> str:
    """The cue verb's gender/number as Arabic marks it: "f" (قالت، تقول، مؤكدة), "pl" (قالوا،
    يقولون، مؤكدين) or "m" (قال، يقول، مؤكدا)."""
    bare, lemma = ctx.cue, ctx.cue_lemma
    if bare == lemma:
        return "m"
    if ctx.participle:
        if bare.endswith("ين"):
            return "pl"
        return "f" if bare.endswith("ه") else "m"
    if bare.endswith(("وا", "ون")):
        return "pl"
    if bare.endswith("ت") and not lemma.endswith("ت"):
        return "f"
    if bare.startswith("ت") and (not lemma.startswith("ت") or bare.startswith("تت")):
        return "f"
    return "m"


def _party_agreement(party: PartyFound, kind: str) -> str:
    """What a candidate would agree with: "f" for a feminine noun (المتحدثة، وزيرة), "pl" for a
    plural (مسؤولون، مصادر), "org" for organizations and places (they take either), "m"."""
    if kind in ("ORG", "LOC"):
        return "org"
    words = _words(party.text)
    if not words:
        return "m"
    head = words[0].removeprefix("ال")
    if kind == "PER":
        return "f" if words[0].endswith("ه") and len(words[0]) > 3 else "m"
    if head.endswith(_PLURAL_ENDINGS) and len(head) > 4:
        return "pl"
    return "f" if head.endswith("ه") else "m"


def _glued_preposition(text: str, start: int) -> bool:
    """للصحفيين، لنتانياهو، بالبيان: the candidate's word carries a preposition, or follows one."""
    before = text[max(0, start - 12) : start]
    if before[-1:] in ("ل", "ب") and (
        len(before) < 2 or before[-2].isspace() or before[-2] in "وف"
    ):
        return True
    words = _words(before)
    return bool(words) and words[-1] in _PREPOSITIONS


def _after_source_word(text: str, start: int) -> bool:
    words = _words(text[max(0, start - 20) : start])
    return any(w.removeprefix("و") in _SOURCE_WORDS for w in words[-2:])


def _words_between(text: str, a: int, b: int) -> int:
    return len(text[min(a, b) : max(a, b)].split())


def _sentence_index(ctx: SpeakerContext, at: int) -> int:
    return bisect_right(ctx.sentence_starts, at) - 1


def _key(party: PartyFound, kind: str) -> str:
    return party.entity_id or (kind + ":" + " ".join(_words(party.text)))


def candidates(ctx: SpeakerContext) -> list[Candidate]:
    """The claim's candidate speakers with their features; the rules' proposal first."""
    text = ctx.text
    here = _sentence_index(ctx, ctx.sentence[0])
    first = ctx.sentence_starts[max(0, here - _SENTENCES_BACK)] if here >= 0 else ctx.sentence[0]
    starts = [m.start for m in ctx.mentions]
    lo, hi = bisect_left(starts, first), bisect_left(starts, ctx.region_end)
    window = [m for m in ctx.mentions[lo:hi] if m.entry.type in _SPEAKING_TYPES]
    before_cue = list(ctx.mentions[: bisect_left(starts, ctx.cue_start)])
    salience: dict[str, int] = {}
    for m in before_cue:
        salience[m.entry.entity_id] = salience.get(m.entry.entity_id, 0) + 1
    recency: dict[str, int] = {}
    for m in reversed(before_cue):
        if m.entry.type in ("PER", "ORG") and m.entry.entity_id not in recency:
            recency[m.entry.entity_id] = len(recency)

    out: dict[str, tuple[PartyFound, str, dict[str, float]]] = {}
    order: list[str] = []

    def add(party: PartyFound, kind: str, feats: dict[str, float]) -> None:
        key = _key(party, kind)
        if key in out:
            old_party, old_kind, old = out[key]
            merged = {**feats, **old}  # the first (nearer, or the rules') party and values win
            for name in ("src_rule", "last_speaker", "antecedent", "head_match"):
                if name in feats:
                    merged[name] = max(merged.get(name, 0.0), feats[name])
            out[key] = (old_party, old_kind, merged)
            return
        out[key] = (party, kind, feats)
        order.append(key)

    rule = ctx.rule
    rule_kind = "PHRASE"
    if rule is not None:
        kind = rule_kind = _mention_type(ctx, rule) or "PHRASE"
        feats = _position(ctx, rule.start, rule.end)
        feats["src_rule"] = 1.0
        feats["rule_" + rule.resolved_from] = 1.0
        add(rule, kind, feats)
        cuts = _shorter(ctx, rule)
        if cuts:
            feats_rule = out[_key(rule, kind)][2]
            covering = _mention_at(ctx, rule.start)
            if covering is not None and covering.end < rule.end:
                feats_rule["rule_name_then_more"] = 1.0  # ميركل لنتانياهو، نتانياهو طهران
        for cut, how in cuts:
            mention = _mention_at(ctx, cut.start)
            if mention is not None and mention.end == cut.end:
                cut = PartyFound(cut.text, cut.start, cut.end, mention.entry.entity_id, "name")
            feats = _position(ctx, cut.start, cut.end)
            feats["rule_cut_" + how] = 1.0
            feats.update(_cut_off(ctx, cut.end, rule.end))
            add(cut, mention.entry.type if mention else "PHRASE", feats)
        ante = _antecedent(ctx, rule, recency, before_cue)
        if ante is not None:
            party, ante_kind, head = ante
            feats = _position(ctx, rule.start, rule.end)
            feats["antecedent"] = 1.0
            feats["head_match"] = float(head)
            add(party, ante_kind, feats)
    # Parties of earlier sentences compete only when the rules named nobody in this sentence
    # (a continuation, a pronoun, a description, or nothing): a name at the cue is rarely
    # someone named before (dev, leave-one-outlet-out).
    reach_back = (
        rule is None
        or rule.resolved_from in ("pronoun", "continuation")
        or (_description_head(ctx, rule) is not None)
    )
    for mention in reversed(window):  # nearest first
        earlier = here >= 0 and mention.start < ctx.sentence[0]
        if earlier and (mention.entry.type == "LOC" or not reach_back):
            continue  # a place in an earlier sentence is where, not who
        party = PartyFound(
            _with_article(text, mention.start, mention.text),
            mention.start,
            mention.end,
            mention.entry.entity_id,
            "name" if mention.start >= ctx.sentence[0] else "pronoun",
        )
        feats = _position(ctx, mention.start, mention.end)
        if rule is not None and not earlier and mention.start != rule.start:
            if rule.start <= mention.start and mention.end <= rule.end:
                feats["inside_rule"] = 1.0  # الأمين العام للصندوق حسن الجاسر
                if mention.entry.type == "PER" and rule.entity_id is None:
                    out[_key(rule, rule_kind)][2]["rule_holds_person"] = 1.0
            elif rule.end <= mention.start < ctx.region_end:
                feats["after_rule"] = 1.0  # محامي دانيلز، مايكل أفيناتي
        add(party, mention.entry.type, feats)
    last = ctx.last_speaker
    if last is not None:
        kind = _mention_type(ctx, last) or "PHRASE"
        how = "continuation" if ctx.continuation or ctx.participle else "pronoun"
        party = PartyFound(last.text, last.start, last.end, last.entity_id, how)
        add(party, kind, {**_position(ctx, last.start, last.end), "last_speaker": 1.0})

    agreement = _cue_agreement(ctx)
    result = []
    if rule is None:
        # ويعتقد أن ...، بحسب الاتفاق: the rules named nobody; the ranker may agree
        nobody = {"nobody": 1.0, f"nobody_cue_{agreement}": 1.0}
        if ctx.participle:
            nobody["nobody_participle"] = 1.0
        result.append(Candidate(None, nobody))
    for key in order:
        party, kind, feats = out[key]
        feats = dict(feats)
        feats["type_" + kind] = 1.0
        if party.entity_id is not None:
            feats["has_id"] = 1.0
        if len(_words(party.text)) >= 2 and kind == "PER":
            feats["full_name"] = 1.0
        if len(_words(party.text)) > 4:
            feats["long_phrase"] = 1.0
        feats[f"agree_{agreement}_{_party_agreement(party, kind)}"] = 1.0
        if party.entity_id is not None:
            feats["salience"] = math.log1p(salience.get(party.entity_id, 0))
            rank = recency.get(party.entity_id)
            if rank is not None:
                feats["recent_rank"] = float(min(rank, 4))
        for on, crossed, name in (
            (ctx.continuation, "last_speaker", "cue_continues"),
            (ctx.participle, "last_speaker", "participle_x_last"),
            (ctx.participle, "pos_before", "participle_x_before"),
            (ctx.conjoined, "pos_before_adjacent", "conjoined_x_before_adjacent"),
            (ctx.earlier_in_sentence, "last_speaker", "earlier_x_last"),
        ):
            if on and crossed in feats:
                feats[name] = 1.0
        result.append(Candidate(party, feats))
    return result


_CUT_WORDS: Final = frozenset({"في", "علي", "عن", "عبر", "خلال", "امام", "منذ", "بعد", "قبل"})
_QUOTES: Final = frozenset('"“”«»')


def _shorter(ctx: SpeakerContext, rule: PartyFound) -> list[tuple[PartyFound, str]]:
    """The rules' phrase cut shorter, for phrases with words attached: before a quote
    (المنجومي" متحدثا), before a preposition (المحكمة في بيانها، غرينيل على تويتر), before a
    word glued to ل or ب (ميركل لنتانياهو), or to its first word (نتانياهو طهران)."""
    if rule.resolved_from not in ("title", "name"):
        return []
    covering = _mention_at(ctx, rule.start)
    if covering is not None and covering.end >= rule.end:
        return []  # a name as the tagger found it: nothing attached
    text = ctx.text
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[rule.start : rule.end])]
    if len(spans) < 2:
        return []
    out: list[tuple[PartyFound, str]] = []
    seen: set[int] = set()

    def cut_at(n: int, how: str) -> None:
        end = rule.start + spans[n - 1][1]
        while end > rule.start and text[end - 1] in _QUOTES | set("،,:"):
            end -= 1
        if end <= rule.start or end in seen or end >= rule.end:
            return
        seen.add(end)
        out.append((PartyFound(text[rule.start : end], rule.start, end, None, "title"), how))

    for n, (a, b) in enumerate(spans):
        word = text[rule.start + a : rule.start + b]
        if n == 0:
            if any(q in word for q in _QUOTES):
                cut_at(1, "quote")
            continue
        folded = fold(word)
        previous = fold(text[rule.start + spans[n - 1][0] : rule.start + spans[n - 1][1]])
        if folded in _CUT_WORDS:
            cut_at(n, "preposition")
        elif (
            folded[:1] in ("ل", "ب")
            and len(folded) > 3
            and not folded.startswith(("لل", "با"))
            and previous not in _CUT_WORDS
        ):
            cut_at(n, "glued")
        elif any(q in word for q in _QUOTES) and n + 1 < len(spans):
            cut_at(n + 1, "quote")
    cut_at(1, "first_word")
    return out


def _mention_at(ctx: SpeakerContext, start: int) -> EntityMention | None:
    starts = [m.start for m in ctx.mentions]
    i = bisect_left(starts, start)
    return ctx.mentions[i] if i < len(starts) and starts[i] == start else None


_PRONOUN_SUFFIXES: Final = ("ه", "ها", "هم", "هما")


def _cut_off(ctx: SpeakerContext, start: int, end: int) -> dict[str, float]:
    """What a cut leaves out: a word with a pronoun (في بيانها، في روايته: the setting), a
    place (في غزة, part of a title: مكتب الشؤون المدنية في غزة), its length."""
    words = _words(ctx.text[start:end])
    feats: dict[str, float] = {"cut_words": math.log1p(len(words))}
    if any(w.endswith(_PRONOUN_SUFFIXES) and not w.startswith("ال") for w in words[:3]):
        feats["cut_pronoun"] = 1.0
    settings = setting_nouns()
    for w in words[:3]:
        bare = w.lstrip("ب").removeprefix("ال") if w.startswith("بال") else w.removeprefix("ال")
        stems = {bare, *(bare[: -len(x)] for x in _PRONOUN_SUFFIXES if bare.endswith(x))}
        if stems & settings:
            feats["cut_setting"] = 1.0
    starts = [m.start for m in ctx.mentions]
    for m in ctx.mentions[bisect_left(starts, start) : bisect_left(starts, end)]:
        feats["cut_" + m.entry.type] = 1.0
    return feats


def _mention_type(ctx: SpeakerContext, party: PartyFound) -> str | None:
    """The entity type of a party the rules found, when a mention covers it."""
    starts = [m.start for m in ctx.mentions]
    i = bisect_left(starts, party.start)
    for m in ctx.mentions[max(0, i - 1) : i + 2]:
        if m.start < party.end and party.start < m.end:
            return m.entry.type
    if party.entity_id is not None:
        for m in ctx.mentions:
            if m.entry.entity_id == party.entity_id:
                return m.entry.type
    return None


def _position(ctx: SpeakerContext, start: int, end: int) -> dict[str, float]:
    text = ctx.text
    feats: dict[str, float] = {}
    s0, s1 = ctx.sentence
    if start >= s0 and end <= s1:
        if ctx.cue_end <= start < ctx.region_end:
            feats["pos_region"] = 1.0
            between = _words_between(text, ctx.cue_end, start)
            if between == 0:
                feats["pos_right_after"] = 1.0
            feats["dist"] = math.log1p(between)
        elif end <= ctx.cue_start:
            between = _words_between(text, end, ctx.cue_start)
            feats["pos_before"] = 1.0
            if between <= 1:
                feats["pos_before_adjacent"] = 1.0
            feats["dist"] = math.log1p(between)
        elif start >= ctx.content_start:
            feats["pos_in_content"] = 1.0
            feats["dist"] = math.log1p(_words_between(text, ctx.cue_end, start))
        else:
            feats["pos_overlaps_cue"] = 1.0
    else:
        back = _sentence_index(ctx, s0) - _sentence_index(ctx, start)
        feats["pos_earlier_sentence"] = 1.0
        feats["sentences_back"] = float(max(1, min(back, 3)))
        feats["dist"] = math.log1p(_words_between(text, end, ctx.cue_start))
    if start < len(text) and _glued_preposition(text, start):
        feats["after_preposition"] = 1.0
    if _after_source_word(text, start):
        feats["after_source_word"] = 1.0
    return feats


def _description_head(ctx: SpeakerContext, rule: PartyFound) -> tuple[str, str] | None:
    """(head noun, PER | ORG) of a description or title phrase the rules found: الشركة،
    اللاعب المخضرم، الرئيس الفرنسي."""
    if rule.resolved_from != "title" or rule.entity_id is not None:
        return None
    words = _words(rule.text)
    if not words or len(words) > 4 or not words[0].startswith("ال"):
        return None
    head = words[0].removeprefix("ال")
    kind = "PER" if head in ctx.person_nouns else "ORG" if head in ctx.org_nouns else None
    return None if kind is None else (head, kind)


def _antecedent(
    ctx: SpeakerContext,
    rule: PartyFound,
    recency: dict[str, int],
    before: list[EntityMention],
) -> tuple[PartyFound, str, bool] | None:
    """The party a description or title phrase stands for: «الشركة» -> the last organization
    whose name has شركة (or that follows the word شركة); «اللاعب المخضرم», «الرئيس الفرنسي» ->
    the last person named before it. (party keeping the phrase's offsets, type, head matched)"""
    described = _description_head(ctx, rule)
    if described is None:
        return None
    head, kind = described
    for mention in reversed(before):
        if mention.end > rule.start or mention.entry.type != kind:
            continue
        name = mention.entry.canonical or mention.text
        matched = kind == "PER" or head in {w.removeprefix("ال") for w in _words(name)}
        if kind == "ORG" and not matched:
            prior = _words(ctx.text[max(0, mention.start - 20) : mention.start])
            matched = bool(prior) and prior[-1].lstrip("وف").removeprefix("ال") == head
            if not matched:
                continue
        party = PartyFound(name, rule.start, rule.end, mention.entry.entity_id, "pronoun")
        return party, kind, matched
    return None


def _with_article(text: str, start: int, name: str) -> str:
    """للأمم المتحدة = لـ + الأمم المتحدة: give back the alef a glued ل took."""
    return "ا" + name if name.startswith("ل") and text[start - 1 : start] == "ل" else name


# ---------------------------------------------------------------------------------------------
# Fitting (numpy is imported only here: inference is plain Python)


@dataclass(frozen=True, slots=True)
class Group:
    """One gold claim's candidates, labelled: 1 for a candidate that is the gold speaker."""

    file: str
    outlet: str
    candidates: list[Candidate]
    labels: list[int]


DEFAULT_L2: Final = 1.0
_UNPENALIZED: Final = ("src_rule",)


def fit(groups: Sequence[Group], l2: float = DEFAULT_L2, iterations: int = 100) -> Model:
    """A conditional logit over each group's candidates (softmax), L2-penalized, fitted by
    Newton steps from zero weights: deterministic, so the same data gives the same weights."""
    import numpy as np

    names = sorted({n for g in groups for c in g.candidates for n in c.features})
    index = {n: i for i, n in enumerate(names)}
    usable = [g for g in groups if any(g.labels) and len(g.candidates) > 1]
    mats, targets = [], []
    for g in usable:
        x = np.zeros((len(g.candidates), len(names)))
        for r, c in enumerate(g.candidates):
            for n, v in c.features.items():
                x[r, index[n]] = v
        y = np.array(g.labels, dtype=float)
        mats.append(x)
        targets.append(y / y.sum())
    w = np.zeros(len(names))
    penalty = np.full(len(names), l2)
    for name in _UNPENALIZED:
        if name in index:
            penalty[index[name]] = 1e-3  # the rules' proposal is the prior the rest corrects
    for _ in range(iterations):
        grad = penalty * w
        hess = np.diag(penalty + 1e-6)
        for x, t in zip(mats, targets, strict=True):
            s = x @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            grad -= x.T @ (t - p)
            xm = x - p @ x
            hess += xm.T @ (xm * p[:, None])
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    weights = {n: round(float(w[i]), 4) for n, i in index.items()}
    return Model({n: v for n, v in weights.items() if v != 0.0})


def top1(model: Model, groups: Sequence[Group]) -> tuple[int, int]:
    """(groups whose best candidate is labelled right, groups with a right candidate)."""
    right = total = 0
    for g in groups:
        if not any(g.labels):
            continue
        total += 1
        best = model.choose(g.candidates)
        right += best is not None and g.labels[g.candidates.index(best)] == 1
    return right, total
