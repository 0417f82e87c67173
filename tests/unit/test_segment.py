"""Boilerplate removal and glued-article splitting on real Arabic page shapes."""

from __future__ import annotations

from services.arabic.normalize import fold
from services.arabic.segment import BlockKind, is_timestamp, segment

BODY = (
    "أعلنت وزارة الصحة اليوم عن افتتاح ثلاثة مستشفيات جديدة في المحافظات الجنوبية، "
    "وذلك ضمن خطة لتوسيع الخدمات الطبية المقدمة للمواطنين خلال العام الجاري."
)
BODY_2 = (
    "وقال المتحدث باسم الوزارة إن المستشفيات الجديدة ستستقبل المرضى اعتباراً من الشهر المقبل، "
    "مشيراً إلى أن الكوادر الطبية اللازمة قد جرى تعيينها بالكامل."
)
BODY_3 = (
    "وأضاف أن الوزارة خصصت ميزانية إضافية لشراء الأجهزة الحديثة وتدريب الممرضين في المستشفيات "
    "الثلاثة، على أن تفتتح أقسام الطوارئ أولاً."
)


def kinds(text: str) -> list[str]:
    return [b.kind.value for b in segment(text).removed]


def test_related_headlines_with_timestamps_are_removed() -> None:
    text = "\n".join(
        [
            "افتتاح مستشفيات جديدة",
            BODY,
            BODY_2,
            "أخبار ذات صلة",
            "وزير الصحة يتفقد مستشفى الولادة",
            "12 مارس 2024 10:15 ص",
            "ارتفاع أسعار الأدوية المستوردة",
            "11 مارس 2024 09:02 م",
        ]
    )
    result = segment(text)
    assert result.text == BODY + "\n" + BODY_2
    assert [b.kind for b in result.removed] == [
        BlockKind.RELATED_LINKS,
        BlockKind.RELATED_LINKS,
        BlockKind.TIMESTAMP,
        BlockKind.RELATED_LINKS,
        BlockKind.TIMESTAMP,
    ]


def test_title_is_taken_from_the_first_short_line() -> None:
    result = segment("افتتاح مستشفيات جديدة\n\n" + BODY)
    assert result.title == "افتتاح مستشفيات جديدة"
    assert result.text == BODY


OTHER_ARTICLE = [
    "أسعار النفط تقفز إلى أعلى مستوى في ثلاث سنوات",
    "ارتفعت أسعار النفط في الأسواق العالمية، الخميس، إلى أعلى مستوى لها منذ ثلاث سنوات بعد أن "
    "خفضت منظمة أوبك إنتاجها للشهر الثاني على التوالي.",
    "وقال محللون في لندن إن المخزونات الأمريكية تراجعت أيضاً، مما زاد من الضغوط على الإمدادات "
    "في الربع الأخير من العام.",
]
RELATED = [
    "• وزير الصحة يتفقد مستشفى الولادة في العاصمة ويعد بتحسين الخدمات",
    "• ارتفاع أسعار الأدوية المستوردة بنسبة عشرين في المئة خلال شهر",
]


def test_read_also_followed_by_another_article_is_split_off_as_appended() -> None:
    text = "\n".join(
        [BODY, "المصدر: وكالة الأنباء", "اقرأ أيضاً:", *OTHER_ARTICLE, "مقالات مشابهة", *RELATED]
    )
    result = segment(text)
    assert result.text == BODY
    assert len(result.appended) == 1
    assert result.appended[0].title == OTHER_ARTICLE[0]
    assert result.appended[0].text.startswith("ارتفعت أسعار النفط")
    assert result.appended[0].marker == "اقرأ أيضاً:"
    assert kinds(text) == [
        "source_line",
        "read_also",
        "related_links",
        "related_links",
        "related_links",
    ]


def test_after_a_read_also_headline_the_same_article_goes_on_as_body() -> None:
    """A marker alone is not a new article: و-paragraphs on the same topic continue the body."""
    text = "\n".join(
        [BODY, "اقرأ أيضاً:", "وزير الصحة يتفقد مستشفى الولادة في العاصمة", BODY_2, BODY_3]
    )
    result = segment(text)
    assert result.appended == []
    assert result.text == "\n".join([BODY, BODY_2, BODY_3])
    assert kinds(text) == ["read_also", "related_links"]


def test_read_also_followed_by_headlines_only_is_a_link_list() -> None:
    headlines = [
        "وزير الصحة يتفقد مستشفى الولادة في العاصمة ويعد بتحسين الخدمات",
        "ارتفاع أسعار الأدوية المستوردة بنسبة عشرين في المئة خلال شهر",
    ]
    text = "\n".join([BODY, "اقرأ أيضا", *headlines])
    result = segment(text)
    assert result.appended == []
    assert kinds(text) == ["read_also", "related_links", "related_links"]


def test_caption_with_credit_is_removed() -> None:
    assert kinds("عنوان الخبر\nجانب من الاجتماع - أرشيفية\n" + BODY) == ["caption"]
    assert kinds("عنوان الخبر\nجنود في الميدان (رويترز)\n" + BODY) == ["caption"]


def test_subheadings_inside_the_body_are_kept() -> None:
    result = segment("عنوان الخبر\n" + BODY + "\nرسالة قوية\n" + BODY_2)
    assert "رسالة قوية" in result.text
    assert result.removed == []


def test_timestamps_in_several_formats() -> None:
    for line in (
        "02 أبريل 2025 03:24 م",
        "Fri, 11 Aug 2017 15:22:41 GMT",
        "منذ 3 ساعات",
        "الأحد، 04 آب/اغسطس 2013، آخر تحديث 02:21 (GMT+0400)",
    ):
        assert is_timestamp(fold(line).strip()), line
    assert not is_timestamp(fold("قتل 3 أشخاص في مارس"))


def test_removed_blocks_point_into_the_normalized_source() -> None:
    text = "عنوان الخبر\n" + BODY + "\nأخبار ذات صلة\nخبر قصير آخر"
    result = segment(text)
    for block in result.removed:
        assert result.source[block.start : block.end] == block.text


def test_seed_000_loses_its_related_list_and_keeps_its_body(seed_000: str) -> None:
    result = segment(seed_000)
    assert "أخبار ذات صلة" not in result.text
    assert "02 أبريل 2025" not in result.text
    assert "وفقًا للسلطات الصحية الفلسطينية" in result.text
    assert result.title is not None
    assert result.title.startswith("خلاف جديد")


def test_seed_004_splits_the_glued_article(seed_004: str) -> None:
    result = segment(seed_004)
    assert result.text.endswith("في خضم الصراع.")
    assert len(result.appended) == 1
    assert "نيويورك تايمز" in (result.appended[0].title or "")
    assert "مقالات مشابهة" not in result.appended[0].text


def test_sentences_split_on_arabic_punctuation_but_not_inside_numbers_or_initials() -> None:
    from services.arabic.tokenize import sentence_spans

    text = "قال د. محمد علي إن النمو بلغ 3.5 في المئة. وأضاف أن الوضع مستقر؟ نعم!\nسطر ثان؛ وجملة"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "قال د. محمد علي إن النمو بلغ 3.5 في المئة.",
        "وأضاف أن الوضع مستقر؟",
        "نعم!",
        "سطر ثان؛",
        "وجملة",
    ]


def test_share_bars_tags_and_credits_are_removed() -> None:
    page = "\n".join(
        [
            "عنوان الخبر",
            BODY,
            "شارك: فيسبوك تويتر واتساب",
            "صورة: أ.ف.ب",
            "جنود في الميدان (أ. ف. ب)",
            "كلمات دالة: الصحة، المستشفيات",
            "إعداد: أحمد علي",
            BODY_2,
        ]
    )
    result = segment(page)
    assert result.text == BODY + "\n" + BODY_2
    assert [b.kind.value for b in result.removed] == [
        "widget",
        "caption",
        "caption",
        "widget",
        "byline",
    ]


def test_inline_read_also_with_dots_removes_only_its_line() -> None:
    page = "\n".join(["عنوان الخبر", BODY, "اقرأ أيضا.. الوزير يفتتح مستشفى جديدا", BODY_2])
    result = segment(page)
    assert result.text == BODY + "\n" + BODY_2
    assert [b.kind.value for b in result.removed] == ["read_also"]
