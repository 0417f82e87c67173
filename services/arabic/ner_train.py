"""Training the NER tagger: corpus readers (ANERcorp, AQMAR, WikiFANE) and the crfsuite trainer.

Readers yield sentences as ``(words, labels)`` with coarse BIO labels over PER/LOC/ORG/MISC.

* ANERcorp (CAMeL Lab split) and AQMAR: ``token<TAB>tag``, blank line between sentences;
  ANERcorp's PERS becomes PER.
* WikiFANE: BOM, CRLF, a U+200E mark before tokens, 50 fine-grained classes without a coarse
  prefix (mapped by ``WIKIFANE_COARSE``; ACE's PER.Group, i.e. peoples such as العرب، اليهود,
  is not a named entity in ANERcorp's or our guidelines and becomes O). The conjunction و is a
  token of its own there; it is glued back onto the next word so the text looks like news text.

The dev split is fixed: the last 10% of ANERcorp train's sentences (``DEV_FRACTION``); it is never
trained on by the shipped model.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from services.arabic.ner import Featurizer, GazetteerFn

Sentence = tuple[list[str], list[str]]

DEV_FRACTION: Final = 0.10
ANERCORP: Final = "anercorp-camel/train.conll"
AQMAR_TRAIN: Final = "aqmar/train.conll"
AQMAR_DEV: Final = "aqmar/dev.conll"
WIKIFANE: Final = "wikifane/WikiFANE_Gold_2014_500K.txt"

WIKIFANE_COARSE: Final[dict[str, str | None]] = {
    **dict.fromkeys(
        [
            "Politician",
            "Religious_PER",
            "Artist",
            "Other_PER",
            "Scientist",
            "Athlete",
            "Businessperson",
            "Engineer",
            "Lawyer",
            "Police",
        ],
        "PER",
    ),
    "Group": None,
    **dict.fromkeys(
        [
            "Government",
            "Non-Governmental",
            "Commercial",
            "Educational",
            "Media",
            "Religious_ORG",
            "Sports",
            "Entertainment",
            "Medical-Science",
        ],
        "ORG",
    ),
    **dict.fromkeys(
        [
            "Population-Center",
            "Nation",
            "State-or-Province",
            "County-or-District",
            "GPE-Cluster",
            "Continent",
            "Water-Body",
            "Celestial",
            "Land-Region-Natural",
            "Building-Grounds",
            "Subarea-Facility",
            "Airport",
            "Path",
        ],
        "LOC",
    ),
    **dict.fromkeys(
        [
            "Air",
            "Water",
            "Land",
            "Book",
            "Movie",
            "Sound",
            "Software",
            "Hardware",
            "Food",
            "Drug",
            "Plant",
            "Nuclear",
            "Shooting",
            "Blunt",
            "Exploding",
            "Projectile",
            "Chemical",
            "Sharp",
        ],
        "MISC",
    ),
}
_COARSE_ALIASES: Final = {"PERS": "PER", "PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"}


def coarse_label(tag: str) -> str:
    """B-PERS -> B-PER; MISC0..3 -> MISC; anything unknown -> O."""
    tag = tag.strip()
    if tag == "O" or "-" not in tag:
        return "O"
    bio, _, kind = tag.partition("-")
    if kind.startswith("MIS"):
        kind = "MISC"
    coarse = _COARSE_ALIASES.get(kind)
    return f"{bio}-{coarse}" if coarse and bio in ("B", "I") else "O"


def read_conll(path: Path, label_map: Callable[[str], str] = coarse_label) -> Iterator[Sentence]:
    """``token<TAB>tag`` lines, blank line between sentences (BOM, CRLF and U+200E tolerated)."""
    words: list[str] = []
    labels: list[str] = []
    with path.open(encoding="utf-8-sig") as lines:
        for raw in lines:
            line = raw.rstrip("\r\n").replace("\u200e", "").replace("\u200f", "")
            if not line.strip():
                if words:
                    yield words, labels
                words, labels = [], []
                continue
            token, _, tag = line.rpartition("\t")
            if not token:
                token, tag = line.strip(), "O"
            words.append(token.strip() or token)
            labels.append(label_map(tag))
    if words:
        yield words, labels


def wikifane_label(tag: str) -> str:
    tag = tag.strip()
    if tag == "O" or "-" not in tag:
        return "O"
    bio, _, fine = tag.partition("-")
    coarse = WIKIFANE_COARSE.get(fine)
    return f"{bio}-{coarse}" if coarse and bio in ("B", "I") else "O"


def glue_conjunctions(sentence: Sentence) -> Sentence:
    """Attach a stand-alone و token to the following word (WikiFANE segments it off)."""
    words, labels = sentence
    out_w: list[str] = []
    out_l: list[str] = []
    i = 0
    while i < len(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if words[i] == "و" and nxt[:1].isalpha() and nxt != "و":
            out_w.append("و" + words[i + 1])
            out_l.append(labels[i + 1])
            i += 2
            continue
        out_w.append(words[i])
        out_l.append(labels[i])
        i += 1
    return out_w, _repair_bio(out_l)


def _repair_bio(labels: list[str]) -> list[str]:
    fixed = []
    prev = "O"
    for label in labels:
        if label.startswith("I-") and prev[2:] != label[2:]:
            label = "B-" + label[2:]
        fixed.append(label)
        prev = label
    return fixed


def read_wikifane(path: Path) -> Iterator[Sentence]:
    for sentence in read_conll(path, wikifane_label):
        yield glue_conjunctions(sentence)


def anercorp_split(data: Path) -> tuple[list[Sentence], list[Sentence]]:
    """(train, dev): dev is the last ``DEV_FRACTION`` of ANERcorp train's sentences, fixed."""
    sentences = list(read_conll(data / ANERCORP))
    cut = len(sentences) - round(len(sentences) * DEV_FRACTION)
    return sentences[:cut], sentences[cut:]


@dataclass(frozen=True, slots=True)
class TrainConfig:
    corpora: tuple[str, ...] = ("anercorp",)
    c1: float = 0.05
    c2: float = 0.01
    max_iterations: int = 200
    min_freq: int = 1
    include_dev: bool = False  # train on the dev split too (never for reported dev numbers)
    limit: int | None = None  # first N training sentences per corpus (smoke tests)
    # Daumé's feature augmentation: every feature also in a copy per corpus domain (news/wiki),
    # so Wikipedia data helps where it agrees with news and is ignored where it does not.
    domain_adapt: bool = False


DOMAINS: Final = {"anercorp": "news", "aqmar": "wiki", "wikifane": "wiki"}


def training_sentences(data: Path, config: TrainConfig) -> list[Sentence]:
    return [s for s, _ in training_data(data, config)]


def training_data(data: Path, config: TrainConfig) -> list[tuple[Sentence, str]]:
    """Training sentences with their domain (news for ANERcorp, wiki for the Wikipedia sets)."""
    train, dev = anercorp_split(data)
    out: list[tuple[Sentence, str]] = []
    for name in config.corpora:
        if name == "anercorp":
            part = train + (dev if config.include_dev else [])
        elif name == "aqmar":
            part = list(read_conll(data / AQMAR_TRAIN)) + list(read_conll(data / AQMAR_DEV))
        elif name == "wikifane":
            part = list(read_wikifane(data / WIKIFANE))
        else:
            raise ValueError(f"unknown corpus {name!r} (anercorp, aqmar, wikifane)")
        out += [(s, DOMAINS[name]) for s in (part[: config.limit] if config.limit else part)]
    return out


_PROGRESS_EVERY: Final = 20  # L-BFGS iterations between progress lines


def train(
    sentences: Iterable[tuple[Sentence, str]],
    model_path: Path,
    config: TrainConfig,
    gazetteer: GazetteerFn | None,
    log: Callable[[str], None] = lambda _: None,
    wordstats: bool = False,
    clusters: bool = False,
) -> float:
    """Train a CRF on ``sentences`` into ``model_path``; returns seconds spent."""
    import pycrfsuite

    start = time.perf_counter()
    featurizer = Featurizer(gazetteer, wordstats, clusters)

    class ProgressTrainer(pycrfsuite.Trainer):  # type: ignore[misc]
        """Reports L-BFGS progress (full training takes minutes) and nothing else: crfsuite's
        log goes to the handlers only when ``verbose``, and every handler prints by default."""

        def on_start(self, message: str) -> None: ...
        def on_featgen_progress(self, message: str, percent: float) -> None: ...
        def on_featgen_end(self, message: str) -> None: ...
        def on_prepared(self, message: str) -> None: ...
        def on_prepare_error(self, message: str) -> None:
            log(message.strip())

        def on_optimization_end(self, message: str) -> None: ...
        def on_end(self, message: str) -> None: ...

        def on_iteration(self, message: str, info: dict[str, Any]) -> None:
            n = info.get("num", 0)
            if n == 1 or n % _PROGRESS_EVERY == 0:
                log(
                    f"iteration {n}/{config.max_iterations}: loss {info.get('loss', 0):,.1f}, "
                    f"{info.get('active_features', 0):,} active features, "
                    f"{time.perf_counter() - start:.0f}s"
                )

    trainer = ProgressTrainer(verbose=True)
    count = 0
    for (words, labels), domain in sentences:
        attrs = featurizer.sequence(words)
        if config.domain_adapt:
            attrs = [[*a, *(f"{domain}|{x}" for x in a)] for a in attrs]
        trainer.append(attrs, labels)
        count += 1
    log(f"featurized {count} sentences in {time.perf_counter() - start:.1f}s")
    trainer.select("lbfgs", "crf1d")
    trainer.set_params(
        {
            "c1": config.c1,
            "c2": config.c2,
            "max_iterations": config.max_iterations,
            "feature.minfreq": config.min_freq,
            "feature.possible_transitions": True,
        }
    )
    model_path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(model_path))
    return time.perf_counter() - start


def vocabulary(sentences: Iterable[Sentence]) -> dict[str, list[str]]:
    """Word lists the linker uses, from the training sentences (folded, sorted):

    * ``entity_words``: words seen inside names (first words with their clitics stripped). They
      tell a clitic from a name's first letter: لحماس -> حماس, but لبنان stays whole.
    * ``first_names``: words that start a person's name at least twice and more often than not.
    * ``common_words``: words seen 3+ times, almost never (≤ 5%) inside a name: they end a name.
    """
    from services.arabic.ner import name_stem
    from services.arabic.normalize import fold

    counts: dict[str, int] = {}
    first_per: dict[str, int] = {}
    outside: dict[str, int] = {}
    inside: dict[str, int] = {}
    for sentence_words, labels in sentences:
        for word, label in zip(sentence_words, labels, strict=True):
            folded = fold(word)
            if label == "O" or not word[:1].isalpha():
                outside[folded] = outside.get(folded, 0) + 1
                continue
            inside[folded] = inside.get(folded, 0) + 1
            if label.startswith("B-"):
                folded = name_stem(folded)
                if label == "B-PER":
                    first_per[folded] = first_per.get(folded, 0) + 1
            counts[folded] = counts.get(folded, 0) + 1
    # A name word starting with a clitic letter counts only when frequent and more frequent than
    # its stripped form (لبنان yes; لحماس, وواشنطن no).
    words = {
        w for w, n in counts.items() if w[0] not in "وفبلك" or (n >= 3 and counts.get(w[1:], 0) < n)
    }
    first = {w for w, n in first_per.items() if n >= 2 and n >= outside.get(w, 0)}
    common = {
        w for w, n in outside.items() if n >= 3 and inside.get(w, 0) <= n // 20 and w[:1].isalpha()
    }
    return {
        "entity_words": sorted(words),
        "first_names": sorted(first),
        "common_words": sorted(common),
    }
