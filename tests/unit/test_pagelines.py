"""The page-line labeller, its synthetic training pages and the cleaning-rule registry."""

from __future__ import annotations

import random

import pytest

from services.arabic.pagelines import BODY, BOILER, GLUED, PageLine, page_features, shipped_model
from services.arabic.pagesynth import TITLE, Story, synthesize
from services.arabic.segment import LINE_RULES, RULE_NAMES, BlockKind, labeller_input, segment

LEAD = (
    "أعلنت وزارة الصحة اليوم عن افتتاح ثلاثة مستشفيات جديدة في المحافظات الجنوبية، وذلك ضمن خطة "
    "لتوسيع الخدمات الطبية المقدمة للمواطنين خلال العام الجاري."
)
BODY_LINES = [
    LEAD,
    "وقال المتحدث باسم الوزارة إن المستشفيات الجديدة ستستقبل المرضى اعتباراً من الشهر المقبل، "
    "مشيراً إلى أن الكوادر الطبية اللازمة قد جرى تعيينها بالكامل.",
    "وأضاف أن الوزارة خصصت ميزانية إضافية لشراء الأجهزة الحديثة وتدريب الممرضين في المستشفيات "
    "الثلاثة، على أن تفتتح أقسام الطوارئ أولاً.",
    "وتشهد المنطقة منذ أسابيع موجة من الاحتجاجات على تردي الخدمات، فيما تعهدت الحكومة بمعالجة "
    "المشكلات المتراكمة قبل نهاية الصيف الحالي وفق جدول زمني معلن.",
]
OTHER_LEADS = [
    "أعلن وزير المالية، الخميس، أن الحكومة ستطرح سندات دولية بقيمة ملياري دولار قبل نهاية "
    "العام لتمويل العجز في الموازنة.",
    "قال رئيس الاتحاد المحلي لكرة القدم، الأربعاء، إن الموسم المقبل سينطلق في موعده رغم "
    "الخلاف مع الأندية حول حقوق البث التلفزيوني.",
    "كشفت مصادر مطلعة، الثلاثاء، عن اتفاق وشيك بين شركتي الطيران الوطنيتين على دمج "
    "عملياتهما الإقليمية خلال الأشهر الستة المقبلة.",
]
needs_model = pytest.mark.skipif(
    shipped_model() is None, reason="services/arabic/resources/pagelines.crfsuite not trained"
)


def _stories() -> list[Story]:
    return [
        Story("افتتاح مستشفيات جديدة في الجنوب", tuple(BODY_LINES)),
        Story("سندات دولية بملياري دولار", (OTHER_LEADS[0], BODY_LINES[2])),
        Story("الموسم الكروي في موعده", (OTHER_LEADS[1], BODY_LINES[3])),
        Story("دمج شركتي الطيران", (OTHER_LEADS[2], BODY_LINES[1])),
    ]


def test_synthetic_pages_are_reproducible_and_labelled_line_by_line() -> None:
    stories = _stories()
    first = [synthesize(stories[0], stories, random.Random(7)) for _ in range(3)]
    again = [synthesize(stories[0], stories, random.Random(7)) for _ in range(3)]
    assert [p.text for p in first] == [p.text for p in again]
    for page in first:
        assert len(page.lines) == len(page.labels)
        assert set(page.labels) <= {TITLE, BODY, BOILER, GLUED, ""}
        body = [line for line, label in zip(page.lines, page.labels, strict=True) if label == BODY]
        assert body == BODY_LINES  # the story's own body, in order, nothing else


def test_synthetic_pages_cover_the_layouts_the_labeller_must_learn() -> None:
    stories = _stories()
    rng = random.Random(3)
    labels = [label for _ in range(300) for label in synthesize(stories[0], stories, rng).labels]
    assert labels.count(BOILER) > 300
    assert GLUED in labels
    assert TITLE in labels


def test_features_describe_every_line_and_its_neighbours() -> None:
    read = labeller_input("عنوان الخبر\n" + "\n".join(BODY_LINES) + "\nأخبار ذات صلة")
    features = page_features(read.lines, read.title)
    assert len(features) == len(read.lines) == 5
    assert "-1:edge" in features[0]
    assert "1:edge" in features[-1]
    assert "rule=related_links" in features[-1]
    assert all(isinstance(line, PageLine) for line in read.lines)


def test_every_rule_has_a_unique_name_and_can_be_switched_off() -> None:
    assert len(set(RULE_NAMES)) == len(RULE_NAMES)
    assert [r.priority for r in LINE_RULES] == sorted(r.priority for r in LINE_RULES)
    page = "عنوان الخبر\n" + "\n".join(BODY_LINES) + "\n02 أبريل 2025 03:24 م"
    on = segment(page, use_model=False)
    off = segment(page, use_model=False, disabled=frozenset({"timestamp"}))
    assert [b.kind for b in on.removed] == [BlockKind.TIMESTAMP]
    assert off.removed == []
    assert "02 أبريل 2025" in off.text


@needs_model
def test_a_read_also_marker_alone_does_not_cut_the_article() -> None:
    """A marker and one headline, then the article goes on: the rest stays body."""
    page = "\n".join(
        [
            "افتتاح مستشفيات جديدة في الجنوب",
            BODY_LINES[0],
            BODY_LINES[1],
            "اقرأ أيضا|",
            "الحكومة تطرح سندات دولية بملياري دولار",
            BODY_LINES[2],
            BODY_LINES[3],
        ]
    )
    result = segment(page)
    assert result.appended == []
    for line in BODY_LINES:
        assert line in result.text
    assert "اقرأ أيضا" not in result.text


@needs_model
def test_a_trailing_run_of_other_stories_leads_is_removed() -> None:
    page = "\n".join(["افتتاح مستشفيات جديدة في الجنوب", *BODY_LINES, *OTHER_LEADS])
    result = segment(page)
    for line in BODY_LINES:
        assert line in result.text
    removed = [b.text for b in result.removed]
    assert removed == OTHER_LEADS
    assert {b.kind for b in result.removed} == {BlockKind.TEASER}


def test_rules_alone_still_clean_when_no_model_is_used() -> None:
    page = "عنوان الخبر\n" + "\n".join(BODY_LINES) + "\nأخبار ذات صلة\n• خبر قصير آخر"
    result = segment(page, use_model=False)
    assert [b.kind for b in result.removed] == [BlockKind.RELATED_LINKS] * 2


@needs_model
def test_the_labeller_can_be_switched_off_for_the_process() -> None:
    """RASD_CLEAN_LABELLER=false: the rules alone decide, as with use_model=False."""
    from services.arabic.segment import use_labeller

    page = "\n".join(["افتتاح مستشفيات جديدة في الجنوب", *BODY_LINES, *OTHER_LEADS])
    use_labeller(False)
    try:
        assert segment(page) == segment(page, use_model=False)
        assert segment(page).removed == []
    finally:
        use_labeller(True)
    assert len(segment(page).removed) == len(OTHER_LEADS)
