"""A CRF named-entity tagger for Arabic news: features, training-time encoding and fast decoding.

The model is a linear-chain CRF trained with python-crfsuite (``services/arabic/ner_train.py``,
``rasd train ner``). Features are computed per *word form* and memoized: a token's features are
its own word's features plus its neighbours' (±2), each prefixed with the relative position, and
two neighbour bigrams. Because the CRF's emission score is a sum of feature weights, the tagger
folds the weights once per word form into one score vector per relative position; tagging an
article is then a few array additions and a Viterbi pass (numpy), not a crfsuite call with
thousands of feature strings. ``Tagger.tag`` equals crfsuite's own decoding (a unit test checks).

Clitics (و ف ب ل ك and the article ال) are featurized: the folded word, its clitic-stripped stem,
the stripped prefix, and the stem without ال, with affixes of the stem.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from services.arabic.gazetteer import gazetteer_tags
from services.arabic.normalize import fold

LABELS: Final = (
    "O",
    "B-PER",
    "I-PER",
    "B-LOC",
    "I-LOC",
    "B-ORG",
    "I-ORG",
    "B-MISC",
    "I-MISC",
)
TYPES: Final = ("PER", "LOC", "ORG", "MISC")
# The shipped model: the trained CRF's weights as gzipped JSON (``write_compact``), domain copies
# merged and near-zero weights dropped; crfsuite's own file is kept only for training.
MODEL_FILE: Final = "ner.crf.gz"
COMPACT_FORMAT: Final = "rasd-crf/1"
PRUNE_BELOW: Final = 0.05  # |weight| below this is dropped from the compact model
PAD_BEFORE: Final = "<s>"
PAD_AFTER: Final = "</s>"
OFFSETS: Final = (-2, -1, 0, 1, 2)
NEWS: Final = "news|"

_CONJ: Final = ("و", "ف")
_PREP: Final = ("ب", "ل", "ك")
_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"\d")
_ARABIC = re.compile(r"[\u0620-\u064a]")
# Nationality / relation adjective endings (folded): الأمريكي، الإسرائيلية، المصريين، السوريون.
_NISBA = re.compile(r"(?:ي|يه|يين|يون|يان|يتين)$")

FloatArray = npt.NDArray[np.float64]
# Gazetteer lookup used as a feature: folded word -> short tags such as "LOC", "PER:first".
GazetteerFn = Callable[[str], Sequence[str]]


def split_clitics(folded: str) -> tuple[str, str]:
    """(prefix, stem) of a folded word: وبالبيت -> (وب, البيت), للبيت -> (ل, البيت)."""
    prefix = ""
    word = folded
    if len(word) > 3 and word[0] in _CONJ:
        prefix, word = word[0], word[1:]
    if len(word) > 3 and word.startswith("لل"):
        return prefix + "ل", "ا" + word[1:]
    if len(word) > 3 and word[0] in _PREP and word[1:3] == "ال":
        return prefix + word[0], word[1:]
    return prefix, word


def name_stem(folded: str) -> str:
    """Strip clitics only where the article proves them: وبالقدس -> القدس, للبيت -> البيت,
    but فؤاد and فرنسا stay whole (``split_clitics`` also strips a lone و/ف, for features)."""
    prefix, stem = split_clitics(folded)
    return stem if stem.startswith("ال") or not prefix else folded


def _core(stem: str) -> str:
    return stem[2:] if stem.startswith("ال") and len(stem) > 4 else stem


def word_features(
    word: str,
    gazetteer: GazetteerFn | None = None,
    wordstats: bool = False,
    clusters: bool = False,
) -> tuple[list[str], list[str]]:
    """Features of one word form: (full set for the word itself, small set for neighbours).

    ``wordstats`` adds the corpus statistics of the word (``services.arabic.wordstats``:
    frequency bucket, shares with the article, a possessive suffix, a preposition, in construct
    state) and, for neighbours, whether the corpus mostly uses it as a common word.
    ``clusters`` adds the word's and its stem's distributional clusters
    (``services.arabic.clusters``) and, for neighbours, the word's cluster at one granularity."""
    if word in (PAD_BEFORE, PAD_AFTER):
        return [word], [word]
    f = fold(word)
    prefix, stem = split_clitics(f)
    core = _core(stem)
    own = ["bias", f"w={f}", f"s={stem}", f"c={core}", f"p={prefix}"]
    if stem.startswith("ال"):
        own.append("al")
    if _LATIN.search(f):
        own.append("latin")
    elif _DIGIT.search(f):
        own.append("digit")
    elif not _ARABIC.search(f):
        own.append(f"punct={f[:3]}")
    else:
        n = len(core)
        own += [f"c1={core[-1:]}", f"c2={core[-2:]}", f"c3={core[-3:]}"]
        own += [f"b2={core[:2]}", f"b3={core[:3]}", f"len={min(n, 9)}"]
        if _NISBA.search(core):
            own.append("nisba")
        if f[:1] in _CONJ + _PREP:
            own.append(f"raw1={f[:1]}")
    near = [f"w={f}", f"c={core}"]
    if gazetteer is not None:
        for tag in gazetteer(f):
            own.append(f"gz={tag}")
            near.append(f"gz={tag}")
    if "al" in own:
        near.append("al")
    if wordstats and _ARABIC.search(f):
        from services.arabic.wordstats import features as corpus_features

        stats = corpus_features(f)
        own += stats
        if "wcommon" in stats:
            near.append("wcommon")
    if clusters and _ARABIC.search(f):
        from services.arabic.clusters import features as cluster_features

        # a name unseen in the annotated corpora shares its cluster with names of its kind,
        # and a word unseen beside a name shares it with words that introduce names
        word_clusters, near_clusters = cluster_features(f, stem)
        own += word_clusters
        near += near_clusters
    return own, near


class Featurizer:
    """Per-word-form feature cache; one per process (or per training run)."""

    def __init__(
        self,
        gazetteer: GazetteerFn | None = None,
        wordstats: bool = False,
        clusters: bool = False,
    ) -> None:
        self.gazetteer = gazetteer
        self.wordstats = wordstats
        self.clusters = clusters
        self._cache: dict[str, tuple[list[str], list[str], str]] = {}

    def word(self, word: str) -> tuple[list[str], list[str], str]:
        hit = self._cache.get(word)
        if hit is None:
            own, near = word_features(word, self.gazetteer, self.wordstats, self.clusters)
            hit = (own, near, fold(word) if word not in (PAD_BEFORE, PAD_AFTER) else word)
            self._cache[word] = hit
        return hit

    def sequence(self, words: Sequence[str]) -> list[list[str]]:
        """Attribute lists for crfsuite, one per word (training and reference decoding)."""
        padded = [PAD_BEFORE, PAD_BEFORE, *words, PAD_AFTER, PAD_AFTER]
        feats = [self.word(w) for w in padded]
        out: list[list[str]] = []
        for i in range(2, len(padded) - 2):
            attrs: list[str] = []
            for k in OFFSETS:
                own, near, _ = feats[i + k]
                attrs += [f"{k}:{a}" for a in (own if k == 0 else near)]
            attrs += bigram_features(feats[i - 1][2], feats[i][2], feats[i + 1][2])
            out.append(attrs)
        return out


def bigram_features(prev: str, cur: str, nxt: str) -> list[str]:
    return [f"b-:{prev}|{cur}", f"b+:{cur}|{nxt}"]


@dataclass(frozen=True, slots=True)
class Span:
    """A tagged entity: token indices [start, end) and coarse type."""

    start: int
    end: int
    type: str


def spans_from_labels(labels: Sequence[str]) -> list[Span]:
    """BIO labels to spans (conlleval-style: a stray I- starts a new entity)."""
    spans: list[Span] = []
    start, kind = -1, ""
    for i, label in enumerate([*labels, "O"]):
        tag, _, typ = label.partition("-")
        if start >= 0 and (tag != "I" or typ != kind):
            spans.append(Span(start, i, kind))
            start, kind = -1, ""
        if tag == "B" or (tag == "I" and start < 0):
            start, kind = i, typ
    return spans


@dataclass(frozen=True, slots=True)
class CrfWeights:
    """What decoding needs from a trained CRF: labels, transition and state-feature weights."""

    labels: list[str]
    transitions: FloatArray  # (from, to)
    state: dict[str, FloatArray]  # attribute -> weight per label


def read_crfsuite(path: Path | str) -> CrfWeights:
    """A crfsuite model file's weights; a domain-adapted model's news copy of every feature is
    added to the general one (see ``ner_train.TrainConfig.domain_adapt``)."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    info = tagger.info()
    labels: list[str] = list(tagger.labels())
    tagger.close()
    index = {label: i for i, label in enumerate(labels)}
    n = len(labels)
    transitions: FloatArray = np.zeros((n, n))
    for (a, b), w in info.transitions.items():
        transitions[index[a], index[b]] = w
    weights: dict[str, FloatArray] = {}
    for (attr, label), w in info.state_features.items():
        vec = weights.get(attr)
        if vec is None:
            vec = weights[attr] = np.zeros(n)
        vec[index[label]] = w
    news = {a[len(NEWS) :]: v for a, v in weights.items() if a.startswith(NEWS)}
    if news:
        weights = {a: v for a, v in weights.items() if "|" not in a.split(":", 1)[0]}
        for attr, vec in news.items():
            weights[attr] = weights[attr] + vec if attr in weights else vec
    return CrfWeights(labels, transitions, weights)


def write_compact(weights: CrfWeights, path: Path, prune_below: float = PRUNE_BELOW) -> int:
    """Write ``weights`` as gzipped JSON, dropping |w| < ``prune_below``; returns features kept.

    Deterministic (sorted attributes, no gzip timestamp), so retraining reproduces the file.
    """
    import gzip

    import orjson

    state = {}
    for attr in sorted(weights.state):
        kept = [[i, round(float(w), 5)] for i, w in enumerate(weights.state[attr])]
        kept = [pair for pair in kept if abs(pair[1]) >= prune_below]
        if kept:
            state[attr] = kept
    data = {
        "format": COMPACT_FORMAT,
        "labels": weights.labels,
        "transitions": [[round(float(w), 5) for w in row] for row in weights.transitions],
        "state": state,
    }
    path.write_bytes(gzip.compress(orjson.dumps(data), compresslevel=9, mtime=0))
    return len(state)


def read_compact(path: Path | str) -> CrfWeights:
    import gzip

    import orjson

    data = orjson.loads(gzip.decompress(Path(path).read_bytes()))
    if data.get("format") != COMPACT_FORMAT:
        raise ValueError(f"{path}: not a {COMPACT_FORMAT} model (format {data.get('format')!r})")
    labels = data["labels"]
    state: dict[str, FloatArray] = {}
    for attr, pairs in data["state"].items():
        vec = np.zeros(len(labels))
        for i, w in pairs:
            vec[i] = w
        state[attr] = vec
    return CrfWeights(labels, np.array(data["transitions"], dtype=float), state)


def read_model(path: Path | str) -> CrfWeights:
    """A compact model (``.gz``) or a crfsuite file."""
    return read_compact(path) if str(path).endswith(".gz") else read_crfsuite(path)


def sidecar_path(model: Path, suffix: str = ".json") -> Path:
    """A file beside a model, named after it: ner.crf.gz and ner.crfsuite -> ner.json (settings
    and scores), or ner_vocab.json with ``suffix="_vocab.json"``."""
    return model.with_name(model.name.split(".")[0] + suffix)


class Tagger:
    """Viterbi decoding of a trained CRF with per-word memoized emission scores."""

    def __init__(
        self,
        model: Path | str | CrfWeights,
        gazetteer: GazetteerFn | None = None,
        wordstats: bool = False,
        clusters: bool = False,
    ) -> None:
        weights = model if isinstance(model, CrfWeights) else read_model(model)
        self.labels: list[str] = list(weights.labels)
        n = len(self.labels)
        self.transitions: FloatArray = weights.transitions
        self._weights = weights.state
        self._before: dict[tuple[str, str], FloatArray] = {}
        self._after: dict[tuple[str, str], FloatArray] = {}
        for attr, vec in weights.state.items():
            if attr.startswith(("b-:", "b+:")):
                left, _, right = attr[3:].partition("|")
                (self._before if attr[1] == "-" else self._after)[(left, right)] = vec
        self._range = np.arange(n)
        self._zero: FloatArray = np.zeros(n)
        self.featurizer = Featurizer(gazetteer, wordstats, clusters)
        # word form -> row in ``_table``: its (5, n) emission contributions at offsets -2..2;
        # and its folded form (for the bigram features).
        self._memo: dict[str, tuple[int, str]] = {}
        self._table: FloatArray = np.zeros((1024, len(OFFSETS), n))

    def _word_scores(self, word: str) -> tuple[int, str]:
        hit = self._memo.get(word)
        if hit is not None:
            return hit
        own, near, folded = self.featurizer.word(word)
        if len(self._memo) >= 500_000:  # bound memory on endless streams of new words
            self._memo.clear()
        row = len(self._memo)
        if row == len(self._table):
            self._table = np.concatenate([self._table, np.zeros_like(self._table)])
        rows = self._table[row]
        rows[:] = 0.0
        get = self._weights.get
        for r, k in enumerate(OFFSETS):
            for a in own if k == 0 else near:
                vec = get(f"{k}:{a}")
                if vec is not None:
                    rows[r] += vec
        hit = (row, folded)
        self._memo[word] = hit
        return hit

    def emissions(self, words: Sequence[str]) -> FloatArray:
        n = len(words)
        memo, score_word = self._memo, self._word_scores
        scored = [memo.get(w) or score_word(w) for w in (PAD_BEFORE, PAD_BEFORE, *words)]
        scored += [memo.get(PAD_AFTER) or score_word(PAD_AFTER)] * 2
        stack = self._table[[s[0] for s in scored]]  # (n + 4, 5, L)
        emit = stack[0:n, 0] + stack[1 : n + 1, 1]
        for r in range(2, len(OFFSETS)):
            # feature "k:..." of token i comes from the word at padded position i + 2 + k
            emit += stack[r : r + n, r]
        folded = [s[1] for s in scored]
        before, after = self._before.get, self._after.get
        pairs = list(itertools.pairwise(folded))  # pairs[j] = (padded j, padded j + 1)
        for i, pair in enumerate(pairs[1 : n + 1]):  # (previous word, this word)
            vec = before(pair)
            if vec is not None:
                emit[i] += vec
        for i, pair in enumerate(pairs[2 : n + 2]):  # (this word, next word)
            vec = after(pair)
            if vec is not None:
                emit[i] += vec
        return emit

    def tag(self, words: Sequence[str]) -> list[str]:
        """Best label sequence of one sentence (exact Viterbi)."""
        return self.tag_chunks(words, [len(words)])[0] if words else []

    def tag_chunks(self, words: Sequence[str], lengths: Sequence[int]) -> list[list[str]]:
        """Label sequences of consecutive chunks of ``words`` (lengths sum to ``len(words)``).

        Emissions are computed once over the whole text (neighbour features cross chunk ends);
        Viterbi runs over all chunks at once, vectorized across chunks, so a long article costs
        as many numpy steps as its longest chunk.
        """
        if not words:
            return [[] for _ in lengths]
        emit = self.emissions(words)
        size = len(self.labels)
        starts = np.cumsum([0, *lengths[:-1]]).tolist()
        # longest chunk first: at step t the chunks still running are a prefix of the batch
        order = sorted(range(len(lengths)), key=lambda b: -lengths[b])
        sizes = [lengths[b] for b in order]
        batch, longest = len(order), sizes[0]
        padded = np.zeros((batch, longest, size))
        for row, b in enumerate(order):
            padded[row, : lengths[b]] = emit[starts[b] : starts[b] + lengths[b]]
        running = [sum(1 for n in sizes if n > t) for t in range(longest)]
        trans = self.transitions[None]
        to = self._range
        rows = np.arange(batch)[:, None]
        score = padded[:, 0].copy()
        back: list[npt.NDArray[np.intp]] = [np.empty((0, size), dtype=np.intp)]
        for t in range(1, longest):
            k = running[t]
            cand = score[:k, :, None] + trans  # (running, from, to)
            arg = cand.argmax(axis=1)
            score[:k] = cand[rows[:k], arg, to] + padded[:k, t]
            back.append(arg)
        best = score.argmax(axis=1)
        path = np.zeros((batch, longest), dtype=np.intp)
        for t in range(longest - 1, 0, -1):
            k = running[t]
            path[:k, t] = best[:k]
            best[:k] = back[t][np.arange(k), best[:k]]
        path[:, 0] = best
        labels = self.labels
        out: list[list[str]] = [[] for _ in lengths]
        for row, b in enumerate(order):
            out[b] = [labels[j] for j in path[row, : lengths[b]].tolist()]
        return out


def shipped_model_path() -> Path:
    return Path(str(resources.files("services.arabic.resources").joinpath(MODEL_FILE)))


@cache
def shipped_tagger() -> Tagger | None:
    """The shipped model, loaded once per process; None when the model file is missing."""
    path = shipped_model_path()
    if not path.is_file():
        return None
    return load_tagger(path)


def load_tagger(path: Path) -> Tagger:
    """A model file with the features it was trained with (its ``.json`` sidecar says whether
    gazetteer membership, corpus statistics and word cluster features were on)."""
    import json

    meta_path = sidecar_path(path)
    meta = json.loads(meta_path.read_text("utf-8")) if meta_path.is_file() else {}
    wordstats = bool(meta.get("wordstats"))
    clusters = bool(meta.get("clusters"))
    if meta.get("gazetteer"):
        return Tagger(path, gazetteer_tags, wordstats, clusters)
    return Tagger(path, wordstats=wordstats, clusters=clusters)


# --- optional neural backend ---------------------------------------------------------------

BACKENDS: Final = ("crf", "camelbert")
_backend = "crf"  # set once per process from settings (RASD_NER_BACKEND) by ``use_backend``


class NerBackendUnavailableError(RuntimeError):
    """The configured NER backend cannot run in this environment."""


class CamelBertTagger:
    """CAMeL Lab's fine-tuned CAMeLBERT NER model through camel-tools (torch + transformers).

    Used only when ``RASD_NER_BACKEND=camelbert``; the default CRF path never imports torch.
    Needs torch, transformers and the camel-tools ``ner-arabert`` data (``camel_data -i ner``).
    """

    def __init__(self) -> None:
        missing = [m for m in ("torch", "transformers") if not _importable(m)]
        if missing:
            raise NerBackendUnavailableError(
                f"RASD_NER_BACKEND=camelbert needs {' and '.join(missing)}, which Rasd does not "
                "install (see README, 'Why no torch'); install them into the environment, fetch "
                "the model with `camel_data -i ner`, or unset the setting to use the CRF"
            )
        try:
            from camel_tools.ner import NERecognizer
        except ImportError as exc:
            raise NerBackendUnavailableError(f"camel-tools NER cannot be imported: {exc}") from exc
        try:
            self._model = NERecognizer.pretrained()
        except Exception as exc:  # camel-tools raises its own data errors
            raise NerBackendUnavailableError(
                f"CAMeLBERT NER model data not found ({exc}); run `camel_data -i ner`"
            ) from exc

    def tag_chunks(self, words: Sequence[str], lengths: Sequence[int]) -> list[list[str]]:
        sentences, offset = [], 0
        for n in lengths:
            sentences.append(list(words[offset : offset + n]))
            offset += n
        predicted = self._model.predict(sentences)
        return [[_coarse(label) for label in labels] for labels in predicted]


def _coarse(label: str) -> str:
    bio, _, kind = label.partition("-")
    kind = "PER" if kind == "PERS" else kind
    return f"{bio}-{kind}" if bio in ("B", "I") and kind in TYPES else "O"


def _importable(module: str) -> bool:
    from importlib.util import find_spec

    return find_spec(module) is not None


def use_backend(name: str) -> None:
    """Select the tagger of this process: the worker and the CLI pass ``Settings.ner_backend``
    (RASD_NER_BACKEND); text processing itself reads no configuration."""
    global _backend
    if name not in BACKENDS:
        raise NerBackendUnavailableError(
            f"NER backend {name!r}: choose one of {', '.join(BACKENDS)}"
        )
    if name != _backend:
        _backend = name
        active_tagger.cache_clear()


def backend_name() -> str:
    return _backend


@cache
def active_tagger() -> Tagger | CamelBertTagger | None:
    """The tagger of the selected backend (``use_backend``: crf by default), loaded once."""
    if backend_name() == "camelbert":
        return CamelBertTagger()
    return shipped_tagger()
