"""Mining reporting cues from a news corpus, and merging the reviewed ones into ``cues.json``.

A cue is a word that introduces what someone claims. In Arabic news it shows in three shapes,
which the miner counts on folded text, clause by clause (a clause ends at . ، ؛ : ! ؟ or a
quote):

- **verb, subject, complementizer**: ``وأكد وزير الخارجية أن ...``: the clause's first word
  (without و/ف) when an أن/إن (or بأن, أنه ...) follows within a few words, with at least one
  word (the subject) in between; a preposition right before the complementizer (أشار X إلى أن)
  is counted as the particle the cue governs;
- **adjacent complementizer**: ``يعتقد أن``، ``مؤكدا أن``، ``لا تستبعد أن``: the word right
  before it, when that word opens its clause or follows a negation or particle (لا، لم، قد);
- **colon**: ``وقال الوزير:``: the first word of a short clause that ends with a colon;
- **governed particle**: ``ونددت الخارجية بالهجوم``، ``وحذر الوزير من``: the clause's first
  word when a particle (على، إلى، عن، من) or a ب-word (بالهجوم) follows its subject; counted
  apart (``governed``), since particles follow many verbs that claim nothing, and listed with
  the particle seen most.

Words are ranked by how often they open a claim that way, together with how often they occur
at all (a cue opens claims a good share of its uses; a noun such as «الوزير» opens none). The
subject's first word is counted too (``وأظهرت بيانات الوزارة أن``): it lists the nouns that
speak (بيانات، أرقام، تقارير).

Nothing is added to the lexicon by counting alone: the ranking is written to
``cue_candidates.tsv``, a person reviews it in ``cue_review.tsv`` (one line per accepted or
rejected word, with the lemma and behaviour), and ``merge_reviewed`` adds the accepted ones to
``cues.json``. ``rasd train cues`` runs all three steps; reviewed decisions survive re-mining.
"""

from __future__ import annotations

import csv
import json
import lzma
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import orjson

from services.arabic.normalize import fold

RESOURCES: Final = Path(__file__).parent / "resources"
CANDIDATES: Final = RESOURCES / "cue_candidates.tsv"
REVIEW: Final = RESOURCES / "cue_review.tsv"
CUES: Final = RESOURCES / "cues.json"

_CLAUSE_BREAK = re.compile(r'[.،,؛;:!؟?\n"]')
_TOKEN = re.compile(r"[^\W\d_]+|[.،,؛;:!؟?\n\"]")
# Folded complementizers (أن and إن fold alike), with their pronoun and ب forms.
_COMPLEMENTIZERS: Final = frozenset(
    {"ان", "انه", "انها", "انهم", "انهما", "انني", "اننا", "بان", "بانه", "بانها", "بانهم"}
)
_PARTICLES: Final = frozenset({"الي", "علي", "عن", "من", "في"})
_GOVERNED: Final = frozenset({"الي", "علي", "عن", "من"})
_LEADING_PARTICLES: Final = frozenset({"لا", "ولا", "لم", "ولم", "لن", "قد", "وقد", "كما"})
_MAX_SUBJECT_WORDS: Final = 6
_MAX_COLON_CLAUSE: Final = 6


def _bare(word: str) -> str:
    """Without a leading conjunction (وقال -> قال), as claims.py matches cues."""
    return word[1:] if len(word) > 3 and word[0] in "وف" else word


@dataclass
class CueCounts:
    """Counts of the shapes above, per folded word without its conjunction."""

    with_subject: Counter[str] = field(default_factory=Counter)
    adjacent: Counter[str] = field(default_factory=Counter)
    colon: Counter[str] = field(default_factory=Counter)
    particles: dict[str, Counter[str]] = field(default_factory=dict)
    subject_heads: Counter[str] = field(default_factory=Counter)
    governed: dict[str, Counter[str]] = field(default_factory=dict)  # word -> particle counts
    occurrences: Counter[str] = field(default_factory=Counter)
    articles: int = 0


def _clauses(folded: str) -> Iterator[tuple[list[str], str]]:
    """(words, the break that ends the clause) for each clause of ``folded``."""
    words: list[str] = []
    for token in _TOKEN.findall(folded):
        if _CLAUSE_BREAK.fullmatch(token):
            if words:
                yield words, token
            words = []
        else:
            words.append(token)
    if words:
        yield words, ""


def count_text(text: str, counts: CueCounts) -> None:
    counts.articles += 1
    for words, ending in _clauses(fold(text)):
        bare = [_bare(w) for w in words]
        counts.occurrences.update(bare)
        particle = _governed_particle(words)
        if particle is not None:
            counts.governed.setdefault(bare[0], Counter())[particle] += 1
        if ending == ":" and len(words) <= _MAX_COLON_CLAUSE:
            counts.colon[bare[0]] += 1
        for j, word in enumerate(words):
            if word not in _COMPLEMENTIZERS or j == 0:
                continue
            particle = words[j - 1] if words[j - 1] in _PARTICLES else None
            before = j - 1 if particle else j
            if before == 1 or (before == 2 and words[0] in _LEADING_PARTICLES):
                counts.adjacent[bare[before - 1]] += 1  # يعتقد أن، مؤكدا أن، لا تستبعد أن
            subject = before - 1  # words between the clause's first word and the particle
            if 1 <= subject <= _MAX_SUBJECT_WORDS:
                counts.with_subject[bare[0]] += 1
                counts.subject_heads[bare[1]] += 1
                if particle:
                    counts.particles.setdefault(bare[0], Counter())[particle] += 1
            break  # one complementizer per clause: the first opens the claim


def _governed_particle(words: list[str]) -> str | None:
    """The particle (or ب of a ب-word) after the clause's first word and its subject."""
    for word in words[2 : 2 + _MAX_SUBJECT_WORDS - 1]:
        if word in _GOVERNED:
            return word
        if word.startswith("بال"):
            return "ب"
        if word in _COMPLEMENTIZERS:
            return None
    return None


def read_corpus(path: Path, limit: int | None = None) -> Iterator[str]:
    """Article texts of a JSONL(.xz) corpus ({"text": ...} per line), the first ``limit``."""
    opener = lzma.open if path.suffix == ".xz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if limit is not None and n >= limit:
                return
            text = orjson.loads(line).get("text")
            if text:
                yield text


def mine(texts: Iterable[str]) -> CueCounts:
    counts = CueCounts()
    for text in texts:
        count_text(text, counts)
    return counts


@dataclass(frozen=True, slots=True)
class Candidate:
    word: str  # folded, without conjunction
    opens: int  # with_subject + adjacent + colon
    with_subject: int
    adjacent: int
    colon: int
    share: float  # opens / occurrences
    particle: str  # the particle it most often governs before أن, or ""
    subject_head: int  # times it starts the subject of a cue
    governed: int  # times its subject is followed by a particle or a ب-word
    governed_particle: str  # the particle seen most there


def ranked(counts: CueCounts, *, at_least: int = 20) -> list[Candidate]:
    """Words that open claims at least ``at_least`` times, most frequent first; then words
    whose subject is followed by a governed particle at least ``at_least`` times and in a
    fifth of their uses (ندد X ب، تعهد X ب)."""
    found = []
    words = set(counts.with_subject) | set(counts.adjacent) | set(counts.colon)
    for word in words | set(counts.governed):
        opens = counts.with_subject[word] + counts.adjacent[word] + counts.colon[word]
        governed_total = sum(counts.governed.get(word, Counter()).values())
        by_particle = governed_total >= at_least and (
            governed_total * 5 >= counts.occurrences[word]
        )
        if opens < at_least and not by_particle:
            continue
        particles = counts.particles.get(word, Counter()).most_common(1)
        particle = particles[0][0] if particles and particles[0][1] * 4 >= opens else ""
        governed = counts.governed.get(word, Counter())
        found.append(
            Candidate(
                word,
                opens,
                counts.with_subject[word],
                counts.adjacent[word],
                counts.colon[word],
                round(opens / max(1, counts.occurrences[word]), 3),
                particle,
                counts.subject_heads[word],
                sum(governed.values()),
                governed.most_common(1)[0][0] if governed else "",
            )
        )
    return sorted(found, key=lambda c: (-max(c.opens, c.governed), c.word))


def subject_nouns(counts: CueCounts, *, at_least: int = 20) -> list[tuple[str, int]]:
    """First words of cue subjects, most frequent first (بيانات، مصادر، وزير ...)."""
    return [(w, n) for w, n in counts.subject_heads.most_common() if n >= at_least]


_CANDIDATE_COLUMNS: Final = (
    "word",
    "opens",
    "with_subject",
    "adjacent",
    "colon",
    "share",
    "particle",
    "subject_head",
    "governed",
    "governed_particle",
)


def write_candidates(candidates: list[Candidate], path: Path = CANDIDATES) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(_CANDIDATE_COLUMNS)
        for c in candidates:
            writer.writerow([getattr(c, column) for column in _CANDIDATE_COLUMNS])


# ----------------------------------------------------------------------------------------------
# The reviewed list: one row per reviewed word.
#   word      the mined form (folded, no conjunction), as in cue_candidates.tsv
#   decision  verb | participle | speaker_noun | reject
#   lemma     for verb/participle: the past-tense lemma in ordinary spelling (أعرب)
#   governs   particles that open the content after it, space-separated (عن), or empty
#   flags     space-separated: strict (content only through a governed particle), object (the
#             content may be a direct object after a named speaker), stance (an opinion, belief
#             or intention rather than a report of fact), impersonal (read as a passive when
#             nothing stands between it and أن: ويعتقد أن الإصابة = it is believed that)
#   note      why (for rejects: what the word mostly is)
# ----------------------------------------------------------------------------------------------

_REVIEW_COLUMNS: Final = ("word", "decision", "lemma", "governs", "flags", "note")
DECISIONS: Final = frozenset({"verb", "participle", "speaker_noun", "reject"})
FLAGS: Final = frozenset({"strict", "object", "stance", "impersonal"})


@dataclass(frozen=True, slots=True)
class Review:
    word: str
    decision: str
    lemma: str
    governs: tuple[str, ...]
    flags: frozenset[str]
    note: str


def read_review(path: Path = REVIEW) -> list[Review]:
    reviews = []
    with path.open(encoding="utf-8", newline="") as rows:
        for n, row in enumerate(csv.DictReader(rows, delimiter="\t"), start=2):
            review = Review(
                row["word"],
                row["decision"],
                row["lemma"],
                tuple(row["governs"].split()),
                frozenset(row["flags"].split()),
                row["note"],
            )
            if review.decision not in DECISIONS or not review.flags <= FLAGS:
                raise ValueError(f"{path}:{n}: unknown decision or flag in {row}")
            if review.decision in ("verb", "participle") and not review.lemma:
                raise ValueError(f"{path}:{n}: a {review.decision} needs its lemma")
            reviews.append(review)
    return reviews


def known_forms() -> frozenset[str]:
    """Folded forms the shipped lexicon already treats as cues, participles or speaker nouns."""
    from services.arabic.claims import cues

    lexicon = cues()
    return frozenset(lexicon.lemma_of) | lexicon.speaker_nouns


def unreviewed(candidates: list[Candidate], reviews: list[Review]) -> list[Candidate]:
    seen = {r.word for r in reviews}
    return [c for c in candidates if c.word not in seen]


def merge_reviewed(reviews: list[Review], lexicon: dict[str, Any]) -> list[str]:
    """Add accepted reviews to a ``cues.json`` object in place; the changes made, as lines.

    Hand-written entries are kept: a mined verb form is added as a present form of its lemma, a
    new lemma gets its governed particles and flags, and participles and speaker nouns join
    their lists. Nothing is removed.
    """
    changes: list[str] = []
    verbs: dict[str, Any] = lexicon["verbs"]
    by_fold = {fold(lemma): lemma for lemma in verbs}
    for review in reviews:
        if review.decision == "verb":
            lemma = by_fold.get(fold(review.lemma), review.lemma)
            if lemma not in verbs:
                verbs[lemma] = {"governs": [], "present": []}
                by_fold[fold(lemma)] = lemma
                changes.append(f"verb {lemma}")
            spec = verbs[lemma]
            for particle in review.governs:
                if particle not in spec["governs"]:
                    spec["governs"].append(particle)
                    changes.append(f"verb {lemma} governs {particle}")
            new_form = review.word not in map(fold, spec["present"])
            if new_form and not _generated(fold(lemma), review.word):
                spec["present"].append(review.word)
                changes.append(f"verb {lemma} form {review.word}")
            for flag in sorted(review.flags):
                if not spec.get(flag):
                    spec[flag] = True
                    changes.append(f"verb {lemma} {flag}")
        elif review.decision == "participle":
            if review.word not in map(fold, lexicon["participles"]):
                lexicon["participles"].append(review.word)
                changes.append(f"participle {review.word}")
            if fold(review.lemma) != review.word:
                lemmas = lexicon["participle_lemmas"]
                if review.word not in map(fold, lemmas):
                    lemmas[review.word] = review.lemma
        elif review.decision == "speaker_noun" and review.word not in map(
            fold, lexicon["speaker_nouns"]
        ):
            lexicon["speaker_nouns"].append(review.word)
            changes.append(f"speaker noun {review.word}")
    return changes


def _generated(lemma: str, form: str) -> bool:
    """Forms claims.cues() derives from the lemma itself (past feminine, plural, dual)."""
    stem = lemma[:-1] if lemma.endswith(("ي", "ا")) else lemma
    return form in (lemma, stem + "ت", stem + "وا", lemma + "ا")


def update_cues(reviews: list[Review], path: Path = CUES) -> list[str]:
    lexicon = json.loads(path.read_text("utf-8"))
    changes = merge_reviewed(reviews, lexicon)
    if changes:
        path.write_text(json.dumps(lexicon, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return changes
