"""Word clusters learned from unlabelled news text, as features of the NER tagger.

A name the annotated corpora never saw (a new minister, a club, a town) often appears thousands
of times in the unlabelled news corpus, next to the same words as names of its kind. ``rasd train
clusters`` turns that into a small lookup table:

1. count, over the folded words (``normalize.fold``, as the tagger sees them) of the ANT corpus
   (``ant.jsonl.xz``), how often each of the ``vocab`` most frequent words occurs within two words
   of each other (per line; unknown words keep their position but count for nothing);
2. weigh the counts by positive pointwise mutual information, with the context distribution
   smoothed (counts ** 0.75, Levy, Goldberg and Dagan 2015), so frequent function words do not
   dominate;
3. reduce every word's row to ``dim`` dimensions (a seeded randomized SVD, Halko et al. 2011;
   singular values weighted by their square root) and scale it to unit length;
4. group the vectors with seeded k-means at several granularities (64, 256, 1024 clusters): the
   coarse ids generalize, the fine ones separate kinds of names.

The table (``services/arabic/resources/clusters.tsv.gz``, model card ``clusters.md``) maps a folded
word to its cluster ids; cluster ids are numbered by their most frequent word, so the same corpus
and options give the same bytes. At run time only the table is read (no numpy work).
"""

from __future__ import annotations

import gzip
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from services.arabic.normalize import fold

RESOURCE: Final = "clusters.tsv.gz"
FORMAT: Final = "rasd-clusters/1"
DEFAULT_SIZES: Final = (64, 256, 1024)
DEFAULT_VOCAB: Final = 50_000
DEFAULT_DIM: Final = 100
DEFAULT_SEED: Final = 1
WINDOW: Final = 2
CONTEXT_SMOOTHING: Final = 0.75
KMEANS_ITERATIONS: Final = 30
NEIGHBOUR_SIZE: Final = 256  # the granularity a word contributes to its neighbours' features

_WORD = re.compile(r"[^\W\d_]+")
_GAP: Final = -1  # a position that pairs with nothing: an unknown word or a line break

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Clusters = dict[str, tuple[int, ...]]


# --- counting ---------------------------------------------------------------------------------


def _sparse() -> Any:
    """scipy.sparse, imported when training only (scipy comes with camel-tools and has no type
    stubs); the run-time lookup never needs it."""
    from scipy import sparse  # type: ignore[import-untyped]

    return sparse


def folded_lines(texts: Iterable[str]) -> Iterator[list[str]]:
    """Folded words of every line of every text (a line is a paragraph or a title)."""
    for text in texts:
        for line in fold(text).split("\n"):
            words = _WORD.findall(line)
            if words:
                yield words


def vocabulary(counts: Counter[str], size: int, min_count: int = 1) -> list[str]:
    """The ``size`` most frequent words seen at least ``min_count`` times, most frequent first,
    ties broken by the word (deterministic order)."""
    ranked = sorted(
        (kv for kv in counts.items() if kv[1] >= min_count), key=lambda kv: (-kv[1], kv[0])
    )
    return [word for word, _ in ranked[:size]]


def token_ids(lines: Iterable[list[str]], index: dict[str, int]) -> IntArray:
    """The corpus as one id array, ``WINDOW`` gaps after every line so no window crosses it."""
    ids: list[int] = []
    gaps = [_GAP] * WINDOW
    get = index.get
    for words in lines:
        ids += [get(w, _GAP) for w in words]
        ids += gaps
    return np.array(ids, dtype=np.int64)


def cooccurrences(ids: IntArray, size: int, window: int = WINDOW) -> Any:
    """Symmetric counts of word pairs at most ``window`` apart, as a scipy CSR matrix."""
    sparse = _sparse()
    rows: list[IntArray] = []
    cols: list[IntArray] = []
    for d in range(1, window + 1):
        left, right = ids[:-d], ids[d:]
        keep = (left >= 0) & (right >= 0)
        rows += [left[keep], right[keep]]
        cols += [right[keep], left[keep]]
    r, c = np.concatenate(rows), np.concatenate(cols)
    data = np.ones(len(r), dtype=np.float64)
    return sparse.coo_matrix((data, (r, c)), shape=(size, size)).tocsr()  # sums duplicates


def ppmi(counts: Any, smoothing: float = CONTEXT_SMOOTHING) -> Any:
    """Positive PMI of a CSR count matrix, contexts' probabilities from counts ** ``smoothing``."""
    sparse = _sparse()
    matrix = sparse.csr_matrix(counts, dtype=np.float64)
    row_sums = np.asarray(matrix.sum(axis=1)).ravel()
    context = np.asarray(matrix.sum(axis=0)).ravel() ** smoothing
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    with np.errstate(divide="ignore"):
        pmi = np.log(matrix.data * context.sum() / (row_sums[rows] * context[matrix.indices]))
    out = sparse.csr_matrix((np.maximum(pmi, 0.0), matrix.indices, matrix.indptr), matrix.shape)
    out.eliminate_zeros()
    return out


# --- vectors and clusters ---------------------------------------------------------------------


def word_vectors(matrix: Any, dim: int, seed: int, power_iterations: int = 4) -> FloatArray:
    """Unit-length rows of U * sqrt(S) from a seeded randomized SVD (Halko et al. 2011) of the
    PPMI matrix: deterministic for a seed, and seconds instead of ARPACK's minutes."""
    sparse = _sparse()
    a = sparse.csr_matrix(matrix)
    n = a.shape[0]
    width = min(dim + 10, n)  # oversampling makes the top ``dim`` directions accurate
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(a @ rng.standard_normal((a.shape[1], width)))
    for _ in range(power_iterations):
        q, _ = np.linalg.qr(a.T @ q)
        q, _ = np.linalg.qr(a @ q)
    small = np.asarray((a.T @ q).T)  # (width, n) = q.T @ a
    u_small, s, _ = np.linalg.svd(small, full_matrices=False)
    k = min(dim, width)
    vectors: FloatArray = (q @ u_small[:, :k]) * np.sqrt(s[:k])
    # SVD signs are arbitrary; fix each column's sign so the output depends on the seed only
    signs = np.sign(vectors[np.abs(vectors).argmax(axis=0), np.arange(k)])
    vectors *= np.where(signs == 0, 1.0, signs)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


def kmeans(vectors: FloatArray, k: int, seed: int, iterations: int = KMEANS_ITERATIONS) -> IntArray:
    """Cluster id per row: k-means++ seeding, then Lloyd's iterations (an emptied cluster keeps
    its centre). Ids are renumbered by first row, so row 0 (the most frequent word) is in 0."""
    n = len(vectors)
    k = min(k, n)
    rng = np.random.default_rng(seed)
    x = vectors.astype(np.float64)
    sq = (x * x).sum(axis=1)
    centres = np.empty((k, x.shape[1]))
    centres[0] = x[rng.integers(n)]
    nearest = ((x - centres[0]) ** 2).sum(axis=1)
    for j in range(1, k):
        total = nearest.sum()
        pick = rng.choice(n, p=nearest / total) if total > 0 else rng.integers(n)
        centres[j] = x[pick]
        nearest = np.minimum(nearest, ((x - centres[j]) ** 2).sum(axis=1))
    labels = _assign(x, sq, centres)
    for _ in range(iterations):
        sums = np.zeros_like(centres)
        np.add.at(sums, labels, x)
        sizes = np.bincount(labels, minlength=k)
        filled = sizes > 0
        centres[filled] = sums[filled] / sizes[filled, None]
        new = _assign(x, sq, centres)
        if np.array_equal(new, labels):
            break
        labels = new
    return _renumber(labels)


def _assign(x: FloatArray, sq: FloatArray, centres: FloatArray, chunk: int = 8192) -> IntArray:
    """Nearest centre of every row (squared Euclidean), in chunks to bound memory."""
    csq = (centres * centres).sum(axis=1)
    out = np.empty(len(x), dtype=np.int64)
    for start in range(0, len(x), chunk):
        block = x[start : start + chunk]
        dist = sq[start : start + chunk, None] - 2.0 * block @ centres.T + csq[None]
        out[start : start + chunk] = dist.argmin(axis=1)
    return out


def _renumber(labels: IntArray) -> IntArray:
    _, first = np.unique(labels, return_index=True)
    order = np.argsort(first)  # cluster ids in order of their first row
    mapping = np.empty(labels.max() + 1, dtype=np.int64)
    mapping[np.unique(labels)[order]] = np.arange(len(order))
    return mapping[labels]


def train(
    texts: Iterable[str],
    *,
    sizes: Sequence[int] = DEFAULT_SIZES,
    vocab: int = DEFAULT_VOCAB,
    dim: int = DEFAULT_DIM,
    seed: int = DEFAULT_SEED,
    min_count: int = 5,
    log: Callable[[str], None] = lambda _: None,
) -> Clusters:
    """Cluster ids (one per granularity in ``sizes``) of the ``vocab`` most frequent words."""
    lines = list(folded_lines(texts))
    counts: Counter[str] = Counter()
    for words in lines:
        counts.update(words)
    words = vocabulary(counts, vocab, min_count)
    log(f"{sum(counts.values()):,} words, {len(counts):,} distinct forms, {len(words):,} kept")
    index = {w: i for i, w in enumerate(words)}
    pairs = cooccurrences(token_ids(lines, index), len(words))
    vectors = word_vectors(ppmi(pairs), dim, seed)
    log(f"{vectors.shape[1]}-dimensional vectors of {len(words):,} words")
    ids = [kmeans(vectors, k, seed + i) for i, k in enumerate(sizes)]
    return {w: tuple(int(col[i]) for col in ids) for i, w in enumerate(words)}


# --- storage ----------------------------------------------------------------------------------


def write_clusters(clusters: Clusters, sizes: Sequence[int], path: Path) -> None:
    """Gzipped TSV, rows in the given (frequency) order; a format line, then a header naming the
    granularities; no gzip timestamp, so the same table gives the same bytes."""
    buf = io.StringIO()
    buf.write(f"# {FORMAT}\n")
    buf.write("\t".join(["word", *(f"k{k}" for k in sizes)]) + "\n")
    for word, ids in clusters.items():
        buf.write("\t".join([word, *map(str, ids)]) + "\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(buf.getvalue().encode("utf-8"), compresslevel=9, mtime=0))


def read_clusters(path: Path | str) -> tuple[tuple[int, ...], Clusters]:
    """(granularities, word -> cluster ids) of a file written by ``write_clusters``."""
    lines = gzip.decompress(Path(path).read_bytes()).decode("utf-8").split("\n")
    if len(lines) < 2 or lines[0].strip() != f"# {FORMAT}":
        raise ValueError(f"{path}: not a {FORMAT} file")
    sizes = tuple(int(name[1:]) for name in lines[1].split("\t")[1:])
    table: Clusters = {}
    for line in lines[2:]:
        if line:
            word, *ids = line.split("\t")
            table[word] = tuple(int(i) for i in ids)
    return sizes, table


def shipped_path() -> Path:
    return Path(str(resources.files("services.arabic.resources").joinpath(RESOURCE)))


@cache
def shipped_clusters() -> tuple[tuple[int, ...], Clusters]:
    """The shipped table, loaded once per process; empty when the file is missing."""
    path = shipped_path()
    return read_clusters(path) if path.is_file() else ((), {})


# --- features ---------------------------------------------------------------------------------


def features(
    folded: str, stem: str, table: tuple[tuple[int, ...], Clusters] | None = None
) -> tuple[list[str], list[str]]:
    """Tagger features of a folded word and its clitic-stripped stem (``ner.split_clitics``):
    (for the word itself, for its neighbours).

    The word gets ``k64=…`` per granularity, and ``sk64=…`` for its stem when that differs
    (وترامب is rarer than ترامب, whose cluster says more), or ``k=none`` when neither is in the
    table; as a neighbour it gives its cluster at ``NEIGHBOUR_SIZE`` only (one granularity there
    scored best on ANERcorp dev, and keeps the context features few)."""
    sizes, clusters = table if table is not None else shipped_clusters()
    ids = clusters.get(folded)
    own = [f"k{k}={c}" for k, c in zip(sizes, ids, strict=True)] if ids else []
    if stem != folded:
        base = clusters.get(stem)
        if base:
            own += [f"sk{k}={c}" for k, c in zip(sizes, base, strict=True)]
    near: list[str] = []
    if ids and NEIGHBOUR_SIZE in sizes:
        near.append(f"k{NEIGHBOUR_SIZE}={ids[sizes.index(NEIGHBOUR_SIZE)]}")
    return own or ["k=none"], near


def build(
    corpus: Path,
    out: Path,
    *,
    sizes: Sequence[int] = DEFAULT_SIZES,
    vocab: int = DEFAULT_VOCAB,
    dim: int = DEFAULT_DIM,
    seed: int = DEFAULT_SEED,
    limit: int | None = None,
    log: Callable[[str], None] = lambda _: None,
) -> Clusters:
    """Train on ``corpus`` (a ``.jsonl.xz`` news corpus) and write the table to ``out``."""
    from services.arabic.wordstats import corpus_texts

    table = train(
        corpus_texts(corpus, limit=limit), sizes=sizes, vocab=vocab, dim=dim, seed=seed, log=log
    )
    write_clusters(table, sizes, out)
    return table
