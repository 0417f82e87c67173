"""Synthetic news pages with exact line labels, for training and testing the line labeller.

A page is one real article body with boilerplate built from *other* real articles: their titles
as related lists and read-also items, their lead sentences as teaser runs, their dates as
timestamps, a whole other article glued after a read-also marker, and the site furniture the
seeds and dev show (bylines, captions, share bars, menus, tags, source, contact and archive lines,
footers). Layouts, markers and their spellings vary at random; everything is drawn from one
seeded ``random.Random``, so the same seed and stories give the same pages.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from services.arabic.pagelines import BODY, BOILER, GLUED

TITLE: Final = "title"


@dataclass(frozen=True, slots=True)
class Story:
    title: str
    lines: tuple[str, ...]  # the article's own body lines, boilerplate already removed


@dataclass(slots=True)
class SyntheticPage:
    title: str | None  # given apart from the text (as a JSON article's title), or None
    lines: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # TITLE, BODY, BOILER, GLUED or "" (blank)

    def add(self, line: str, label: str) -> None:
        self.lines.append(line)
        self.labels.append(label)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


READ_ALSO: Final = (
    "اقرأ أيضا",
    "اقرأ أيضاً",
    "إقرأ أيضا",
    "إقرأ أيضاً",
    "اقرأ كذلك",
    "اقرأ المزيد",
    "قد يهمك",
    "قد يهمك أيضا",
    "شاهد أيضا",
    "طالع أيضا",
    "كذلك",
    "للمزيد",
    "ربما يهمك",
    "يمكنك أيضا قراءة",
)
RELATED: Final = (
    "أخبار ذات صلة",
    "مقالات مشابهة",
    "مواضيع ذات صلة",
    "موضوعات متعلقة",
    "الأكثر قراءة",
    "الأكثر مشاهدة",
    "اقرأ المزيد",
    "ذات صلة",
    "المزيد من الأخبار",
    "آخر الأخبار",
    "أخبار متعلقة",
    "اخترنا لك",
    "قصص أخرى",
)
SEPARATORS: Final = (": ", "| ", "|", " - ", ":", " ")
MONTHS: Final = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
]
LEVANT_MONTHS: Final = [
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
]
WEEKDAYS: Final = ["السبت", "الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة"]
SECTIONS: Final = [
    "الرئيسية",
    "سياسة",
    "اقتصاد",
    "رياضة",
    "منوعات",
    "فيديو",
    "صور",
    "العالم",
    "تكنولوجيا",
    "صحة",
    "ثقافة",
    "فن",
    "مقالات",
    "الخليج",
    "مصر",
    "العرب",
    "رأي",
    "محليات",
    "دوليات",
    "برامج",
    "ملفات",
]
SOCIAL: Final = ("فيسبوك", "تويتر", "واتساب", "تيليجرام", "لينكد إن", "البريد", "طباعة", "شارك")
OUTLETS: Final = (
    "صدى البلد",
    "الشروق المصرية",
    "الرؤية الإماراتية",
    "وكالات",
    "رويترز",
    "فرانس برس",
    "الأناضول",
    "سكاي نيوز عربية",
    "الشرق الأوسط",
    "اليوم السابع",
    "وكالة الأنباء السعودية",
    "د ب أ",
)
FIRST_NAMES: Final = [
    "محمد",
    "أحمد",
    "خالد",
    "سارة",
    "مريم",
    "عبدالله",
    "فاطمة",
    "يوسف",
    "نادية",
    "علي",
    "حسن",
    "ليلى",
    "عمر",
    "هدى",
    "سامي",
    "رنا",
    "نبيل",
    "طارق",
    "منى",
]
LAST_NAMES: Final = [
    "الدوسري",
    "العتيبي",
    "الشمري",
    "حسين",
    "سليمان",
    "العلي",
    "الخطيب",
    "النجار",
    "منصور",
    "الأحمد",
    "يوسف",
    "القحطاني",
    "الحربي",
    "عبدالرحمن",
]
CREDITS: Final = ("أرشيفية", "رويترز", "أ ف ب", "صورة تعبيرية", "غيتي", "الأناضول", "AFP")


def _date(rng: random.Random) -> str:
    day, year = rng.randint(1, 28), rng.choice((2013, 2015, 2018, 2021, 2024, 2025))
    hour, minute = rng.randint(1, 12), rng.randint(0, 59)
    month = rng.randrange(12)
    forms = (
        f"{day:02d} {MONTHS[month]} {year} {hour:02d}:{minute:02d} {rng.choice('صم')}",
        f"{rng.choice(WEEKDAYS)}، {day:02d} {LEVANT_MONTHS[month]}/{MONTHS[month]} {year}",
        f"{year}-{month + 1:02d}-{day:02d} {hour:02d}:{minute:02d}",
        f"منذ {rng.randint(2, 11)} ساعات",
        f"{rng.choice(WEEKDAYS)} {day} {MONTHS[month]} {year} - {hour:02d}:{minute:02d} مساءً",
        f"آخر تحديث: {day:02d}/{month + 1:02d}/{year} {hour:02d}:{minute:02d}",
        f"نشر في: {rng.choice(WEEKDAYS)} {day} {MONTHS[month]} {year}",
    )
    return rng.choice(forms)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


_DATELINE: Final = re.compile(r"^.{0,80}?\((?:CNN|BBC|[^)]{1,20})\)\s*[-–—]+\s*")


def _lead(story: Story, rng: random.Random) -> str:
    """A story's lead sentence as a teaser shows it: no dateline, sometimes cut mid-sentence."""
    lead = _DATELINE.sub("", story.lines[0]) or story.lines[0]
    if len(lead) > 160 and rng.random() < 0.3:
        cut = lead.rfind(" ", 0, rng.randint(120, 240))
        lead = lead[: cut if cut > 0 else 160]
    return lead


def _bullet(rng: random.Random, style: int) -> str:
    return ("", "• ", "- ", "▪ ")[style] if style < 4 else f"{rng.randint(1, 9)}. "


class _Builder:
    def __init__(
        self, rng: random.Random, others: Sequence[Story], related: Sequence[Story]
    ) -> None:
        self.rng = rng
        self.others = others
        self.related = related

    def other(self) -> Story:
        """Another story: often one on the same topic, as outlets link related stories."""
        if self.related and self.rng.random() < 0.6:
            return self.rng.choice(self.related)
        return self.rng.choice(self.others)

    def read_also_inline(self) -> str:
        return f"{self.rng.choice(READ_ALSO)}{self.rng.choice(SEPARATORS)}{self.other().title}"

    def caption(self) -> str:
        words = self.other().title.split()
        phrase = " ".join(words[: self.rng.randint(1, max(1, min(6, len(words))))])
        credit = self.rng.choice(CREDITS)
        return self.rng.choice(
            (f"{phrase} - {credit}", f"{phrase} ({credit})", f"صورة: {credit}", credit)
        )

    def byline(self) -> str:
        name = _name(self.rng)
        return self.rng.choice(
            (f"كتب: {name}", f"بقلم: {name}", name, f"كتبت - {name}", f"متابعة: {name}")
        )

    def menu(self) -> list[str]:
        return self.rng.sample(SECTIONS, self.rng.randint(3, 8))

    def share(self) -> str:
        return " ".join(self.rng.sample(SOCIAL, self.rng.randint(2, 5)))

    def source(self) -> str:
        outlet = self.rng.choice(OUTLETS)
        return self.rng.choice(
            (f"المصدر: {outlet}", f"*نقلاً عن {outlet}", f"نقلا عن {outlet}", f"({outlet})")
        )

    def contact(self) -> str:
        user = self.rng.choice(("writer", "ahmad.s", "k.salem", "editor"))
        handle = f"{user}{self.rng.randint(1, 99)}"
        email = f"{handle}@{self.rng.choice(('yahoo.com', 'gmail.com', 'hotmail.com'))}"
        code = self.rng.randint(10, 99)
        return self.rng.choice(
            (
                f"{email}للتواصل مع الكاتب ارسل رسالة SMS تبدأ بالرمز ({code}) ثم مسافة ثم "
                f"نص الرسالة إلى 88591 - Stc 635031 - Mobily 737221 - Zain",
                f"للتواصل: {email}",
                f"البريد الإلكتروني: {email}",
                f"تويتر: @{handle}",
            )
        )

    def prompt(self) -> str:
        topic = " ".join(self.other().title.split()[:3])
        return self.rng.choice(
            (
                f"لمتابعة {topic} اضغط هنا",
                f"للاطلاع على {topic} اضغط هنا",
                f"لقراءة {topic} انقر هنا",
                f"شاهد: {self.other().title}",
                f"تعرف على {topic}",
                "لمتابعة آخر الأخبار اضغط هنا",
                "للمزيد من الأخبار تابعونا على تويتر",
                "حمل تطبيق الموقع الآن",
            )
        )

    def disclaimer(self) -> str:
        return self.rng.choice(
            (
                "** جميع المقالات المنشورة تمثل رأي كتابها فقط.",
                "الآراء الواردة في المقال لا تعبر بالضرورة عن رأي الموقع.",
                "هذا المقال يعبر عن رأي كاتبه ولا يعكس بالضرورة وجهة نظر الموقع.",
            )
        )

    def archive(self) -> str:
        return self.rng.choice(
            (
                f"العدد الصادر بتاريخ {_date(self.rng)}",
                f"تاريخ النشر: {_date(self.rng)}",
                f"نشر بتاريخ {_date(self.rng)}",
                _date(self.rng),
            )
        )

    def footer(self) -> str:
        outlet = self.rng.choice(OUTLETS)
        year = self.rng.choice((2015, 2018, 2024))
        return self.rng.choice(
            (
                f"جميع الحقوق محفوظة © {year} {outlet}",
                f"© {year} {outlet}. All Rights Reserved.",
                "سياسة الخصوصية | شروط الاستخدام | اتصل بنا",
            )
        )


def synthesize(
    story: Story,
    others: Sequence[Story],
    rng: random.Random,
    related: Sequence[Story] = (),
) -> SyntheticPage:
    """One page: ``story``'s body with boilerplate drawn from ``others`` and from ``related``
    (stories on the same topic)."""
    b = _Builder(rng, others, related)
    title_in_text = rng.random() < 0.85
    page = SyntheticPage(None if title_in_text else story.title)
    if title_in_text:
        page.add(story.title, TITLE)
    clean = rng.random() < 0.15  # some pages carry no boilerplate at all

    def boiler(line: str) -> None:
        if not clean:
            page.add(line, BOILER)

    if rng.random() < 0.1:
        for label in b.menu():
            boiler(label)
    if rng.random() < 0.15:
        boiler(_date(rng))
    if rng.random() < 0.12:
        boiler(b.byline())
    if rng.random() < 0.12:
        boiler(b.caption())
    if rng.random() < 0.06:
        boiler(b.share())

    body = list(story.lines)
    inserts: dict[int, list[tuple[str, str]]] = {}
    if len(body) >= 3 and not clean:
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            at = rng.randint(1, len(body) - 1)
            inserts.setdefault(at, []).extend(_mid_body_block(b, rng))
    for n, line in enumerate(body):
        for text, label in inserts.get(n, []):
            page.add(text, label)
        page.add(line, BODY)

    if not clean:
        _tail(b, page, rng)
    if rng.random() < 0.4:
        _space_out(page)
    return page


def _mid_body_block(b: _Builder, rng: random.Random) -> list[tuple[str, str]]:
    """Boilerplate between two paragraphs, after which the article goes on."""
    choice = rng.random()
    if choice < 0.45:
        return [(b.read_also_inline(), BOILER)]
    if choice < 0.7:
        marker = rng.choice(READ_ALSO) + rng.choice(("", ":", "|", ":"))
        items = [b.other().title for _ in range(rng.choice((1, 1, 2, 3)))]
        return [(marker, BOILER), *((item, BOILER) for item in items)]
    if choice < 0.8:
        marker = rng.choice(READ_ALSO) + rng.choice(("", ":", "|"))
        leads = [_lead(b.other(), rng) for _ in range(rng.choice((1, 2)))]
        return [(marker, BOILER), *((lead, BOILER) for lead in leads)]
    if choice < 0.88:
        return [(b.caption(), BOILER)]
    if choice < 0.95:
        return [(b.prompt(), BOILER)]
    return [(b.other().title, BOILER)]  # a related headline alone, no marker


def _tail(b: _Builder, page: SyntheticPage, rng: random.Random) -> None:
    """What follows an article: source, contact, tags, related lists, teasers, glued article."""
    if rng.random() < 0.2:
        page.add(b.source(), BOILER)
    if rng.random() < 0.05:
        page.add(b.disclaimer(), BOILER)
    if rng.random() < 0.06:
        page.add(b.contact(), BOILER)
    if rng.random() < 0.05:
        page.add(b.prompt(), BOILER)
    if rng.random() < 0.05:
        page.add(b.archive(), BOILER)
    if rng.random() < 0.1:
        page.add(rng.choice(("الكلمات الدالة", "وسوم:", "كلمات مفتاحية")), BOILER)
        for tag in rng.sample(SECTIONS, rng.randint(2, 5)):
            page.add(tag, BOILER)
    glued = rng.random() < 0.1
    if glued:
        other = b.other()
        page.add(rng.choice(READ_ALSO) + rng.choice((":", "", "|")), BOILER)
        page.add(other.title, GLUED)
        for line in other.lines[: rng.randint(2, 8)]:
            page.add(line, GLUED)
    if rng.random() < 0.3:
        _related_list(b, page, rng)
    if not glued and rng.random() < 0.25:
        for _ in range(rng.randint(2, 6)):
            page.add(_lead(b.other(), rng), BOILER)
    if rng.random() < 0.07:
        page.add(rng.choice(READ_ALSO) + rng.choice((":", "", "|")), BOILER)
        for _ in range(rng.randint(2, 4)):
            page.add(_lead(b.other(), rng), BOILER)
    if rng.random() < 0.08:
        page.add(b.footer(), BOILER)


def _related_list(b: _Builder, page: SyntheticPage, rng: random.Random) -> None:
    page.add(rng.choice(RELATED) + rng.choice(("", ":", "")), BOILER)
    style = rng.randrange(5)
    dated = rng.random() < 0.4
    for _ in range(rng.randint(3, 8)):
        page.add(_bullet(rng, style) + b.other().title, BOILER)
        if dated:
            page.add(_date(rng), BOILER)


def _space_out(page: SyntheticPage) -> None:
    """A blank line between lines, as many outlets' scrapes have."""
    lines, labels = page.lines, page.labels
    page.lines, page.labels = [], []
    for line, label in zip(lines, labels, strict=True):
        page.add(line, label)
        page.add("", "")
