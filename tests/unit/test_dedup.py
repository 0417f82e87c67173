"""Duplicates: exact copies and lightly edited copies are marked; different stories are not."""

from __future__ import annotations

from typing import Any

from services.arabic.dedup import signature, similarity
from services.enricher.dedup import DuplicateIndex

STORY = (
    "أعلنت وزارة الصحة اليوم عن افتتاح ثلاثة مستشفيات جديدة في المحافظات الجنوبية، وذلك ضمن خطة "
    "لتوسيع الخدمات الطبية المقدمة للمواطنين خلال العام الجاري. وقال المتحدث باسم الوزارة إن "
    "المستشفيات الجديدة ستستقبل المرضى اعتباراً من الشهر المقبل، مشيراً إلى أن الكوادر الطبية "
    "اللازمة قد جرى تعيينها بالكامل، وأن الوزارة تعمل على توفير الأجهزة الحديثة في كل مستشفى."
)
EDITED = STORY.replace("ثلاثة", "3").replace("اليوم", "أمس")
OTHER = (
    "ارتفعت أسعار النفط في التعاملات الآسيوية المبكرة بعد أن أظهرت بيانات حكومية تراجع المخزونات "
    "الأمريكية للأسبوع الثالث على التوالي، في حين يترقب المستثمرون اجتماع منظمة "
    "أوبك الأسبوع المقبل لبحث مستويات الإنتاج وسط توقعات بتمديد التخفيضات الحالية حتى نهاية العام."
)


def index() -> DuplicateIndex:
    table: dict[str, Any] = {}
    return DuplicateIndex(table, horizon_seconds=3600)


def test_exact_copy_under_another_id_is_an_exact_duplicate() -> None:
    idx = index()
    assert idx.check_and_remember("a", "hash-1", STORY) is None
    dup = idx.check_and_remember("b", "hash-1", STORY)
    assert dup is not None
    assert (dup.of, dup.kind) == ("a", "exact")


def test_lightly_edited_copy_is_a_near_duplicate() -> None:
    idx = index()
    idx.check_and_remember("a", "hash-1", STORY)
    dup = idx.check_and_remember("b", "hash-2", EDITED)
    assert dup is not None
    assert (dup.of, dup.kind) == ("a", "near")


def test_a_different_story_is_not_a_duplicate() -> None:
    idx = index()
    idx.check_and_remember("a", "hash-1", STORY)
    assert idx.check_and_remember("b", "hash-2", OTHER) is None


def test_redelivery_of_the_same_article_is_not_its_own_duplicate() -> None:
    idx = index()
    idx.check_and_remember("a", "hash-1", STORY)
    assert idx.check_and_remember("a", "hash-1", STORY) is None


def test_entries_older_than_the_horizon_are_forgotten() -> None:
    idx = DuplicateIndex({}, horizon_seconds=-1)
    idx.check_and_remember("a", "hash-1", STORY)
    assert idx.check_and_remember("b", "hash-1", STORY) is None


def test_similarity_estimates_jaccard() -> None:
    assert similarity(signature(STORY), signature(STORY)) == 1.0
    assert similarity(signature(STORY), signature(EDITED)) >= 0.8
    assert similarity(signature(STORY), signature(OTHER)) < 0.2


def distinct(n: int) -> str:
    return " ".join(f"كلمة{n}x{i}" for i in range(40))


def test_entries_past_the_horizon_are_deleted_so_the_table_stays_bounded() -> None:
    now = [0.0]
    table: dict[str, Any] = {}
    idx = DuplicateIndex(table, horizon_seconds=3600, clock=lambda: now[0])
    for n in range(50):
        now[0] = n * 60.0  # one article a minute
        idx.check_and_remember(f"a{n}", f"hash-{n}", distinct(n))
    per_article = len(table) / 50
    assert per_article > 1
    for n in range(50, 500):  # eight hours more: the table holds about one hour of articles
        now[0] = n * 60.0
        idx.check_and_remember(f"a{n}", f"hash-{n}", distinct(n))
    assert len(table) <= 72 * per_article
    assert "h:hash-499" in table
    assert "h:hash-0" not in table
    assert "s:a10" not in table


def test_a_signature_stored_before_entries_had_a_time_is_still_read_then_expired() -> None:
    table: dict[str, Any] = {}
    idx = DuplicateIndex(table, horizon_seconds=3600, clock=lambda: 10_000.0)
    idx.check_and_remember("a", "hash-1", STORY)
    table["s:a"] = table["s:a"]["sig"]  # the old format
    dup = idx.check_and_remember("b", "hash-2", EDITED)
    assert dup is not None
    assert dup.of == "a"
    assert idx.expire() == 1
    assert "s:a" not in table
