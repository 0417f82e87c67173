"""Corpus statistics per word: how the news corpus uses a word, as evidence that it is a common
noun or adjective rather than a name.

A name rarely takes the article (ال), a possessive suffix (ـه ـها ـهم) or stands in construct
state before a definite noun; a common word does all three. ``rasd train wordstats`` counts, over
the unlabelled ANT news corpus (``ant.jsonl.xz``), for every *base* (the folded word without the
conjunction و/ف, a preposition ب/ل/ك, the article and a possessive suffix):

* ``total``: occurrences in any of these forms;
* ``definite``: with the article (البري، للسلامة، والصالح);
* ``suffixed``: with a possessive suffix (سلامته، سلامتها، صالحهم);
* ``preposition``: with a preposition clitic and no article (لصالح، بسلامة);
* ``bare``: the base alone (possibly after و/ف), and ``construct``: of those, followed by a word
  with the article (سلامة المدنيين، صالح الشعب).

An affixed reading counts only when its base is itself attested bare (so بري is not read as
ب + ري unless ري is a word the corpus uses on its own). The file keeps the most frequent bases
(``services/arabic/resources/wordstats.tsv.gz``, model card ``wordstats.md``); lookups are
memoized per word form. Generation is deterministic: the same corpus gives the same bytes.
"""

from __future__ import annotations

import gzip
import io
import itertools
import lzma
import math
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Final

import orjson

from services.arabic.normalize import fold

RESOURCE: Final = "wordstats.tsv.gz"
FORMAT: Final = "rasd-wordstats/1"
HEADER: Final = ("base", "total", "definite", "suffixed", "preposition", "bare", "construct")
DEFAULT_TOP: Final = 60_000
MIN_ATTESTED: Final = 3  # a base must occur bare this often for affixed readings to count
ATTESTED_RATIO: Final = 3  # ... and the affixed form at most this many times as often

_CONJ: Final = "وف"
_PREP: Final = "بلك"
# Possessive suffixes (folded); a single ـه only after ت (ta marbuta + ه: سلامته), because a
# folded final ه is usually the ta marbuta itself (سلامه = سلامة).
_SUFFIXES: Final = ("هما", "هم", "ها", "هن", "كم")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class WordStats:
    """Counts of one base; the shares are fractions of ``total`` (construct: of ``bare``)."""

    total: int
    definite: int
    suffixed: int
    preposition: int
    bare: int
    construct: int

    @property
    def definite_share(self) -> float:
        return self.definite / self.total if self.total else 0.0

    @property
    def suffixed_share(self) -> float:
        return self.suffixed / self.total if self.total else 0.0

    @property
    def preposition_share(self) -> float:
        return self.preposition / self.total if self.total else 0.0

    @property
    def construct_share(self) -> float:
        return self.construct / self.bare if self.bare else 0.0

    @property
    def common_share(self) -> float:
        """Share of uses only a common word has: with the article or a possessive suffix."""
        return (self.definite + self.suffixed) / self.total if self.total else 0.0


# --- analysis of one folded word --------------------------------------------------------------


def readings(folded: str) -> list[tuple[str, str]]:
    """Affixed readings of a folded word as ``(base, kind)``, kind one of definite, suffixed,
    preposition; a conjunction (و ف) is transparent. Bare readings are ``bare_bases``.

    >>> readings("للسلامه")
    [('سلامه', 'definite')]
    >>> readings("لصالح")
    [('صالح', 'preposition')]
    >>> readings("سلامتها")
    [('سلامه', 'suffixed'), ('سلامت', 'suffixed')]
    """
    out: list[tuple[str, str]] = []
    for word in _without_conjunction(folded):
        if len(word) > 3 and word.startswith("ال"):
            out.append((word[2:], "definite"))
            continue
        if len(word) > 3 and word.startswith("لل"):
            out.append((word[2:], "definite"))
            continue
        if len(word) > 4 and word[0] in _PREP and word[1:3] == "ال":
            out.append((word[3:], "definite"))
            continue
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 2:
                out += [(base, "suffixed") for base in _suffix_bases(word[: -len(suffix)])]
                break
        else:
            if word.endswith("ته") and len(word) > 4:
                out.append((word[:-2] + "ه", "suffixed"))
        if len(word) > 3 and word[0] in _PREP:
            out.append((word[1:], "preposition"))
    return out


def _without_conjunction(folded: str) -> list[str]:
    if len(folded) > 3 and folded[0] in _CONJ:
        return [folded, folded[1:]]
    return [folded]


def _suffix_bases(stem: str) -> list[str]:
    """سلامت (from سلامتها) -> سلامه (ta marbuta restored); حرب (from حربها) -> حرب."""
    return [stem[:-1] + "ه", stem] if stem.endswith("ت") else [stem]


def bare_bases(folded: str) -> list[str]:
    """The word itself, and without a conjunction (وصالح -> صالح) when it has none of the
    affixes ``readings`` handles."""
    return _without_conjunction(folded)


def lookup_bases(folded: str) -> list[str]:
    """Bases a token may be an occurrence of: without the article when it has one (وللسلامه ->
    سلامه); otherwise the word itself, without و/ف, a preposition or a suffix (``stats_of``
    takes the most frequent: لصالح -> صالح, but لبنان stays لبنان)."""
    found = readings(folded)
    definite = [base for base, kind in found if kind == "definite"]
    if definite:
        return definite
    bases = bare_bases(folded)
    return [*bases, *(b for b, _ in found if b not in bases)]


def _best(folded: str, table: dict[str, WordStats]) -> WordStats | None:
    hits = [table[b] for b in lookup_bases(folded) if b in table]
    return max(hits, key=lambda s: s.total) if hits else None


# --- counting ---------------------------------------------------------------------------------


def corpus_texts(
    path: Path, *, sample: float = 1.0, seed: int = 1, limit: int | None = None
) -> Iterator[str]:
    """Titles and texts of a ``.jsonl.xz`` corpus, streamed; ``sample`` keeps that fraction of
    the articles (a seeded draw), ``limit`` stops after that many articles kept."""
    rng = random.Random(seed)
    kept = 0
    with lzma.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if sample < 1.0 and rng.random() >= sample:
                continue
            article = orjson.loads(line)
            yield f"{article.get('title') or ''}\n{article.get('text') or ''}"
            kept += 1
            if limit is not None and kept >= limit:
                return


def count_surfaces(texts: Iterable[str]) -> tuple[Counter[str], Counter[str]]:
    """(occurrences of every folded word form, occurrences followed by a definite word)."""
    surfaces: Counter[str] = Counter()
    before_definite: Counter[str] = Counter()
    for text in texts:
        for line in fold(text).split("\n"):
            words = _WORD.findall(line)
            surfaces.update(words)
            before_definite.update(
                w for w, nxt in itertools.pairwise(words) if nxt.startswith("ال")
            )
    return surfaces, before_definite


def aggregate(surfaces: Counter[str], before_definite: Counter[str]) -> dict[str, WordStats]:
    """Per-base statistics from word-form counts (see the module docstring)."""
    bare: Counter[str] = Counter()
    construct: Counter[str] = Counter()
    for word, n in surfaces.items():
        if len(word) < 2 or any(kind == "definite" for _, kind in readings(word)):
            continue  # البري is بري with the article, never a base of its own
        for base in bare_bases(word):
            if base == word or surfaces.get(base, 0) >= MIN_ATTESTED:
                bare[base] += n
                construct[base] += before_definite.get(word, 0)
    affixed: dict[str, Counter[str]] = {
        "definite": Counter(),
        "suffixed": Counter(),
        "preposition": Counter(),
    }
    for word, n in surfaces.items():
        for base, kind in readings(word):
            if len(base) < 2:
                continue
            if kind == "definite" or _attested(base, n, surfaces):
                affixed[kind][base] += n
    out: dict[str, WordStats] = {}
    for base in set(bare) | set(affixed["definite"]):
        d, s, p = (affixed[k].get(base, 0) for k in ("definite", "suffixed", "preposition"))
        b = bare.get(base, 0)
        out[base] = WordStats(b + d + s + p, d, s, p, b, construct.get(base, 0))
    return out


def _attested(base: str, n: int, surfaces: Counter[str]) -> bool:
    """A preposition or suffix reading of a form seen ``n`` times counts when its base occurs
    on its own, and not far less often than the form (بيان is a word, not ب + يان)."""
    alone = surfaces.get(base, 0)
    return alone >= MIN_ATTESTED and n <= ATTESTED_RATIO * alone


def top_rows(stats: dict[str, WordStats], top: int = DEFAULT_TOP) -> list[tuple[str, WordStats]]:
    """The ``top`` most frequent bases, ties broken by the base (deterministic order)."""
    ranked = sorted(stats.items(), key=lambda kv: (-kv[1].total, kv[0]))
    return ranked[:top]


def write_stats(rows: list[tuple[str, WordStats]], path: Path) -> None:
    """Gzipped TSV (a comment line with the format, then a header); no gzip timestamp."""
    buf = io.StringIO()
    buf.write(f"# {FORMAT}\n")
    buf.write("\t".join(HEADER) + "\n")
    for base, s in rows:
        buf.write(
            f"{base}\t{s.total}\t{s.definite}\t{s.suffixed}\t{s.preposition}\t{s.bare}"
            f"\t{s.construct}\n"
        )
    path.write_bytes(gzip.compress(buf.getvalue().encode("utf-8"), compresslevel=9, mtime=0))


def read_stats(path: Path | str) -> dict[str, WordStats]:
    text = gzip.decompress(Path(path).read_bytes()).decode("utf-8")
    lines = text.split("\n")
    if not lines or lines[0].strip() != f"# {FORMAT}":
        raise ValueError(f"{path}: not a {FORMAT} file")
    out: dict[str, WordStats] = {}
    for line in lines[2:]:
        if not line:
            continue
        base, *counts = line.split("\t")
        total, d, s, p, b, c = (int(x) for x in counts)
        out[base] = WordStats(total, d, s, p, b, c)
    return out


def build(
    corpus: Path,
    out: Path,
    *,
    top: int = DEFAULT_TOP,
    sample: float = 1.0,
    seed: int = 1,
    limit: int | None = None,
    log: Callable[[str], None] = lambda _: None,
) -> list[tuple[str, WordStats]]:
    """Count ``corpus`` and write the top bases to ``out``; returns the rows written."""
    surfaces, before = count_surfaces(corpus_texts(corpus, sample=sample, seed=seed, limit=limit))
    log(f"{sum(surfaces.values()):,} words, {len(surfaces):,} distinct forms")
    rows = top_rows(aggregate(surfaces, before), top)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_stats(rows, out)
    return rows


# --- lookup -----------------------------------------------------------------------------------


def shipped_path() -> Path:
    return Path(str(resources.files("services.arabic.resources").joinpath(RESOURCE)))


@cache
def shipped_stats() -> dict[str, WordStats]:
    """The shipped statistics, loaded once per process; empty when the file is missing."""
    path = shipped_path()
    return read_stats(path) if path.is_file() else {}


_MEMO: dict[str, WordStats | None] = {}


def stats_of(folded: str, table: dict[str, WordStats] | None = None) -> WordStats | None:
    """Statistics of a folded token's base (clitics and article stripped), memoized for the
    shipped table; None for a word the corpus does not rank."""
    if table is not None:
        return _best(folded, table)
    hit = _MEMO.get(folded, False)
    if hit is False:
        if len(_MEMO) > 300_000:
            _MEMO.clear()
        hit = _MEMO[folded] = _best(folded, shipped_stats())
    return hit  # type: ignore[return-value]


# A word is "mostly common" when the corpus uses it often and a good part of its uses are ones
# a name does not take (article, possessive suffix). Thresholds are set on ANERcorp's dev split.
COMMON_MIN_TOTAL: Final = 50
COMMON_MIN_SHARE: Final = 0.25
COMMON_MIN_BARE_SHARE: Final = 0.1  # a definite word's base is used without the article


def is_common_word(folded: str, table: dict[str, WordStats] | None = None) -> bool:
    """The corpus mostly uses this word as a common noun or adjective (بري، سلامة، صالح).

    A bare word is common when a good share of its uses carry the article or a possessive
    suffix; one with a preposition when its base nearly always has one (لصالح, but not the
    bare صالح, which may be a name). A word with the article is common
    when its base is used both with and without it (المدنيين), not when it nearly always has
    it (a family name: الغامدي، السومة) or nearly never (a first name: الحسن)."""
    s = stats_of(folded, table)
    if s is None or s.total < COMMON_MIN_TOTAL:
        return False
    found = readings(folded)
    if any(kind == "definite" for _, kind in found):
        return COMMON_MIN_SHARE <= s.definite_share <= 1.0 - COMMON_MIN_BARE_SHARE
    if (
        s.preposition_share >= 0.5
        and s.bare >= COMMON_MIN_TOTAL
        and any(
            kind == "preposition" and (table or shipped_stats()).get(base) is s
            for base, kind in found
        )
    ):
        return True  # لصالح: the base mostly comes with a preposition, as here
    return s.common_share >= COMMON_MIN_SHARE


def _bucket(value: float, edges: tuple[float, ...]) -> int:
    return sum(value >= e for e in edges)


def features(folded: str, table: dict[str, WordStats] | None = None) -> list[str]:
    """Bucketed statistics as tagger features: frequency (log scale), share with the article,
    with a possessive suffix, after a preposition, in construct state; ``ws=none`` when the
    corpus does not rank the word."""
    s = stats_of(folded, table)
    if s is None:
        return ["ws=none"]
    out = [f"wf={min(int(math.log10(s.total)), 5)}"]
    if s.total >= 20:
        out += [
            f"wd={_bucket(s.definite_share, (0.02, 0.1, 0.3, 0.6))}",
            f"wsu={_bucket(s.suffixed_share, (0.01, 0.05))}",
            f"wp={_bucket(s.preposition_share, (0.1, 0.3))}",
            f"wc={_bucket(s.construct_share, (0.1, 0.3, 0.6))}",
        ]
    if s.total >= COMMON_MIN_TOTAL and (
        s.common_share >= COMMON_MIN_SHARE or s.preposition_share >= 0.5
    ):
        # the distribution alone (a definite family name is "common" here): the tagger weighs
        # it with the word's own article flag; chosen over ``is_common_word`` on the dev split
        out.append("wcommon")
    return out
