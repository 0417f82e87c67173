"""Numbers: digits, Arabic-Indic digits, scales, words and qualifiers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.arabic.analyze import quantities_in
from services.arabic.normalize import fold
from services.arabic.numbers import _QUANTITY, _quantity_matches, parse_number


@pytest.mark.parametrize(
    ("text", "value", "qualifier", "what"),
    [
        ("أسفرت عن مقتل نحو 32 ألف شخص", 32_000, "approximate", "شخص"),
        ("سقط ٣٢ ألفاً من الضحايا", 32_000, "exact", "الضحايا"),
        ("إطلاق سراح 40 أسير إسرائيلي", 40, "exact", "أسير"),
        ("وقف إطلاق النار مدة ستة أسابيع", 6, "exact", "أسابيع"),
        ("ارتفعت الأسعار بنسبة 9 في المائة", 9, "exact", None),
        ("بلغت الخسائر أكثر من 3.5 مليار دولار", 3_500_000_000, "at_least", "دولار"),
        ("حيث يقيم أكثر من مليون فلسطيني", 1_000_000, "at_least", "فلسطيني"),
        ("شحنة تقدر بـ700.000 طن", 700_000, "exact", "طن"),
        ("بلغ التراجع -3,43% في بورصة باريس", -3.43, "exact", None),
        ("فاز بخمس بطولات", 5, "exact", "بطولات"),
        ("حصل على 118 ألف و118 صوتا", 118_118, "exact", "صوتا"),
    ],
)
def test_quantities(text: str, value: float, qualifier: str, what: str | None) -> None:
    """Value, qualifier and the counted noun as written in the text."""
    found = quantities_in(text)
    assert len(found) == 1
    assert found[0].value == pytest.approx(value)
    assert found[0].qualifier == qualifier
    counted = found[0].what
    assert (text[counted[0] : counted[1]] if counted else None) == what


@pytest.mark.parametrize(
    ("text", "value", "what"),
    [
        ("أسفر القصف عن مقتل شخصين", 2, "شخصين"),
        ("أطلقت الفصائل صاروخين على المدينة", 2, "صاروخين"),
        ("نظمت الجمعية ودورتين للمسعفين", 2, "دورتين"),
        ("أقيمت دورة واحدة لإعداد المدربين", 1, "دورة"),
    ],
)
def test_duals_and_one_imply_a_count(text: str, value: float, what: str) -> None:
    [q] = quantities_in(text)
    assert q.weak
    assert q.value == value
    assert q.what is not None
    assert text[q.what[0] : q.what[1]] == what


@pytest.mark.parametrize(
    "text", ["دعا إلى حل الدولتين", "وصلوا في وقت واحد", "قتل عدد من المسلحين في الاشتباكات"]
)
def test_a_defined_dual_an_idiom_or_a_sound_plural_implies_no_count(text: str) -> None:
    assert [q for q in quantities_in(text) if q.weak] == []


@pytest.mark.parametrize(
    "text", ["ويلاقي مئات المهاجرين حتفهم", "مدت مصر بمليارات الدولارات", "قتل عشرات المسلحين"]
)
def test_vague_plural_counts_are_weak(text: str) -> None:
    [q] = quantities_in(text)
    assert q.weak
    assert q.qualifier == "at_least"


@pytest.mark.parametrize(
    "text",
    [
        "خرج الفريق من ربع النهائي",
        "في الدور الـ32 من البطولة",
        "ناقش الوزيران القرار رقم 1701 والخاص بلبنان",
        "يعرض البرنامج في 10 بتوقيت مكة المكرمة",
        "تبدأ الجلسة الساعة 9 صباحا",
        "وضع الأسس في القرن التاسع عشر فقد",
        "5 - توفير المرونة في تكوين المنحنى",
        "تقع على حدود تركمنستان وأفغانستان وكردستان",
        "ناقش الطرفان قرار مجلس الأمن 1701 والقرار 242",
    ],
)
def test_numbers_used_as_names_are_not_quantities(text: str) -> None:
    assert quantities_in(text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("بلغت قيمتها 405 ملايين و24 ألف دولار", 405_024_000),
        ("قتل ثلاثة عشر شخصا في الهجوم", 13),
        ("وقع الانفجار بعد ساعتين ونصف من ذلك", 2.5),
        ("تبلغ مساحتها 1412 كم2 تقريبا", 1412),
    ],
)
def test_compound_numbers(text: str, value: float) -> None:
    [q] = quantities_in(text)
    assert q.value == pytest.approx(value)


def test_dates_and_years_are_not_quantities() -> None:
    assert quantities_in("بدأت الحرب في 7 أكتوبر عام 2023") == []


def test_offsets_point_at_the_number_in_the_original_text() -> None:
    text = "قُتل نحو ٣٢ ألف شخص"
    [q] = quantities_in(text)
    assert text[q.start : q.end] == "نحو ٣٢ ألف شخص"


@given(st.integers(min_value=0, max_value=10**12))
def test_grouped_integers_parse_back(n: int) -> None:
    assert parse_number(f"{n:,}") == n
    assert parse_number(f"{n:,}".replace(",", ".")) == n
    assert parse_number(str(n)) == n


def test_one_or_two_decimals_are_decimals_and_percent_commas_too() -> None:
    assert parse_number("3.5") == 3.5
    assert parse_number("3,43") == 3.43
    assert parse_number("2,758", percent=True) == 2.758
    assert parse_number("1,234.5") == 1234.5


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=99))
def test_decimals_parse_back(whole: int, frac: int) -> None:
    assert parse_number(f"{whole}.{frac:02d}") == pytest.approx(whole + frac / 100)


def test_signed_percentages_after_a_conjunction() -> None:
    values = [q.value for q in quantities_in("بلغ التراجع -3,43% في باريس و-3,5% في لندن")]
    assert values == [-3.43, -3.5]


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
SCALES = {"ألف": 1_000, "مليون": 1_000_000, "مليار": 1_000_000_000}


@given(
    st.integers(min_value=1, max_value=999),
    st.sampled_from(sorted(SCALES)),
    st.booleans(),
    st.sampled_from(["نحو", "حوالي", "أكثر من", "أقل من", ""]),
)
def test_written_quantities_normalize_to_their_value(
    n: int, scale: str, indic: bool, qualifier: str
) -> None:
    digits = str(n).translate(ARABIC_INDIC) if indic else str(n)
    text = f"قتل {qualifier} {digits} {scale} شخص".replace("  ", " ")
    [q] = quantities_in(text)
    assert q.value == n * SCALES[scale]
    expected = {
        "نحو": "approximate",
        "حوالي": "approximate",
        "أكثر من": "at_least",
        "أقل من": "at_most",
        "": "exact",
    }[qualifier]
    assert q.qualifier == expected
    assert q.what is not None
    assert text[q.what[0] : q.what[1]] == "شخص"


NUMBER_PIECES = st.sampled_from(
    [
        *"ابتثجحخدذرسشصضطظعغفقكلمنهوية 0123456789-.,%",
        *("نحو ", "أكثر من ", "ألف", "مليون", " و", "ثلاث", "بنحو ", "ما يزيد عن "),
        *("في المائة", "آلاف ", "خمسة ", "لثلاثة ", "-مليون "),
    ]
)


@given(st.lists(NUMBER_PIECES, max_size=60).map("".join))
def test_the_anchored_scan_finds_what_a_full_scan_finds(text: str) -> None:
    """Trying the pattern only at number anchors is an optimization, never a change."""
    folded = fold(text)
    full = [(m.start(), m.end()) for m in _QUANTITY.finditer(folded)]
    anchored = [(m.start(), m.end()) for m in _quantity_matches(folded)]
    assert anchored == [span for span in full if span[1] > span[0]]


@pytest.mark.parametrize(
    "text",
    [
        "فاز الفريق 2-1 على منافسه",
        "انتهت المباراة بنتيجة 3 - 0",
        "سجل المهاجم في الدقيقة 45 من اللقاء",
        "وعند الساعة 20:10 ت غ أغلقت البورصة",
        "نشر في العدد الصادر بتاريخ 27/7/2015",
        "نشرت في 1436/10/12",
        "أقيمت خلال العام الهجري 1436هـ",
    ],
)
def test_scores_match_minutes_clock_times_and_dates_are_not_quantities(text: str) -> None:
    assert quantities_in(text) == []


def test_a_range_with_a_scale_is_still_a_quantity() -> None:
    assert 4000 in [q.value for q in quantities_in("انتشر 3-4 آلاف جندي في المدينة")]


@pytest.mark.parametrize(
    "text",
    [
        "سجل للفريق المهاجم صالح (12) والظهير ماني (31) في الشوط الأول",
        "تقدم الفريق على ضيفه في الترتيب (+6) وتراجع منافسه (-3)",
        "فاز الفريق 3-صفر على ضيفه",
        "بعد خسارته صفر-2 أمام كوريا",
        "وانتهت المباراة لصالح الضيوف 2-1.",
        "وجاءت الأهداف في الدقائق 45 و60 و75 من اللقاء",
        "حل المنتخب في المركز 65 ضمن التصنيف الشهري",
        "وكانت المملكة قد جاءت في المرتبة 62 في تقرير العام الماضي",
        "بلغ الفريق الدور ربع النهائية",
    ],
)
def test_match_minutes_scores_and_ranks_are_not_quantities(text: str) -> None:
    assert quantities_in(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "قصفت المطار طائرة من طراز إف-16",
        "أطلقت الشركة نظام (iOS9) لهواتفها",
        "سقطت مروحية من طراز إيه.إس350 قرب الحدود",
        "قال الوزير لإذاعة أوروبا 1 إن المحادثات مستمرة",
        'قدمت الشركة نسخة جديدة من جهاز "3310" العام الماضي',
        "يتقبل العزاء على جوال ابنه 0555855864",
        "بدأت المفاوضات مع مجموعة 5+1 في جنيف",
        "أدان الوزير خرق القرارين 2216 و2231",
    ],
)
def test_numbers_in_names_models_and_phone_numbers_are_not_quantities(text: str) -> None:
    assert quantities_in(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "عمل رئيسا لتحرير المجلة 1411 - 1412هـ",
        "وكان مستشارا لوزارة الإعلام 97 - 1999م",
        "حدث التطبيق إلى الإصدار 2.18.61 على الهواتف",
        "وقال أحد أنصاره لفرانس24 إنه سيصوت له",
    ],
)
def test_spans_of_years_versions_and_names_glued_to_a_number_are_not_quantities(
    text: str,
) -> None:
    assert quantities_in(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "تدخل العقوبات حيز التنفيذ في 22 من أغسطس المقبل",
        "حدد المعهد يوم الثلاثاء 26 /11 /1436هـ موعدا لاستقبال الوثائق",
        "وصل الوفد في 2 الشهر الجاري",
        "وعند الساعة 11,00 ت غ أغلقت البورصة",
        "وافق المجلس على الاتفاقية وأعد مرسوم بذلك. 2 - الموافقة على تعيين المستشار",
    ],
)
def test_dates_clock_times_and_list_items_within_a_line_are_not_quantities(text: str) -> None:
    assert quantities_in(text) == []


def counted(text: str) -> list[tuple[float, str | None]]:
    """Each quantity's value and counted noun as written."""
    return [(q.value, text[q.what[0] : q.what[1]] if q.what else None) for q in quantities_in(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("سجل اللاعبون الثلاثة 21 و17 و16 نقطة", [(21, "نقطة"), (17, "نقطة"), (16, "نقطة")]),
        ("يقدر عدد المشاركين بين 400 أو 500 شخص", [(400, "شخص"), (500, "شخص")]),
        ("يتراوح طوله من 15 إلى 30 مترا", [(15, "مترا"), (30, "مترا")]),
        ("بلغت الخسائر 2.5-3 ملايين دولار", [(2_500_000, "دولار"), (3_000_000, "دولار")]),
        ("من 300 إلى 3 آلاف شخص", [(300, "شخص"), (3000, "شخص")]),
    ],
)
def test_numbers_joined_in_a_list_or_range_share_the_last_ones_noun_and_scale(
    text: str, expected: list[tuple[float, str]]
) -> None:
    assert counted(text) == expected


def test_numbers_joined_in_a_range_share_the_percent_sign() -> None:
    found = quantities_in("ارتفعت الأسعار بنسبة تراوحت بين 5 و7 بالمئة")
    assert [(q.value, q.unit) for q in found] == [(5, "%"), (7, "%")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وأقيمت للجمهور (12) دورة تدريبية", [(12, "دورة")]),
        ("سقطت المركبة من ارتفاع «200» متر", [(200, "متر")]),
        ("فر نحو 700 ألف من الروهينغا إلى بنغلاديش", [(700_000, "الروهينغا")]),
        ("وأعلن الجيش مقتل 46 من جنوده", [(46, "جنوده")]),
        ("صوت 14 من أصل 15 عضوا لصالح القرار", [(14, "عضوا"), (15, "عضوا")]),
        ("تصاب 14 من مجموعة 100 امرأة بالمرض", [(14, "امرأة"), (100, "امرأة")]),
        ("هناك 500 متسلق في البحيرة و60 في القمة", [(500, "متسلق"), (60, None)]),
        ("وبلغ عدد عناصر الشرطة 2900 الذين جندوا للبحث", [(2900, None)]),
        ("توفي الفنان عن 75عاما", [(75, "عاما")]),
        ("اختطفت الجماعة 110 #تلميذات_مفقودات من مدرستهن", [(110, "تلميذات")]),
        ("وثق المركز 17 حالة انتهاك خلال الشهر", [(17, "حالة")]),
        ("قتل 15 مسلحا هذا العام", [(15, "مسلحا")]),
    ],
)
def test_the_counted_noun_is_a_noun_not_a_preposition_or_relative(
    text: str, expected: list[tuple[float, str | None]]
) -> None:
    assert counted(text) == expected


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("تجاوزت نسبة المقاعد ٧٠ ٪ من الإجمالي", 70, "%"),
        ("وتمثل نحو60 بالمئة من الأصوات", 60, "%"),
    ],
)
def test_percent_signs_and_a_missing_space(text: str, value: float, unit: str) -> None:
    [q] = quantities_in(text)
    assert (q.value, q.unit) == (value, unit)


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("قتل 14 شخصا على الأقل في الهجوم", "at_least"),
        ("يبلغ طول الجسر 500 متر تقريبا", "approximate"),
        ("أغلقت البورصة على خسارة تزيد عن 5%", "at_least"),
        ("ستستقبل ما يصل إلى 20 ألف لاجئ", "at_most"),
        ("حضر الحفل ما يناهز 300 شخص", "approximate"),
    ],
)
def test_qualifiers_before_the_number_and_after_the_noun(text: str, qualifier: str) -> None:
    [q] = quantities_in(text)
    assert q.qualifier == qualifier
