"""Claims: attributed statements (speaker, cue, content) and numeric claims, with offsets.

Works sentence by sentence on the tokens, entity mentions and quantities already computed for the
article. Every reporting cue in a sentence (قال، أكد، شدد على، معتبرا ...) can open a statement:
its content starts after the first complementizer (أن، إن), colon or quote, or after a particle
the verb governs (شدد على، أعلن عن، حذر من), and runs to the next cue or the sentence end. The
speaker is the entity or title phrase between cue and content (Arabic is mostly verb-first), a
subject right before the cue (بلينكن شدد على), or, when the cue stands alone (وأضاف أن،
مؤكدا), the article's last speaker. A source phrase without a verb (وفقا لـ، بحسب) attributes a
sentence to that source. A sentence with quantities and no statement is a numeric claim.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any, Final

from services.arabic.entities import EntityMention, common_words
from services.arabic.normalize import fold
from services.arabic.numbers import MONTHS, FoundQuantity
from services.arabic.speakers import PartyFound, SpeakerContext, description_nouns, resolve
from services.arabic.tokenize import Token

__all__ = ["ClaimFound", "Cues", "PartyFound", "cue_lemma", "cues", "find_claims", "speaker_cuts"]

_SPEAKER_TYPES: Final = frozenset({"PER", "ORG", "LOC"})  # countries speak too: أعلنت مصر أن
_MAX_TITLE_WORDS: Final = 10
_SHORT_TITLE_WORDS: Final = 6
_CLAUSE_BREAKS: Final = frozenset("،,؛;")
_OPENING_QUOTES: Final = frozenset('"“«')
_CLOSING_QUOTES: Final = frozenset('"”»')
_QUOTE_CHARS: Final = _OPENING_QUOTES | _CLOSING_QUOTES
_QUOTED_NAME_WORDS: Final = 4
# The content opens within this many tokens of the cue; further away, the cue was not
# introducing it (ويُعتبر هذا الاتفاق الفرصة الأخيرة ... أوضح نتنياهو أنه: أوضح introduces it).
_MAX_REGION_TOKENS: Final = 20


@dataclass(frozen=True, slots=True)
class Cues:
    lemma_of: dict[str, str]  # folded verb/participle form -> folded past lemma
    governs: dict[str, frozenset[str]]  # lemma -> particles that open the content
    participles: frozenset[str]
    continuation: frozenset[str]  # lemmas
    complementizers: frozenset[str]
    openers: frozenset[str]
    quoted_via: dict[str, str]  # lemma -> particle after which the real speaker comes
    non_speakers: frozenset[str]
    strict: frozenset[str]  # lemmas whose content opens only through a governed particle
    object_ma: frozenset[str]  # lemmas whose content may open at ما (نفى ما تردد)
    takes_object: frozenset[str]  # lemmas whose content may be the object after a named speaker
    impersonal: frozenset[str]  # lemmas read as passive right before أن (ويعتقد أن: it is believed)
    roles: frozenset[str]  # words that open a title phrase (وزير، المتحدث، رئيس ...)
    title_cutters: frozenset[str]
    speech_events: frozenset[str]
    sayings: frozenset[str]  # قوله، تأكيدها ...: a verbal noun of speech with a pronoun
    not_sources: frozenset[str]  # حسب الاتفاق: folded, without ال
    speaker_nouns: frozenset[str]  # دبلوماسيين، مصادر: people or sources that can speak
    sources: dict[str, tuple[tuple[str, ...], ...]]  # first word -> phrases, longest first
    cut_words: dict[str, frozenset[str]]  # speaker cut rule -> the words it cuts at
    cut_priority: dict[str, int]  # speaker cut rule -> priority (lower first)
    descriptions: dict[str, str]  # folded description noun (اللاعب، الشركة) -> PER | ORG


@cache
def cues() -> Cues:
    package = resources.files("services.arabic.resources")
    data: dict[str, Any] = json.loads(package.joinpath("cues.json").read_text("utf-8"))
    lemma_of: dict[str, str] = {}
    governs: dict[str, frozenset[str]] = {}
    for lemma_text, spec in data["verbs"].items():
        lemma = fold(lemma_text)
        governs[lemma] = frozenset(fold(p) for p in spec["governs"])
        stem = lemma[:-1] if lemma.endswith(("ي", "ا")) else lemma  # نفى -> نفت, دعا -> دعت
        for form in (lemma, stem + "ت", stem + "وا", lemma + "ا", *map(fold, spec["present"])):
            lemma_of.setdefault(form, lemma)
            if len(form) == 2:  # وحث، فحض: too short for the conjunction stripping of _stem
                lemma_of.setdefault("و" + form, lemma)
                lemma_of.setdefault("ف" + form, lemma)
    participle_lemmas = {fold(k): fold(v) for k, v in data["participle_lemmas"].items()}
    participle_forms: dict[str, str] = {}  # any participle form -> its masculine singular
    for masculine in map(fold, data["participles"]):
        for form in _participle_forms(masculine):
            participle_forms.setdefault(form, masculine)
    participles = frozenset(participle_forms)
    for form, masculine in participle_forms.items():
        lemma_of.setdefault(form, participle_lemmas.get(masculine, masculine))
    return Cues(
        lemma_of=lemma_of,
        governs=governs,
        participles=participles,
        continuation=frozenset(fold(v) for v in data["continuation"]),
        complementizers=frozenset(fold(c) for c in data["complementizers"]),
        openers=frozenset(data["content_openers"]),
        quoted_via={fold(k): fold(v) for k, v in data["quoted_via"].items()},
        non_speakers=frozenset(fold(w) for w in data["non_speakers"]),
        strict=frozenset(fold(k) for k, v in data["verbs"].items() if v.get("strict")),
        object_ma=frozenset(fold(k) for k, v in data["verbs"].items() if v.get("object_ma")),
        takes_object=frozenset(fold(k) for k, v in data["verbs"].items() if v.get("object")),
        impersonal=frozenset(fold(k) for k, v in data["verbs"].items() if v.get("impersonal")),
        title_cutters=frozenset(fold(w) for w in data["title_cutters"]),
        roles=frozenset(fold(w) for w in data["roles"]),
        speech_events=frozenset(fold(w) for w in data["speech_events"]),
        not_sources=frozenset(fold(w) for w in data["not_sources"]),
        speaker_nouns=frozenset(fold(w) for w in data["speaker_nouns"]),
        sayings=frozenset(
            fold(noun) + suffix for noun in data["sayings"] for suffix in ("ه", "ها", "هم", "هما")
        ),
        sources=_by_first_word(tuple(fold(s).split()) for s in data["sources"]),
        cut_words={
            name: frozenset(
                fold(w)
                for w in (*rule.get("words", ()), *rule.get("after_l", ()))
                + (tuple(MONTHS) if rule.get("months") else ())
            )
            for name, rule in data["speaker_cuts"].items()
        }
        | {
            "time after demonstrative": frozenset(
                fold(w) for w in data["speaker_cuts"]["time"]["after_demonstrative"]
            ),
            "time not after": frozenset(fold(w) for w in data["speaker_cuts"]["time"]["not_after"]),
        },
        cut_priority={name: rule["priority"] for name, rule in data["speaker_cuts"].items()},
        descriptions={
            fold(noun): kind for kind, nouns in data["descriptions"].items() for noun in nouns
        },
    )


def _participle_forms(masculine: str) -> tuple[str, ...]:
    """Feminine and plural forms of a folded accusative participle: مؤكدا -> مؤكده، مؤكدين
    (مضيفين "لا نعتقد ذلك": the experts keep speaking). The feminine plural is left out: لافتات
    and داعيات are mostly nouns (banners, preachers)."""
    if not masculine.endswith("ا"):
        return (masculine,)
    base = masculine[:-1]
    return (masculine, base + "ه", base + "ين")


def _by_first_word(phrases: Iterable[tuple[str, ...]]) -> dict[str, tuple[tuple[str, ...], ...]]:
    grouped: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        grouped.setdefault(phrase[0], []).append(phrase)
    return {k: tuple(sorted(set(v), key=len, reverse=True)) for k, v in grouped.items()}


@dataclass(frozen=True, slots=True)
class ClaimFound:
    kind: str
    speaker: PartyFound | None
    cue: str | None
    content_start: int
    content_end: int
    according_to: PartyFound | None
    quantities: list[FoundQuantity]
    sentence: tuple[int, int]
    confidence: float
    check_worthiness: float = 0.0  # set by services.arabic.checkworthy once entities are known


def _stem(token: Token) -> str:
    return _without_conjunction(token.folded)


def _without_conjunction(word: str) -> str:
    return word[1:] if len(word) > 3 and word[0] in "وف" else word


def cue_lemma(cue: str | None) -> str | None:
    """The past-tense lemma of a claim's cue (وقالت -> قال); None without a cue or for a
    source phrase (وفقا لـ)."""
    if not cue:
        return None
    first = fold(cue.split()[0])
    lemma_of = cues().lemma_of
    return lemma_of.get(first) or lemma_of.get(_without_conjunction(first))


@dataclass(frozen=True, slots=True)
class _Sentence:
    text: str
    span: tuple[int, int]
    tokens: list[Token]
    mentions: list[EntityMention]
    article_mentions: list[EntityMention]  # every mention of the article, in order
    sentence_starts: list[int]  # start of every sentence of the article, in order


def find_claims(
    text: str,
    tokens: list[Token],
    sentences: list[tuple[int, int]],
    mentions: list[EntityMention],
    quantities: list[FoundQuantity],
) -> list[ClaimFound]:
    """Statements and numeric claims of one article; ``quantities`` carry offsets into ``text``."""
    lexicon = cues()
    token_starts = [t.start for t in tokens]
    mention_starts = [m.start for m in mentions]
    quantity_starts = [q.start for q in quantities]
    sentence_starts = [s for s, _ in sentences]
    claims: list[ClaimFound] = []
    last_speaker: PartyFound | None = None
    previous: tuple[int, int] | None = None
    quoted_until = -1  # end of a quotation that runs on from an earlier sentence
    spoke = False  # the sentence before ended with a speaker's statement
    for s_start, s_end in sentences:
        if s_end <= quoted_until:
            continue  # inside a quotation already claimed (its cues belong to it)
        sent = _Sentence(
            text,
            (s_start, s_end),
            tokens[bisect_left(token_starts, s_start) : bisect_left(token_starts, s_end)],
            mentions[bisect_left(mention_starts, s_start) : bisect_left(mention_starts, s_end)],
            mentions,
            sentence_starts,
        )
        retro = _retro_attribution(sent, lexicon) if previous else None
        if retro is not None and previous is not None:
            claims = _attribute_previous(text, claims, previous, *retro)
            last_speaker = retro[1]
        where = _source_position(sent, lexicon)  # once per sentence: it scans every token
        trailing = _source_alone(sent, where, lexicon) if previous and where else None
        if trailing is not None:
            # '... حياة مئات آلاف الأشخاص". وفقا لـ"فرانس برس".': a source cut off by a period
            claims = [
                replace(c, according_to=trailing)
                if c.sentence == previous and c.according_to is None
                else c
                for c in claims
            ]
            continue
        previous = (s_start, s_end)
        in_sentence = _countable(
            text,
            quantities[bisect_left(quantity_starts, s_start) : bisect_left(quantity_starts, s_end)],
        )
        found, last_speaker = _statements(sent, lexicon, last_speaker, where)
        found = found or _sourced(sent, where, lexicon)
        if not found:
            # سيطر المقاتلون على المدينة، حسبما قال المتحدث: the attribution after the words
            found = _attributed_after(sent, lexicon, last_speaker)
            last_speaker = found[-1].speaker if found and found[-1].speaker else last_speaker
        if not found and spoke and s_start >= quoted_until and last_speaker is not None:
            # وأوضح سالم أن ... . «العمل يسير وفق الجدول». : a quotation standing alone right
            # after a statement goes on with its speaker's words
            found = _quotation_alone(sent, last_speaker)
        if found and found[-1].content_start >= s_end:
            # وقال الوزير: / «نحن ماضون ...»: the cue ends its sentence, the words follow
            said = _said_next(text, s_end, sentences)
            if said is None:
                found.pop()
            else:
                found[-1] = replace(found[-1], content_start=said[0], content_end=said[1])
                quoted_until = said[1]
                in_sentence = _countable(
                    text,
                    quantities[
                        bisect_left(quantity_starts, s_start) : bisect_left(
                            quantity_starts, said[1]
                        )
                    ],
                )
        elif found and found[-1].speaker is not None:
            run_on = _quotation_end(text, found[-1], s_end, sentences)
            if run_on is not None:
                # "نجلس هنا ... الأرقام. لا تستطيع ... العاصفة": one quotation, one claim
                quoted_until = run_on
                found[-1] = replace(found[-1], content_end=_trim(text, s_start, run_on)[1])
                in_sentence = _countable(
                    text,
                    quantities[
                        bisect_left(quantity_starts, s_start) : bisect_left(quantity_starts, run_on)
                    ],
                )
        spoke = bool(found) and found[-1].speaker is not None
        claimed: list[FoundQuantity] = []
        for claim in found:
            inside = [q for q in in_sentence if claim.content_start <= q.start < claim.content_end]
            claimed += inside
            claims.append(replace(claim, kind="numeric", quantities=inside) if inside else claim)
        unclaimed = [q for q in in_sentence if q not in claimed]
        if unclaimed:
            # The outlet's own numbers: the sentence up to its first attributed claim.
            end = min([s_end, *(_clause_start(sent, c) for c in found)])
            start, end = _trim(text, s_start, end)
            if not _has_words(text[start:end]):
                start, end = _trim(text, s_start, s_end)
            source = _source_in(sent, where, lexicon)
            claims.append(
                ClaimFound(
                    "numeric",
                    None,
                    None,
                    start,
                    end,
                    source,
                    unclaimed,
                    (s_start, s_end),
                    _SOURCED_NUMBERS if source else _OUTLET_NUMBERS,
                )
            )
    return claims


def _countable(text: str, quantities: list[FoundQuantity]) -> list[FoundQuantity]:
    """The quantities, or none when all are implied, vague or durations ("مدة ستة أسابيع" or
    "دورتين" alone makes no numeric claim)."""
    return [] if all(q.weak or _is_duration(text, q) for q in quantities) else quantities


# A quotation runs on over at most this many sentences after the one it opens in.
_QUOTE_RUN_SENTENCES: Final = 4
_CLOSER: Final = {"«": "»", "“": "”", '"': '"'}


def _quotation_end(
    text: str, claim: ClaimFound, s_end: int, sentences: list[tuple[int, int]]
) -> int | None:
    """Where a quotation opened right before ``claim``'s content and left open at the end of
    its sentence closes, when that is in one of the next few sentences and no other quotation
    opens first; else None."""
    opener = _open_quotation(text, claim.content_start, s_end)
    if opener is None:
        return None
    return _closing_mark(text, opener, s_end, sentences)


def _closing_mark(
    text: str, opener: str, start: int, sentences: list[tuple[int, int]]
) -> int | None:
    """Where the quotation opened by ``opener`` before ``start`` closes, within the sentence
    at ``start`` and the few after it; None when another quotation opens first. A mark that
    opens a paragraph re-opens the same quotation («... \n«... »: a quote over paragraphs)."""
    following = [e for s, e in sentences if s >= start][:_QUOTE_RUN_SENTENCES]
    if not following:
        return None
    reach = following[-1] + 1
    closer = _CLOSER[opener]
    at = start
    while True:
        at = text.find(closer, at, reach)
        if at < 0:
            return None
        if opener == '"' and _opens_paragraph(text, at):
            at += 1  # "... \n"...: the straight quote re-opens the quotation
            continue
        break
    if opener != '"':
        where = text.find(opener, start, at)
        while where >= 0:
            if not _opens_paragraph(text, where):
                return None
            where = text.find(opener, where + 1, at)
    return at


def _opens_paragraph(text: str, at: int) -> bool:
    before = text[:at].rstrip(" \t")
    return not before or before[-1] == "\n"


def _said_next(text: str, s_end: int, sentences: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The quotation a cue ending its sentence with a colon introduces, when the next sentence
    opens it (to its closing mark). Words after the colon without a quotation are most often
    a list (ومن أهدافه: / 1- ...), not speech."""
    following = [(s, e) for s, e in sentences if s >= s_end]
    if not following:
        return None
    start, _ = _trim(text, *following[0])
    if text[start : start + 1] not in _OPENING_QUOTES:
        return None
    close = _closing_mark(text, text[start], start + 1, sentences)
    if close is None:
        return None
    start, end = _trim(text, start + 1, close)
    return (start, end) if _has_words(text[start:end]) else None


_AS_SAID: Final = frozenset({"حسبما", "بحسبما"})  # حسبما قال X: as X said
_AS_PUT: Final = frozenset({"قول", "تعبير"})  # على حد قول X، على حد تعبيره: in X's words
_AS_PUT_PRONOUNS: Final = ("ه", "ها", "هم", "هما")


def _attributed_after(
    sent: _Sentence, lexicon: Cues, last_speaker: PartyFound | None
) -> list[ClaimFound]:
    """The sentence's words attributed by a phrase after them: «سيطر المقاتلون على المدينة،
    حسبما قال المتحدث باسم المجموعة», «... على حد قول المحلل», «... على حد تعبيره» (the last
    speaker); or before them: «وحسبما ذكرت الوكالة، فإن ...». The speaker is the one named
    after the verb or verbal noun."""
    raw = sent.text[sent.span[0] : sent.span[1]]
    if "حسبما" not in raw and " حد" not in raw:
        return []  # most sentences: neither phrase (a quick test, the tokens decide)
    tokens = sent.tokens
    for i, token in enumerate(tokens):
        if _stem(token) in _AS_SAID and i + 1 < len(tokens) and _is_cue(tokens[i + 1], lexicon):
            after = i + 2
            if after < len(tokens) and tokens[after].folded == "به":
                after += 1  # حسبما أفادت به وسائل إعلام
            speaker = _phrase_party(sent, tokens[after:], lexicon, "name")
            cue_end = i + 2
        elif (
            i + 2 < len(tokens)
            and token.folded == "علي"
            and tokens[i + 1].folded == "حد"
            and _as_put(tokens[i + 2].folded) is not None
        ):
            after, cue_end = i + 3, i + 3
            if _as_put(tokens[i + 2].folded):
                continued = last_speaker and replace(last_speaker, resolved_from="continuation")
                speaker = continued or None
            else:
                speaker = _phrase_party(sent, tokens[after:], lexicon, "name")
        else:
            continue
        if speaker is None:
            return []
        if speaker.resolved_from == "title":
            speaker = _description_referent(sent, speaker, lexicon) or speaker
        leading = all(not t.is_word or t.folded in ("و", "ف") for t in tokens[:i])
        if leading:  # وحسبما ذكرت الوكالة، فإن ...: the words after the source's clause
            brk = next(
                (j for j in range(after, len(tokens)) if tokens[j].text in _CLAUSE_BREAKS), None
            )
            if brk is None or brk + 1 >= len(tokens):
                return []
            start, end = _trim(sent.text, _skip_fa(sent, tokens[brk + 1].start), sent.span[1])
        else:
            start, end = _trim(sent.text, sent.span[0], token.start)
        if not _has_words(sent.text[start:end]) or _is_question(sent.text, end):
            return []
        cue = sent.text[token.start : tokens[cue_end - 1].end]
        return [
            ClaimFound(
                "statement", speaker, cue, start, end, None, [], sent.span, _confidence(speaker)
            )
        ]
    return []


def _as_put(word: str) -> bool | None:
    """قول/تعبير (False: a name follows), قوله/تعبيرها (True: a pronoun), else None."""
    for noun in _AS_PUT:
        if word == noun:
            return False
        if word.startswith(noun) and word[len(noun) :] in _AS_PUT_PRONOUNS:
            return True
    return None


def _quotation_alone(sent: _Sentence, speaker: PartyFound) -> list[ClaimFound]:
    """A sentence that is one quotation («نحن ماضون في خطتنا».), as a statement of ``speaker``
    with no cue; a quoted name with words after it («أرامكو» تعلن ...) is not one."""
    text = sent.text
    start, end = _trim(text, *sent.span)
    opener = text[start : start + 1]
    if opener not in _OPENING_QUOTES:
        return []
    close = text.find(_CLOSER[opener], start + 1, end)
    if close >= 0 and _has_words(text[close + 1 : end], 1):
        return []
    start, end = _trim(text, start + 1, close if close >= 0 else end)
    if not _has_words(text[start:end], _QUOTED_NAME_WORDS) or _is_question(text, end):
        return []
    continued = replace(speaker, resolved_from="continuation")
    return [
        ClaimFound(
            "statement", continued, None, start, end, None, [], sent.span, _confidence(continued)
        )
    ]


def _open_quotation(text: str, start: int, s_end: int) -> str | None:
    """The opening mark of a quotation still open at the sentence end ``s_end``: opened right
    before the content (قال كاظمي "نجلس ...), as its first character (قال: «نحن ...; قال إن
    "نحن ...), or inside it (قال إن الحكومة «لن تتراجع. ...); else None."""
    before = text[:start].rstrip()
    opener = before[-1:] if before else ""
    region = text[start:s_end]
    if opener in _CLOSER:
        return opener if _CLOSER[opener] not in region else None
    for mark, closer in _CLOSER.items():
        if mark == '"':
            if region.count('"') % 2:
                return mark  # an odd straight quote: the last one opens
        elif region.rfind(mark) > region.rfind(closer):
            return mark
    return None


# Confidence of numeric claims with no speaker: a number in a sentence is found reliably once
# dates, labels, durations and vague or implied counts are set aside (dev: 33/33 correct).
_OUTLET_NUMBERS: Final = 0.8
_SOURCED_NUMBERS: Final = 0.85
_ANAPHORIC_OBJECT: Final = "ذلك"


def _is_retrospective(tokens: list[Token], k: int) -> bool:
    """ذكر ذلك رئيس البلدية: the cue's object ذلك points back to the previous sentence."""
    return k + 1 < len(tokens) and tokens[k + 1].folded == _ANAPHORIC_OBJECT


def _retro_attribution(sent: _Sentence, lexicon: Cues) -> tuple[str, PartyFound] | None:
    """(cue, speaker) when the sentence opens by attributing the one before it (ذكر ذلك
    رئيس البلدية المهندس عصام الملا في تصريح صحفي أمس، موضحا أن ...)."""
    tokens = sent.tokens
    k = next((i for i, t in enumerate(tokens) if t.is_word), None)
    if k is None or not _is_retrospective(tokens, k):
        return None
    if not _is_cue(tokens[k], lexicon) or _stem(tokens[k]) in lexicon.participles:
        return None
    speaker = _phrase_party(sent, tokens[k + 2 :], lexicon, "name")
    if speaker is None:
        return None
    return sent.text[tokens[k].start : tokens[k].end], speaker


def _attribute_previous(
    text: str,
    claims: list[ClaimFound],
    previous: tuple[int, int],
    cue: str,
    speaker: PartyFound,
) -> list[ClaimFound]:
    """The previous sentence's unattributed claims get ``speaker``; a sentence with no claim
    becomes one statement."""
    confidence = _confidence(speaker)
    attributed = [
        replace(c, speaker=speaker, cue=cue, confidence=confidence)
        if c.sentence == previous and c.speaker is None and c.cue is None
        else c
        for c in claims
    ]
    if any(c.sentence == previous for c in claims):
        return attributed
    start, end = _trim(text, *previous)
    if not _has_words(text[start:end]):
        return attributed
    return [
        *attributed,
        ClaimFound("statement", speaker, cue, start, end, None, [], previous, confidence),
    ]


# Durations say how long, not how many ("وقف إطلاق النار مدة ستة أسابيع"); alone in a sentence
# they make no numeric claim.
_TIME_UNITS: Final = frozenset(
    fold(w)
    for w in (
        *("ثانية", "ثوان", "ثواني", "دقيقة", "دقائق", "دقيقتين", "ساعة", "ساعات", "ساعتين"),
        *("يوم", "يوما", "أيام", "يومين", "أسبوع", "أسبوعا", "أسابيع", "أسبوعين", "شهر"),
        *("شهرا", "أشهر", "شهور", "شهرين", "عام", "عاما", "أعوام", "عامين", "سنة", "سنوات"),
        *("سنين", "سنتين", "عقد", "عقود"),
    )
)


def _is_duration(text: str, quantity: FoundQuantity) -> bool:
    if quantity.what is None:
        return False
    return fold(text[quantity.what[0] : quantity.what[1]]) in _TIME_UNITS


def _is_question(text: str, end: int) -> bool:
    """The content ends in a question mark (maybe inside quotes): a question claims nothing."""
    tail = text[end : end + 3].lstrip(' "”»')
    return tail[:1] in ("؟", "?")


def _has_words(text: str, at_least: int = 2) -> bool:
    """A claim's content says something: at least two words, not a stray quote or number."""
    return sum(1 for w in text.split() if any(c.isalpha() for c in w)) >= at_least


def _clause_start(sent: _Sentence, claim: ClaimFound) -> int:
    """Where the clause carrying ``claim`` begins: its cue, or its content for a source."""
    cue_at = sent.text.rfind(claim.cue or "", sent.span[0], claim.content_start)
    return cue_at if claim.cue and cue_at >= 0 else claim.content_start


def _cue_positions(sent: _Sentence, lexicon: Cues) -> list[int]:
    return [k for k, t in enumerate(sent.tokens) if t.is_word and _is_cue(t, lexicon)]


def _is_cue(token: Token, lexicon: Cues) -> bool:
    return token.folded in lexicon.lemma_of or _stem(token) in lexicon.lemma_of


def _lemma(token: Token, lexicon: Cues) -> str:
    return lexicon.lemma_of.get(token.folded) or lexicon.lemma_of[_stem(token)]


@dataclass(frozen=True, slots=True)
class _Opening:
    cue: int  # token index of the cue
    cue_end: int  # token index after the cue phrase (with its particle)
    speaker_end: int  # token index after the speaker region (cue_end..speaker_end)
    content: int  # token index of the first content token
    clause: int = -1  # token index where the cue's clause starts (a linker: ، فيما أكد), if before


def _openings(sent: _Sentence, lexicon: Cues) -> list[_Opening]:
    """Cues that open a claim, in order. A cue inside an earlier cue's speaker phrase, or inside
    its content but not at a clause boundary (، وأشار / ، معتبرا), is part of that claim."""
    accepted: list[_Opening] = []
    tokens = sent.tokens
    has_quotes = not _QUOTE_CHARS.isdisjoint(sent.text[sent.span[0] : sent.span[1]])
    quoted = _inside_quotes(tokens) if has_quotes else [False] * len(tokens)
    for k in _cue_positions(sent, lexicon):
        if accepted and (k < accepted[-1].content or quoted[k]):
            continue  # a cue inside a quotation is part of what is quoted (وشدد على "... ويحذر")
        if _is_retrospective(tokens, k):
            continue  # its content is the previous sentence
        if k > 0 and _stem(tokens[k - 1]) in _AS_SAID:
            continue  # ...، حسبما قال الوزير: its content comes before it (_attributed_after)
        linked = _linked_clause(sent, k, lexicon) if accepted else None
        at_boundary = (
            k == 0
            or tokens[k - 1].text in _CLAUSE_BREAKS
            or tokens[k].folded[0] in "وف"
            or _after_contrast(tokens, k, lexicon)
            or linked is not None
        )
        if accepted and not at_boundary and _stem(tokens[k]) not in lexicon.participles:
            continue
        opened = _content_opening(sent, k, len(tokens), lexicon)
        if opened is not None:
            accepted.append(_Opening(k, *opened, clause=k if linked is None else linked))
    return accepted


_CONTRASTS: Final = frozenset({"الا", "غير", "بيد", "لكن"})
# Words that open a clause of its own inside a sentence: وقال X إن ...، فيما أكد Y أن ...
# (بينما، في حين، كما، حيث، ومن جهته); the same before a subject (لكن المحلل قال إن).
_CLAUSE_LINKERS: Final = frozenset(
    fold(w)
    for w in (
        *("فيما", "بينما", "حين", "كما", "حيث", "لكن", "ولكن"),
        *("جهته", "جهتها", "جهتهم", "جانبه", "جانبها", "جانبهم"),
    )
)
_SUBJECT_LINKERS: Final = frozenset(fold(w) for w in ("فيما", "بينما", "حين", "لكن", "ولكن"))
_RELATIVES: Final = frozenset(fold(w) for w in ("الذي", "التي"))
_RESUMED_IN: Final = frozenset(fold(w) for w in ("فيه", "فيها"))  # في الوقت الذي حذر فيه X
_LINKER_PHRASE_WORDS: Final = 3  # في الوقت الذي، ومن جهته: words of a linker phrase


def _linked_clause(sent: _Sentence, k: int, lexicon: Cues) -> int | None:
    """Where the clause of the cue at ``k`` starts when a linker opens it (، فيما أكد Y؛ في
    حين اعتبر Y؛ في الوقت الذي حذر فيه Y؛ لكن المحلل Y قال), else None. The clause then
    starts a claim of its own instead of going on with the one before."""
    tokens = sent.tokens
    if k == 0:
        return None
    before = tokens[k - 1]
    if _is_linker(before, _CLAUSE_LINKERS):
        return _phrase_start(tokens, k - 1)
    resumed = k + 1 < len(tokens) and tokens[k + 1].folded in _RESUMED_IN
    if before.folded in _RELATIVES and resumed:
        return _phrase_start(tokens, k - 1)
    if _subject_before(sent, k) is None and _speaker_noun_before(sent, k, lexicon) is None:
        return None
    for i in range(k - 2, max(-1, k - 2 - _RELAYED_SUBJECT_WORDS), -1):
        if tokens[i].text in _CLAUSE_BREAKS or _is_complementizer(tokens[i], lexicon):
            return None
        if _is_linker(tokens[i], _SUBJECT_LINKERS):
            return _phrase_start(tokens, i)
    return None


def _is_linker(token: Token, linkers: frozenset[str]) -> bool:
    return token.folded in linkers or _stem(token) in linkers


def _phrase_start(tokens: list[Token], i: int) -> int:
    """The start of the linker phrase ending at ``i``: back to a clause break a few words
    before (، في الوقت الذي), else ``i`` itself."""
    for j in range(i, max(-1, i - _LINKER_PHRASE_WORDS - 1), -1):
        if j == 0 or tokens[j - 1].text in _CLAUSE_BREAKS:
            return j
    return i


def _after_contrast(tokens: list[Token], k: int, lexicon: Cues) -> bool:
    """إلا أنهم يرون أن ...: a cue after a contrasting أن with its pronoun opens a new clause."""
    return (
        k >= 2 and _is_complementizer(tokens[k - 1], lexicon) and tokens[k - 2].folded in _CONTRASTS
    )


def _inside_quotes(tokens: list[Token]) -> list[bool]:
    """For each token, whether it stands inside a quotation (straight quotes toggle)."""
    inside, flags = False, []
    for token in tokens:
        flags.append(inside)
        if token.text in ("“", "«"):
            inside = True
        elif token.text in ("”", "»"):
            inside = False
        elif token.text == '"':
            inside = not inside
    return flags


def _statements(
    sent: _Sentence, lexicon: Cues, last_speaker: PartyFound | None, where: _SourceAt | None
) -> tuple[list[ClaimFound], PartyFound | None]:
    """The sentence's statements, and who is speaking at its end (a question asks nothing
    claimable but says who speaks next: وتساءل محللون "...؟" وإن اعتبروا أن ...)."""
    openings = _openings(sent, lexicon)
    claims: list[ClaimFound] = []
    according = _source_in(sent, where, lexicon) if openings else None
    for n, opening in enumerate(openings):
        limit = openings[n + 1].clause if n + 1 < len(openings) else len(sent.tokens)
        if limit < len(sent.tokens) and _after_contrast(sent.tokens, limit, lexicon):
            limit -= 2  # «...»، إلا أنهم يرون: the contrast starts the next claim's clause
        if _said_after(sent, opening, limit, lexicon):
            start = end = sent.span[1]  # وقال الوزير: — the words follow in the next sentence
        else:
            if opening.content >= limit:
                continue
            start, end = _trim(sent.text, *_content_span(sent, opening, limit))
            if not _has_words(sent.text[start:end]):
                continue
        speaker, source = _speaker(sent, opening, lexicon, claims, last_speaker)
        last_speaker = speaker or last_speaker
        if _is_question(sent.text, end):
            continue
        relay = _relayed(sent, opening, limit, lexicon) if start < end else None
        if relay is not None:
            # قال X إن Y أكد أن ...: Y's words, relayed by X
            opening, inner = relay
            start, end = _trim(sent.text, *_content_span(sent, opening, limit))
            source, speaker = speaker, inner
        cue_token = sent.tokens[opening.cue]
        cue = sent.text[cue_token.start : sent.tokens[opening.cue_end - 1].end]
        confidence = _confidence(speaker)
        claims.append(
            ClaimFound(
                "statement",
                speaker,
                cue,
                start,
                end,
                source or according,
                [],
                sent.span,
                confidence,
            )
        )
    return claims, last_speaker


# Verbs of finding (وجدت الدراسة، توصل الطرفان إلى اتفاق، أظهرت الأرقام): inside another's
# speech they report what was found or agreed, not words relayed.
_FINDINGS: Final = frozenset(fold(w) for w in ("وجد", "توصل", "أظهر", "خلص"))
_BARE_COMPLEMENTIZERS: Final = frozenset(fold(w) for w in ("أن", "إن", "بأن", "أنّ", "إنّ"))
_RELAYED_SUBJECT_WORDS: Final = 6


def _relayed(
    sent: _Sentence, opening: _Opening, limit: int, lexicon: Cues
) -> tuple[_Opening, PartyFound] | None:
    """A statement relayed inside the content: قال X إن Y أكد أن ... or أوضح X أن Y أكد له أن
    ...; Y's opening and Y. Y is a named party, a title and a name, or a title or noun of
    people (وزير النقل، مصادر) right after a bare أن/إن (not إنه: then the speaker speaks of
    himself), then a cue verb of saying (not of belief or finding: يعتقد، توصل) whose content
    opens at once (one word such as له may come between)."""
    tokens = sent.tokens
    first = opening.content
    if first == 0 or _stem(tokens[first - 1]) not in _BARE_COMPLEMENTIZERS:
        return None
    for j in range(first + 1, min(limit, first + 1 + _RELAYED_SUBJECT_WORDS)):
        token = tokens[j]
        if not token.is_word:
            if token.text in _QUOTE_CHARS:
                continue  # أن «حماس» أعلنت: a quoted name
            return None
        if not _is_cue(token, lexicon) or _is_conjoined(token, lexicon):
            continue
        lemma = _lemma(token, lexicon)
        if _stem(token) in lexicon.participles or lemma in lexicon.impersonal | _FINDINGS:
            return None
        opened = _content_opening(sent, j, limit, lexicon)
        if opened is None or opened[1] - opened[0] > 1:
            return None
        subject = _relayed_subject(sent, tokens[first:j], lexicon)
        return (_Opening(j, *opened), subject) if subject is not None else None
    return None


def _relayed_subject(sent: _Sentence, region: list[Token], lexicon: Cues) -> PartyFound | None:
    party = _phrase_party(sent, region, lexicon, "name")
    if party is None:
        return None
    word = next(t for t in region if t.is_word)
    heads = {word.folded, _stem(word)}
    known = not heads.isdisjoint(
        lexicon.roles | lexicon.speaker_nouns | lexicon.descriptions.keys()
    )
    # The phrase starts with a name (glued clitics aside), or is a title and a person's name
    # (القاضي منير حلبي); a noun of an act before a name (ترشيح هونغ يشير إلى) is no speaker.
    titled = known or word.folded.startswith("ال")
    named = any(
        (word.start <= m.start < word.end and m.entry.type in _SPEAKER_TYPES)
        or (titled and region[0].start <= m.start < region[-1].end and m.entry.type == "PER")
        for m in sent.mentions
    )
    if not named and not known:
        return None
    if party.resolved_from == "title":
        party = _description_referent(sent, party, lexicon) or party
    return party


def _said_after(sent: _Sentence, opening: _Opening, limit: int, lexicon: Cues) -> bool:
    """The cue's content opens at a colon that ends the sentence (وقال الوزير:)."""
    tokens = sent.tokens
    return (
        limit == len(tokens)
        and opening.content > 0
        and tokens[opening.content - 1].text in lexicon.openers
        and not any(t.is_word for t in tokens[opening.content :])
    )


# Confidence of a statement by how its speaker was found; a statement with none gets the last.
_SPEAKER_CONFIDENCE: Final = {"name": 0.9, "title": 0.8, "continuation": 0.75, "pronoun": 0.7}
_NO_SPEAKER_CONFIDENCE: Final = 0.5


def _confidence(speaker: PartyFound | None) -> float:
    if speaker is None:
        return _NO_SPEAKER_CONFIDENCE
    return _SPEAKER_CONFIDENCE.get(speaker.resolved_from, _NO_SPEAKER_CONFIDENCE)


def _content_span(sent: _Sentence, opening: _Opening, limit: int) -> tuple[int, int]:
    """From the first content token to the next cue or the sentence end; a quotation opened
    right before the content ends at its closing quote."""
    tokens = sent.tokens
    end = tokens[limit].start if limit < len(tokens) else sent.span[1]
    before = opening.content - 1
    opens = before >= 0 and tokens[before].text in _OPENING_QUOTES
    if opens and not _inside_quotes(tokens[: before + 1])[before]:  # a straight " may close
        close = _closing_quote(tokens, before, limit)
        if close is not None:
            end = tokens[close].start
    return tokens[opening.content].start, end


def _content_opening(
    sent: _Sentence, k: int, limit: int, lexicon: Cues
) -> tuple[int, int, int] | None:
    """(end of the cue phrase, end of the speaker region, first content token) for the cue at
    ``k``, or None.

    Content opens after a complementizer (أن، إن) or colon, after a particle the verb governs
    (شدد على), at a word carrying a governed ب (أوصى خبراء بالحذر), or, failing all of those,
    at an opening quote after the speaker (قال كاظمي "نجلس هنا ...").
    """
    tokens = sent.tokens
    lemma = _lemma(tokens[k], lexicon)
    governed = lexicon.governs.get(lemma, frozenset())
    strict = lemma in lexicon.strict
    mention_starts = {m.start for m in sent.mentions}
    cue_end = k + 1
    quote: int | None = None
    inside_name_until = -1  # index of the closing quote of a quoted name being skipped
    for j in range(k + 1, min(limit, k + 1 + _MAX_REGION_TOKENS)):
        token = tokens[j]
        if j <= inside_name_until:
            continue
        if not strict and (_is_complementizer(token, lexicon) or token.text in lexicon.openers):
            if j == k + 1 and lemma in lexicon.impersonal and not _has_subject(sent, k, lexicon):
                return None  # ويعتقد أن الإصابة خلع: it is believed, nobody claims it
            return cue_end, j, j + 1
        if token.folded in governed:
            if j == k + 1:
                cue_end = j + 1  # the particle belongs to the cue: شدد على، أشار إلى
            if j + 1 < limit and _is_complementizer(tokens[j + 1], lexicon):
                return cue_end, j, j + 2
            return cue_end, j, j + 1
        # بالانتقال، بعدم: ب + a noun we know; بيانات is a word of its own (يانات is none)
        glued_b = (
            "ب" in governed
            and token.folded.startswith("ب")
            and len(token.folded) > 3
            and (token.folded.startswith("بال") or token.folded[1:] in common_words())
        )
        if glued_b and token.start not in mention_starts:
            return cue_end, j, j  # يهدد بالانتقال، أوصى خبراء بالحذر
        if _opens_after_saying(tokens, j, k, limit, lexicon):
            # ونقل جون كيربي تأكيده على استعداد ...: the content follows the saying noun
            return cue_end, j, j + 2 if tokens[j + 1].folded in _SAYING_PARTICLES else j + 1
        if lemma in lexicon.object_ma and token.folded == "ما" and j > k + 1:
            return cue_end, j, j  # نفى الوزير ما تردد عن زيارته
        if token.text in _OPENING_QUOTES and not strict:
            close = _closing_quote(tokens, j, limit)
            if _opens_a_quotation(tokens, j, close, limit):
                return cue_end, j, j + 1  # وتابعوا "بالطبع، إن ...": no speaker in between
            if j > k + 1:
                quote = j if quote is None else quote
            inside_name_until = close if close is not None else inside_name_until
    if quote is not None:
        return cue_end, quote, quote + 1
    if lemma in lexicon.takes_object:
        found = _object_after_speaker(sent, k, limit, lexicon)
        if found is not None:
            return found
    if strict:
        return None
    far = _after_apposition(sent, k, limit, lexicon)
    return None if far is None else (cue_end, far, far + 1)


_MAX_APPOSITION_TOKENS: Final = 45


def _after_apposition(sent: _Sentence, k: int, limit: int, lexicon: Cues) -> int | None:
    """The complementizer of a cue whose speaker is followed by a long apposition set off by
    commas (وقال مدير الإدارة، الدكتور محمد العلي، الذي يشرف على ...، إن ...): beyond the usual
    reach when the apposition opens within it and a comma closes it right before إن/أن."""
    tokens = sent.tokens
    opened = next(
        (j for j in range(k + 2, min(limit, k + 1 + _MAX_REGION_TOKENS)) if tokens[j].text == "،"),
        None,
    )
    if opened is None:
        return None
    for j in range(k + 1 + _MAX_REGION_TOKENS, min(limit, k + 1 + _MAX_APPOSITION_TOKENS)):
        token = tokens[j]
        if token.text in _QUOTE_CHARS or token.text in lexicon.openers:
            return None  # the quotation or colon of something else
        if _is_cue(token, lexicon) and token.is_word:
            return None  # another cue: the words after it are its own
        if _is_complementizer(token, lexicon):
            return j if tokens[j - 1].text in _CLAUSE_BREAKS else None
    return None


_SAYING_PARTICLES: Final = frozenset({"علي", "من", "الي", "عن"})


def _opens_after_saying(tokens: list[Token], j: int, k: int, limit: int, lexicon: Cues) -> bool:
    """A saying noun with its pronoun after the speaker (تأكيده على، تحذيرها من) followed by
    words, not by أن/إن, a colon or a quote (those open the content themselves)."""
    if tokens[j].folded not in lexicon.sayings or j <= k + 1 or j + 2 >= limit:
        return False
    following = tokens[j + 1]
    if _is_complementizer(following, lexicon) or following.text in lexicon.openers:
        return False
    return following.is_word and not _is_complementizer(tokens[j + 2], lexicon)


_NOT_CONTENT: Final = frozenset({"ذلك", "هذا", "هذه", "الخبر", "النبا"})


def _object_after_speaker(
    sent: _Sentence, k: int, limit: int, lexicon: Cues
) -> tuple[int, int, int] | None:
    """نفى نتنياهو وجود أي خلاف: with no particle or complementizer, the object right after a
    named speaker (a person or organization right after the cue, titles allowed) is the content."""
    tokens = sent.tokens
    cue_end = tokens[k].end
    for mention in sent.mentions:
        if mention.start < cue_end or mention.entry.type not in _SPEAKER_TYPES:
            continue
        between = [t for t in tokens[k + 1 :] if t.end <= mention.start]
        if len(between) > 2 or any(t.folded not in lexicon.roles for t in between):
            return None
        after = next((j for j in range(k + 1, limit) if tokens[j].start >= mention.end), None)
        if after is None or not tokens[after].is_word:
            return None
        word = _stem(tokens[after])
        if word in _NOT_CONTENT or word in lexicon.non_speakers or word in lexicon.title_cutters:
            return None
        return k + 1, after, after
    return None


def _closing_quote(tokens: list[Token], j: int, limit: int) -> int | None:
    return next((i for i in range(j + 1, limit) if tokens[i].text in _CLOSING_QUOTES), None)


def _opens_a_quotation(tokens: list[Token], j: int, close: int | None, limit: int) -> bool:
    """An opening quote starts a quotation, not a quoted name: ويرى الخبراء في "ميرابو" أن
    quotes a name (a few words, then the sentence goes on); قال كاظمي "نجلس هنا ..." quotes
    speech (long, or running to the end of the sentence)."""
    if close is None:
        return True
    words = sum(t.is_word for t in tokens[j + 1 : close])
    ends_sentence = not any(t.is_word for t in tokens[close + 1 : limit])
    return words > _QUOTED_NAME_WORDS or ends_sentence


def _is_complementizer(token: Token, lexicon: Cues) -> bool:
    return token.folded in lexicon.complementizers or _stem(token) in lexicon.complementizers


def _speaker(
    sent: _Sentence,
    opening: _Opening,
    lexicon: Cues,
    earlier: list[ClaimFound],
    last_speaker: PartyFound | None,
) -> tuple[PartyFound | None, PartyFound | None]:
    """Speaker of the claim, and the source it was quoted through (نقلت الوكالة عن مسؤول).

    The rules propose a speaker; ``services.arabic.speakers.resolve`` ranks it against the other
    candidates (named parties around the cue and in earlier sentences, the last speaker, the
    antecedent of a description) unless the rules resolver is chosen there."""
    speaker, source = _rule_speaker(sent, opening, lexicon, earlier, last_speaker)
    if source is not None:
        return speaker, source  # نقلت الوكالة عن مسؤول: the rules split source and speaker
    tokens = sent.tokens
    cue_token = tokens[opening.cue]
    stem = _stem(cue_token)
    cue_word = stem if stem in lexicon.lemma_of else cue_token.folded
    people, orgs = _description_heads()
    context = SpeakerContext(
        text=sent.text,
        cue=cue_word,
        cue_lemma=_lemma(cue_token, lexicon),
        cue_start=cue_token.start,
        cue_end=tokens[opening.cue_end - 1].end,
        region_end=(
            tokens[opening.speaker_end].start if opening.speaker_end < len(tokens) else sent.span[1]
        ),
        content_start=tokens[min(opening.content, len(tokens) - 1)].start,
        sentence=sent.span,
        sentence_starts=sent.sentence_starts,
        mentions=sent.article_mentions,
        rule=speaker,
        last_speaker=last_speaker,
        continuation=_lemma(cue_token, lexicon) in lexicon.continuation,
        participle=stem in lexicon.participles,
        conjoined=_is_conjoined(cue_token, lexicon),
        earlier_in_sentence=bool(earlier),
        person_nouns=people,
        org_nouns=orgs,
    )
    return resolve(context), None


@cache
def _description_heads() -> tuple[frozenset[str], frozenset[str]]:
    """Head nouns (folded, without ال) of descriptions standing for a person (roles: الرئيس،
    الوزير; اللاعب، المخرج from speakers.json) and for an organization (الشركة، المرصد)."""
    lexicon = cues()
    people, orgs = description_nouns()
    roles = {w.removeprefix("ال") for w in lexicon.roles}
    org_heads = {w.removeprefix("ال") for w, kind in lexicon.descriptions.items() if kind == "ORG"}
    per_heads = {w.removeprefix("ال") for w, kind in lexicon.descriptions.items() if kind == "PER"}
    return frozenset(people | roles | per_heads), frozenset(orgs | org_heads)


def _rule_speaker(
    sent: _Sentence,
    opening: _Opening,
    lexicon: Cues,
    earlier: list[ClaimFound],
    last_speaker: PartyFound | None,
) -> tuple[PartyFound | None, PartyFound | None]:
    """The rules' speaker of the claim, and the source it was quoted through."""
    tokens = sent.tokens
    region = tokens[opening.cue_end : opening.speaker_end]
    while region and region[0].is_word and _stem(region[0]) in lexicon.participles:
        region = region[1:]  # وتابعت قائلة إن: the participle is no speaker
    via = lexicon.quoted_via.get(_lemma(tokens[opening.cue], lexicon))
    split = next((i for i, t in enumerate(region) if t.folded == via), None) if via else None
    if split is not None:
        source = _phrase_party(sent, region[:split], lexicon, "source")
        return _phrase_party(sent, region[split + 1 :], lexicon, "name"), source
    relayed = _relayed_through(sent, region, lexicon)
    if relayed is not None:
        return relayed
    named = _phrase_party(sent, region, lexicon, "name")
    if named is not None:
        if named.resolved_from == "title":
            named = _description_referent(sent, named, lexicon) or named
        return named, None
    k = opening.cue
    participle = _stem(tokens[k]) in lexicon.participles
    if not participle:
        # كما هاجم ألونسو فيراري وقال: a conjoined verb's subject is not the noun before it
        conjoined = _is_conjoined(tokens[k], lexicon)
        fronted = _subject_after_kana(sent, k, lexicon)
        if fronted is not None:
            return fronted, None
        subject = None if conjoined else _subject_before(sent, k)
        if subject is not None:
            return _party(sent, subject, "name"), None
        noun = None if conjoined else _speaker_noun_before(sent, k, lexicon)
        if noun is not None:
            return noun, None
        topic = _topic_before(sent, k, lexicon)
        if topic is not None:
            return topic, None
        actor = _earlier_actor(sent, k, lexicon) if not earlier else None
        if actor is not None:
            return actor, None
    elif not earlier:
        # واصلت الولايات شحن الأسلحة، مؤكدة أنها ...: the participle's subject is the main
        # clause's, the first named party of the sentence.
        subject = next(
            (
                m
                for m in sent.mentions
                if m.end <= tokens[k].start and m.entry.type in _SPEAKER_TYPES
            ),
            None,
        )
        if subject is not None:
            return _party(sent, subject, "continuation"), None
    previous = last_speaker
    if previous is None:
        return None, None
    continues = _lemma(tokens[k], lexicon) in lexicon.continuation or (
        _stem(tokens[k]) in lexicon.participles
    )
    return replace(previous, resolved_from="continuation" if continues else "pronoun"), None


_RELAYING: Final = (fold("نقلا"), "عن")


def _relayed_through(
    sent: _Sentence, region: list[Token], lexicon: Cues
) -> tuple[PartyFound | None, PartyFound] | None:
    """وذكرت الوكالة، نقلا عن مسؤول أمني، أن ...: the speaker is the one quoted (مسؤول أمني),
    the verb's subject (الوكالة) the source relaying the words."""
    for i in range(1, len(region) - 2):
        if (region[i].folded, region[i + 1].folded) != _RELAYING:
            continue
        source = _phrase_party(sent, region[:i], lexicon, "source")
        if source is None:
            return None
        return _phrase_party(sent, region[i + 2 :], lexicon, "name"), source
    return None


def _speaker_noun_before(sent: _Sentence, k: int, lexicon: Cues) -> PartyFound | None:
    """لكن دبلوماسيين قالوا إن ..., مصادر مطلعة أكدت أن ...: a noun of people or sources
    (with its adjectives) right before the verb is its subject."""
    tokens = sent.tokens
    nouns = lexicon.speaker_nouns | lexicon.roles  # والوزير قال إن: a title too
    for back in range(1, 4):
        i = k - back
        if i < 0 or not tokens[i].is_word:
            return None
        token = tokens[i]
        if token.folded in nouns or _stem(token) in nouns:
            glued = 0 if token.folded in nouns else len(token.folded) - len(_stem(token))
            start, end = _trim(sent.text, token.start + glued, tokens[k - 1].end)
            return PartyFound(sent.text[start:end], start, end, None, "title")
    return None


_KANA: Final = frozenset(fold(w) for w in ("كان", "كانت", "كانوا"))
_KANA_SUBJECT_WORDS: Final = 6


def _subject_after_kana(sent: _Sentence, k: int, lexicon: Cues) -> PartyFound | None:
    """وكان الوزير قد أعلن أن ...: the subject between كان and قد before the cue."""
    tokens = sent.tokens
    if k < 3 or tokens[k - 1].folded != "قد":
        return None
    for i in range(k - 2, max(-1, k - 3 - _KANA_SUBJECT_WORDS), -1):
        if not tokens[i].is_word:
            return None
        if _stem(tokens[i]) in _KANA or tokens[i].folded in _KANA:
            if i + 1 >= k - 1:
                return None
            party = _phrase_party(sent, tokens[i + 1 : k - 1], lexicon, "name")
            if party is not None and party.resolved_from == "title":
                party = _description_referent(sent, party, lexicon) or party
            return party
    return None


def _earlier_actor(sent: _Sentence, k: int, lexicon: Cues) -> PartyFound | None:
    """وجه عموري رسالة لجماهير الهلال قال فيها: a bare verb's subject is the person or
    organization acting earlier in its sentence, before any speaker of earlier sentences.
    Continuation verbs (وأضاف) keep pointing at the last speaker; places are not taken, since
    a place before the cue is mostly where something happened (وفي غزة، قال)."""
    if _lemma(sent.tokens[k], lexicon) in lexicon.continuation:
        return None
    cue_start = sent.tokens[k].start
    actor = next(
        (m for m in sent.mentions if m.end <= cue_start and m.entry.type in ("PER", "ORG")), None
    )
    return _party(sent, actor, "pronoun") if actor is not None else None


def _has_subject(sent: _Sentence, k: int, lexicon: Cues) -> bool:
    """A named party or a noun of people right before the cue (الخبراء يعتقدون أن); a conjoined
    verb (، ويعتقد) has none."""
    if _is_conjoined(sent.tokens[k], lexicon):
        return False
    return (
        _subject_before(sent, k) is not None or _speaker_noun_before(sent, k, lexicon) is not None
    )


def _is_conjoined(token: Token, lexicon: Cues) -> bool:
    return token.folded[0] in "وف" and token.folded not in lexicon.lemma_of


_LINKERS: Final = frozenset({"،", ",", "التي", "الذي", "الذين", "اللذان", "اللتان", "اللاتي"})


def _subject_before(sent: _Sentence, k: int) -> EntityMention | None:
    """An entity right before the cue (بلينكن شدد على), or before a comma or relative pronoun
    that leads to it (الولايات المتحدة، التي حذرت من)."""
    cue_start = sent.tokens[k].start
    for mention in reversed(sent.mentions):
        if mention.end > cue_start or mention.entry.type not in _SPEAKER_TYPES:
            continue
        between = [t for t in sent.tokens[:k] if t.start >= mention.end]
        return mention if all(t.folded in _LINKERS for t in between) else None
    return None


def _topic_before(sent: _Sentence, k: int, lexicon: Cues) -> PartyFound | None:
    """The topic of أما ...، ف (أما الائتلاف الوطني، فقد دعا): the fronted subject."""
    tokens = sent.tokens
    resumed = tokens[k].folded.startswith("ف") or (k > 0 and tokens[k - 1].folded in _RESUMPTIVE)
    if not resumed:
        return None
    at = next((i for i in range(k - 1, -1, -1) if tokens[i].folded == "اما"), None)
    return None if at is None else _phrase_party(sent, tokens[at + 1 : k], lexicon, "name")


def _phrase_party(
    sent: _Sentence, region: list[Token], lexicon: Cues, how: str
) -> PartyFound | None:
    """A named person in ``region``, else an entity or title phrase at its start."""
    words = [t for t in region if t.is_word]
    if words and words[0].folded in _RESUMED_IN:  # حذر فيه المحلل: the speaker follows فيه
        region = [t for t in region if t.start > words[0].start]
        words = words[1:]
    if not words or words[0].folded in lexicon.non_speakers:
        return None
    lo, hi = region[0].start, region[-1].end
    inside = [m for m in sent.mentions if lo <= m.start < hi and m.entry.type in _SPEAKER_TYPES]
    people = [m for m in inside if m.entry.type == "PER"]
    first_phrase_end = next((t.start for t in region if t.text in _CLAUSE_BREAKS), hi)
    # وزير الخارجية، أنتوني بلينكن: a role, then the person. مريم فارفيد، المشرفة على ...:
    # an unknown name first, then her role; a person found later is someone else. مصادر مقربة
    # من بري: sources near a person are not that person.
    near_person = _stem(words[0]) in lexicon.speaker_nouns and words[0].folded not in lexicon.roles
    if (
        people
        and not near_person
        and (words[0].folded in lexicon.roles or people[0].start < first_phrase_end)
    ):
        return _party(sent, people[0], how)
    if inside and inside[0].start <= words[0].end:
        return _party(sent, inside[0], how)
    phrase_end = next(
        (t.start for t in region if t.text in _CLAUSE_BREAKS or t.folded in lexicon.sayings), hi
    )
    phrase = [t for t in words if t.end <= phrase_end]
    cut = _speaker_cut(sent, phrase, lexicon)
    if cut is not None:
        phrase_end, phrase = phrase[cut].start, phrase[:cut]
    long_phrase = len(phrase) > _SHORT_TITLE_WORDS
    for n, token in enumerate(phrase[1:], start=1):
        # قال جيم ماكغراث في تغريدة / قال نائب الرئيس في كلمة: the setting is not the speaker.
        setting = n + 1 < len(phrase) and phrase[n + 1].folded in lexicon.speech_events
        if token.folded in lexicon.title_cutters and (long_phrase or setting):
            phrase_end = token.start
            break
    start, end = _trim(sent.text, words[0].start, phrase_end)
    if end <= start or len(sent.text[start:end].split()) > _MAX_TITLE_WORDS:
        return None
    return PartyFound(sent.text[start:end], start, end, None, "title" if how == "name" else how)


@dataclass(frozen=True, slots=True)
class SpeakerCut:
    """A rule that ends a speaker phrase before word ``n`` of it (never before the first)."""

    name: str  # as in cues.json "speaker_cuts", which holds its words and priority
    applies: Callable[[_Sentence, list[Token], int, Cues], bool]


def _cuts_time(sent: _Sentence, phrase: list[Token], n: int, lexicon: Cues) -> bool:
    """الرئيس يوم الاثنين، الحكومة هذا الأسبوع، المتحدث منذ مارس; but الأمين العام is a title
    and صحيفة اليوم a name."""
    if phrase[n].folded in lexicon.cut_words["time"]:
        return _stem(phrase[n - 1]) not in lexicon.cut_words["time not after"]
    demonstrative = phrase[n].folded in ("هذا", "هذه")
    nouns = lexicon.cut_words["time after demonstrative"]
    return demonstrative and n + 1 < len(phrase) and phrase[n + 1].folded in nouns


def _cuts_addressee(sent: _Sentence, phrase: list[Token], n: int, lexicon: Cues) -> bool:
    """مسؤول في البيت الأبيض للصحيفة، مالديني لشبكة سكاي، قال مسؤول لرويترز: whom the speaker
    told, after a glued ل (a media noun, or a named organization)."""
    word = phrase[n].folded
    if not word.startswith("ل") or len(word) < 3:
        return False
    rest = "ا" + word[1:] if word.startswith("لل") else word[1:]
    if rest in lexicon.cut_words["addressee"]:
        return True
    glued = phrase[n].start + 1
    return any(m.start == glued and m.entry.type == "ORG" for m in sent.mentions)


def _cuts_conjoined_cue(sent: _Sentence, phrase: list[Token], n: int, lexicon: Cues) -> bool:
    """خبير اقتصادي يعمل لدى الحكومة وطلب عدم ذكر اسمه: a second verb of the speaker."""
    token = phrase[n]
    return token.folded[0] in "وف" and _is_cue(token, lexicon)


_SPEAKER_CUT_RULES: Final = (
    SpeakerCut("time", _cuts_time),
    SpeakerCut("addressee", _cuts_addressee),
    SpeakerCut("conjoined_cue", _cuts_conjoined_cue),
)


def speaker_cuts(lexicon: Cues | None = None) -> tuple[SpeakerCut, ...]:
    """The speaker cut rules in order of priority (cues.json)."""
    priority = (lexicon or cues()).cut_priority
    return tuple(sorted(_SPEAKER_CUT_RULES, key=lambda rule: priority[rule.name]))


def _speaker_cut(sent: _Sentence, phrase: list[Token], lexicon: Cues) -> int | None:
    """Index of the first word of ``phrase`` where a speaker cut rule ends it, or None."""
    rules = speaker_cuts(lexicon)
    for n in range(1, len(phrase)):
        if any(rule.applies(sent, phrase, n, lexicon) for rule in rules):
            return n
    return None


def _description_referent(sent: _Sentence, party: PartyFound, lexicon: Cues) -> PartyFound | None:
    """اللاعب المخضرم، الشركة: a description standing for a party named earlier in the
    article; the name it refers to, keeping the description's offsets. A PER description is
    the last person named before it; an ORG description the last organization whose name has
    the description's head noun (الشركة -> شركة أرامكو، المرصد -> المرصد السوري). Words after
    the noun must be definite adjectives: a word without ال is a name the tagger missed."""
    words = fold(party.text).split()
    kind = lexicon.descriptions.get(words[0]) if 0 < len(words) <= _DESCRIPTION_WORDS else None
    if kind is None or not all(w.startswith("ال") for w in words[1:]):
        return None  # اللاعب المخضرم (a definite adjective agrees); اللاعب صلاح names him
    head = words[0].removeprefix("ال")
    before = sent.article_mentions[
        : bisect_left([m.start for m in sent.article_mentions], party.start)
    ]
    for mention in reversed(before):
        if mention.entry.type != kind:
            continue
        name = mention.entry.canonical or mention.text
        if kind == "ORG" and not _headed_by(sent.text, mention, name, head):
            continue
        return PartyFound(name, party.start, party.end, mention.entry.entity_id, "pronoun")
    return None


_DESCRIPTION_WORDS: Final = 3


def _headed_by(text: str, mention: EntityMention, name: str, head: str) -> bool:
    """The organization's name has the head noun (المرصد السوري), or the word right before the
    mention is that noun (شركة أرامكو where the tagger found أرامكو)."""
    if head in {w.removeprefix("ال") for w in fold(name).split()}:
        return True
    before = fold(text[max(0, mention.start - 20) : mention.start]).split()
    return bool(before) and _without_conjunction(before[-1]).removeprefix("ال") == head


def _party(sent: _Sentence, mention: EntityMention, how: str) -> PartyFound:
    name = _with_article(sent.text, mention.start, mention.text)
    return PartyFound(name, mention.start, mention.end, mention.entry.entity_id, how)


def _with_article(text: str, start: int, name: str) -> str:
    """للأمم المتحدة = لـ + الأمم المتحدة: a name starting right after a glued ل lost the
    article's alef (لل); give it back."""
    return "ا" + name if name.startswith("ل") and text[start - 1 : start] == "ل" else name


@dataclass(frozen=True, slots=True)
class _SourceAt:
    at: int  # token index of the source phrase
    obj: int  # token index where the named source starts
    skip: int  # characters of that token that belong to the phrase (وفقا للسلطات: "ل")


def _source_position(sent: _Sentence, lexicon: Cues) -> _SourceAt | None:
    """Where a source phrase (وفقا لـ، بحسب ...) and the source it names start."""
    tokens = sent.tokens
    for i, token in enumerate(tokens):
        candidates = lexicon.sources.get(token.folded) or lexicon.sources.get(_stem(token), ())
        for phrase in candidates:
            end = i + len(phrase)
            rest = tokens[i + 1 : end]
            if len(rest) != len(phrase) - 1 or not all(
                t.folded.startswith(p) for t, p in zip(rest, phrase[1:], strict=True)
            ):
                continue
            # The last word may carry the source glued on: وفقا لـ + السلطات = وفقا للسلطات.
            if rest and len(rest[-1].folded) > len(phrase[-1]):
                return _SourceAt(i, end - 1, len(phrase[-1]))
            return _SourceAt(i, end, 0)
    return None


def _object_span(sent: _Sentence, where: _SourceAt, lexicon: Cues) -> tuple[PartyFound | None, int]:
    """The source named after a source phrase, and the index of the token just after it.

    ``بحسب ما ذكره مسؤول`` names a speaker, not a source: the party is then resolved "title".
    """
    tokens = sent.tokens
    obj, skip, how = where.obj, where.skip, "source"
    if obj + 2 < len(tokens) and tokens[obj].folded == "ما":
        obj, skip, how = obj + 2, 0, "title"  # skip "ما" and its verb
    if obj >= len(tokens):
        return None, obj
    first = tokens[obj]
    # The name may follow a title word and quotes: وفق صحيفة “وول ستريت جورنال”.
    words = [t for t in tokens[obj : obj + 4] if t.is_word][:2]
    reach = words[-1].end if words else first.end
    mention = next((m for m in sent.mentions if first.start <= m.start < reach), None)
    if mention is not None:
        after = next(
            (i for i in range(obj, len(tokens)) if tokens[i].start >= mention.end), len(tokens)
        )
        return _party(sent, mention, "source" if how == "source" else "name"), after
    end = obj
    while (
        end < len(tokens)
        and end - obj < _MAX_TITLE_WORDS
        and tokens[end].is_word
        and tokens[end].folded not in _RESUMPTIVE
    ):
        end += 1
    if end == obj:
        return None, obj
    start, stop = _trim(sent.text, first.start + skip, tokens[end - 1].end)
    name = _with_article(sent.text, start, sent.text[start:stop])  # وفقا للسلطات
    if fold(name.split()[0]).removeprefix("ال") in lexicon.not_sources:
        return None, obj  # حسب الاتفاق، بحسب الحاجة: a manner, not a source
    return PartyFound(name, start, stop, None, how), end


def _source_in(sent: _Sentence, where: _SourceAt | None, lexicon: Cues) -> PartyFound | None:
    if where is None:
        return None
    party, _ = _object_span(sent, where, lexicon)
    return party if party is not None and party.resolved_from == "source" else None


def _source_alone(sent: _Sentence, where: _SourceAt, lexicon: Cues) -> PartyFound | None:
    """The source when the sentence is nothing but a source phrase (وفقا لـ"فرانس برس".)."""
    if any(t.is_word and t.folded not in ("و", "ف") for t in sent.tokens[: where.at]):
        return None
    party, after = _object_span(sent, where, lexicon)
    if party is None or party.resolved_from != "source":
        return None
    return party if not any(t.is_word for t in sent.tokens[after:]) else None


def _sourced(sent: _Sentence, where: _SourceAt | None, lexicon: Cues) -> list[ClaimFound]:
    """A statement attributed by a source phrase alone: content before or after the source.

    A bare source (وفقا لـ X) becomes ``according_to`` with no speaker; a source with a verb
    (بحسب ما ذكره X) names the speaker.
    """
    if where is None:
        return []
    party, after = _object_span(sent, where, lexicon)
    if party is None:
        return []
    tokens = sent.tokens
    cue = sent.text[tokens[where.at].start : tokens[max(where.at, where.obj - 1)].end]
    leading = all(not t.is_word or t.folded in ("و", "ف") for t in tokens[: where.at])
    if leading and after < len(tokens):
        start, end = _trim(sent.text, tokens[after].start, sent.span[1])
        start = _skip_fa(sent, start)
    else:
        start, end = _trim(sent.text, sent.span[0], tokens[where.at].start)
    if not _has_words(sent.text[start:end]):
        return []
    speaker, source = (None, party) if party.resolved_from == "source" else (party, None)
    return [ClaimFound("statement", speaker, cue, start, end, source, [], sent.span, 0.7)]


def _skip_fa(sent: _Sentence, start: int) -> int:
    """Drop a resumptive فقد/فإن at the start of a content clause."""
    for token in sent.tokens:
        if token.start == start and token.folded in _RESUMPTIVE:
            return token.end + 1
    return start


_TRIM_CHARS: Final = " \t\n،,.؛;:!؟?-–—"
_RESUMPTIVE: Final = frozenset({"فقد", "فان", "فإن", "ف"})


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM_CHARS:
        start += 1
    while end > start and text[end - 1] in _TRIM_CHARS:
        end -= 1
    return start, end
