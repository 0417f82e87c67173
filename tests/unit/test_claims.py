"""Statements with speakers and cues, sourced statements, numeric claims."""

from __future__ import annotations

import pytest

from services.arabic.analyze import extract
from services.arabic.claims import ClaimFound, speaker_cuts
from services.arabic.tokenize import sentence_spans


def claims(text: str) -> list[ClaimFound]:
    return extract(text, sentence_spans(text)).claims


def content(text: str, claim: ClaimFound) -> str:
    return text[claim.content_start : claim.content_end]


def test_named_speaker_after_the_cue() -> None:
    text = "أكد وزير الخارجية الأمريكي، أنتوني بلينكن، في مقابلة أن الولايات المتحدة تسعى للسلام."
    [claim] = claims(text)
    assert claim.kind == "statement"
    assert claim.cue == "أكد"
    assert claim.speaker is not None
    assert claim.speaker.text == "أنتوني بلينكن"
    assert content(text, claim) == "الولايات المتحدة تسعى للسلام"


def test_speaker_before_the_cue_and_particle_in_the_cue() -> None:
    text = "بلينكن شدد على أن الولايات المتحدة لا ترغب في عملية برية."
    [claim] = claims(text)
    assert claim.cue == "شدد على"
    assert claim.speaker is not None
    assert claim.speaker.text == "بلينكن"


def test_continuation_resolves_to_the_last_speaker() -> None:
    text = "قال جو بايدن إن الاتفاق قريب. وأضاف أن المحادثات ستستمر."
    first, second = claims(text)
    assert second.speaker is not None
    assert second.speaker.entity_id == first.speaker.entity_id if first.speaker else False
    assert second.speaker.resolved_from == "continuation"


def test_title_phrase_as_speaker() -> None:
    text = "وقال المتحدث باسم الوزارة إن الاجتماع تأجل."
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.resolved_from == "title"
    assert claim.speaker.text == "المتحدث باسم الوزارة"


def test_source_without_a_verb() -> None:
    text = "يعد القرار نقطة خلاف جديدة، وفق صحيفة وول ستريت جورنال."
    [claim] = claims(text)
    assert claim.speaker is None
    assert claim.according_to is not None
    assert claim.according_to.text == "وول ستريت جورنال"
    assert content(text, claim) == "يعد القرار نقطة خلاف جديدة"


def test_numeric_claim_with_a_source() -> None:
    text = "أسفرت الحملة عن مقتل نحو 32 ألف شخص، وفقًا للسلطات الصحية."
    [claim] = claims(text)
    assert claim.kind == "numeric"
    assert claim.quantities[0].value == 32_000
    assert claim.according_to is not None


def test_sentence_without_cue_or_number_is_no_claim() -> None:
    assert claims("وصل الوفد إلى المدينة صباح اليوم.") == []


def test_governed_particle_opens_the_content() -> None:
    text = "وشدد الرئيس جو بايدن على أهمية حماية المدنيين."
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text == "جو بايدن"
    assert content(text, claim) == "أهمية حماية المدنيين"


def test_strict_verb_needs_its_particle() -> None:
    text = "وعبر البيت الأبيض عن قلقه من التصعيد."
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text == "البيت الأبيض"
    assert content(text, claim) == "قلقه من التصعيد"
    assert claims("وصل الوفد عبر القاهرة إلى غزة.") == []


def test_each_cue_at_a_clause_boundary_is_its_own_claim() -> None:
    text = "قال جو بايدن إن الاتفاق قريب، معتبرا أنه يخدم الجميع، وأشار إلى أن بلاده حذرت الأطراف."
    found = claims(text)
    assert [content(text, c) for c in found] == [
        "الاتفاق قريب",
        "يخدم الجميع",
        "بلاده حذرت الأطراف",
    ]
    assert all(c.speaker is not None and c.speaker.text == "جو بايدن" for c in found)


def test_reported_through_an_agency() -> None:
    text = "ونقلت وكالة رويترز عن مسؤول في الوزارة قوله إن الاتفاق قريب."
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text == "مسؤول في الوزارة"
    assert claim.according_to is not None
    assert claim.according_to.text == "وكالة رويترز"


def test_source_phrase_with_a_verb_names_the_speaker() -> None:
    text = "وبحسب ما ذكره مسؤول في الوزارة، فإن المحادثات ستستأنف غدا."
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text == "مسؤول في الوزارة"
    assert claim.according_to is None
    assert content(text, claim) == "المحادثات ستستأنف غدا"


def test_subject_before_a_relative_pronoun_speaks() -> None:
    text = "وأثار الهجوم معارضة من الولايات المتحدة، التي حذرت من وقوع خسائر كبيرة."
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text == "الولايات المتحدة"


def test_direct_quote_without_a_colon() -> None:
    text = 'وقال نائب الرئيس في كلمة متلفزة "لا نعترف بأي سعر آخر".'
    [claim] = claims(text)
    assert content(text, claim).startswith("لا نعترف بأي سعر آخر")
    assert claim.speaker is not None
    assert claim.speaker.text == "نائب الرئيس"


def test_governed_preposition_glued_to_the_content() -> None:
    text = "وأوصى خبراء بالحذر بشأن النتائج."
    [claim] = claims(text)
    assert content(text, claim) == "بالحذر بشأن النتائج"
    assert claim.speaker is not None
    assert claim.speaker.text == "خبراء"


def test_a_stray_quote_is_not_a_claim() -> None:
    assert claims('"، وفقا لدبلوماسيين.') == []


def test_a_duration_alone_is_not_a_numeric_claim() -> None:
    assert claims("وتدرس الحكومة وقف العمليات مدة ستة أسابيع.") == []
    [claim] = claims("وبلغت البطالة 2.3% وهو أدنى مستوى منذ 17 عاما.")
    assert [q.value for q in claim.quantities] == [2.3, 17]


def test_a_participle_speaks_for_the_subject_of_its_sentence() -> None:
    text = (
        "قال جو بايدن إن الوضع صعب. وواصلت الولايات المتحدة شحن الأسلحة، مؤكدة أنها مقتنعة بالحل."
    )
    _, second = claims(text)
    assert second.speaker is not None
    assert second.speaker.text == "الولايات المتحدة"
    assert second.speaker.resolved_from == "continuation"


def test_a_quoted_name_does_not_open_the_content() -> None:
    text = 'ويرى الخبراء في "ميرابو سيكيوريتيز" بجنيف أن الجلسة ستكون مهمة جدا.'
    [claim] = claims(text)
    assert content(text, claim) == "الجلسة ستكون مهمة جدا"


def test_a_quotation_opens_before_a_complementizer_inside_it() -> None:
    text = 'وقال خبير اقتصادي "حين تحدد سقفا للسعر عليك أن تكون قادرا على الالتزام به".'
    [claim] = claims(text)
    assert content(text, claim).startswith("حين تحدد سقفا")
    assert claim.speaker is not None
    assert claim.speaker.text == "خبير اقتصادي"


def test_a_name_before_its_role_is_the_speaker() -> None:
    text = "وتوصي مريم فارفيد، المشرفة على الدراسة في جامعة هارفارد، بتقليل تناول اللحوم."
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text == "مريم فارفيد"


def test_a_question_claims_nothing() -> None:
    assert claims('وقال المحللون "إلى أين سيصل التراجع؟" في تقريرهم.') == []


def test_a_denial_of_what_was_said() -> None:
    text = "ونفى وزير البترول ما تردد عن زيارة مزمعة له إلى إيران."
    [claim] = claims(text)
    assert content(text, claim) == "ما تردد عن زيارة مزمعة له إلى إيران"
    assert claim.speaker is not None
    assert claim.speaker.text == "وزير البترول"


def test_a_threat_right_after_its_verb() -> None:
    text = "والطبيب الذي يهدد بالانتقال للقطاع الخاص يعلم أن الرواتب هناك أقل."
    [claim] = claims(text)
    assert content(text, claim).startswith("بالانتقال للقطاع الخاص")


def test_a_far_away_complementizer_belongs_to_the_nearer_cue() -> None:
    text = (
        "ويُعتبر هذا الاتفاق الفرصة الأخيرة لتجنب الهجوم المحتمل على المدينة الحدودية في الجنوب "
        "خلال الأسابيع المقبلة، وعلى الرغم من ذلك أوضح نتنياهو للرئيس الأمريكي أنه لن يتراجع."
    )
    [claim] = claims(text)
    assert claim.cue == "أوضح"
    assert claim.speaker is not None
    assert claim.speaker.text == "نتنياهو"


def test_a_quotation_right_after_the_cue_has_no_speaker_inside_it() -> None:
    text = 'وقال الوزير إن المحادثات مستمرة. وتابع "بالطبع، إن فشلت المفاوضات فسنعود إلى الحرب".'
    first, second = claims(text)
    assert second.speaker is not None
    assert second.speaker.text == first.speaker.text if first.speaker else False
    assert content(text, second).startswith("بالطبع")


def test_a_cue_inside_a_quotation_is_part_of_it() -> None:
    text = 'وشدد الاتحاد على "ضرورة وقف القتال، ويحذر كل من يعرقل الحل السياسي".'
    [claim] = claims(text)
    assert claim.cue == "وشدد"
    assert "ويحذر" in content(text, claim)


def test_a_plural_participle_continues_its_speakers() -> None:
    text = 'ورأى المحللون أن الأسواق ستتعافى قريبا مضيفين "لا نتوقع انهيارا في الأسعار".'
    first, second = claims(text)
    assert second.cue == "مضيفين"
    assert second.speaker is not None
    assert first.speaker is not None
    assert second.speaker.text == first.speaker.text == "المحللون"
    assert content(text, second) == "لا نتوقع انهيارا في الأسعار"


def test_the_topic_of_amma_speaks() -> None:
    text = 'أما الاتحاد الأوروبي، فقد دعا في بيان جميع الأطراف إلى "ضبط النفس" فورا.'
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text == "الاتحاد الأوروبي"


def test_dhakara_dhalika_attributes_the_sentence_before() -> None:
    text = (
        "أغلقت البلدية 12 مطعما مخالفا هذا الشهر. ذكر ذلك رئيس البلدية خالد العتيبي في تصريح "
        "صحفي، مؤكدا أن الحملة مستمرة."
    )
    numeric, statement = claims(text)
    assert numeric.kind == "numeric"
    assert numeric.cue == "ذكر"
    assert numeric.speaker is not None
    assert numeric.speaker.text == "خالد العتيبي"
    assert [q.value for q in numeric.quantities] == [12]
    assert statement.cue == "مؤكدا"
    assert statement.speaker is not None
    assert statement.speaker.text == "خالد العتيبي"
    assert content(text, statement) == "الحملة مستمرة"


def test_a_question_names_who_speaks_next() -> None:
    text = 'وتساءل المحللون "إلى أين ستصل الأسعار؟" لكنهم اعتبروا أن الارتفاع مؤقت.'
    [claim] = claims(text)
    assert claim.cue == "اعتبروا"
    assert claim.speaker is not None
    assert claim.speaker.text == "المحللون"


def test_an_implied_count_alone_makes_no_numeric_claim() -> None:
    assert claims("وشارك الوفد في دورتين تدريبيتين.") == []
    [claim] = claims("أقامت الإدارة (10) دورات تنشيطية ودورتين تدريبيتين للمسعفين.")
    assert sorted(q.value for q in claim.quantities) == [2, 10]


def test_a_speaker_after_lil_gets_its_elided_alef_back() -> None:
    [claim] = claims("وأيدت الدراسة نتائج سابقة للأمم المتحدة قالت إن الجوع يتفاقم.")
    assert claim.speaker is not None
    assert claim.speaker.text == "الأمم المتحدة"


def test_a_manner_after_bihasab_is_no_source() -> None:
    [claim] = claims("وتشتري مصر 400 ألف طن شهريا بحسب الاتفاق الموقع بين البلدين.")
    assert claim.according_to is None


def test_a_source_cut_off_by_a_period_attributes_the_sentence_before() -> None:
    text = 'وقتل 12 شخصا في القصف. وفقا لـ"فرانس برس".'
    [claim] = claims(text)
    assert claim.kind == "numeric"
    assert claim.according_to is not None
    assert claim.according_to.text == "فرانس برس"


def test_a_direct_object_after_a_named_speaker_is_the_content() -> None:
    text = "ونفى نتنياهو وجود أي خلاف مع واشنطن."
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text == "نتنياهو"
    assert content(text, claim) == "وجود أي خلاف مع واشنطن"


def test_an_anaphoric_object_is_no_content() -> None:
    assert claims("ونفى الجيش الإسرائيلي ذلك في بيان.") == []


def test_a_vague_count_alone_makes_no_numeric_claim() -> None:
    assert claims("وتشكل ليبيا معبرا لآلاف المهاجرين الأفارقة.") == []


def test_a_bare_verb_speaks_for_the_person_acting_earlier_in_its_sentence() -> None:
    text = "قال جو بايدن إن الاتفاق قريب. ووجه محمد صلاح رسالة للجماهير قال فيها إن الفريق سيبقى."
    _, second = claims(text)
    assert second.speaker is not None
    assert second.speaker.text == "محمد صلاح"


def test_a_noun_of_people_right_before_the_verb_speaks() -> None:
    text = "وعرضت فرنسا مقترحات جديدة على الأمم المتحدة، لكن دبلوماسيين قالوا إنها غير كافية."
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text == "دبلوماسيين"


def test_a_conjoined_verb_speaks_for_the_main_subject_not_the_noun_before_it() -> None:
    text = "كما هاجم فرناندو ألونسو فريق فيراري وقال إن السباقات تتأثر بالسياسة."
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text == "فرناندو ألونسو"


def test_a_prepositional_phrase_after_the_verb_is_no_speaker() -> None:
    text = 'قال جو بايدن إن الاتفاق قريب. ويقول بصدد الهجوم: "المفاجئ ليس الحدث".'
    _, second = claims(text)
    assert second.speaker is not None
    assert second.speaker.text == "جو بايدن"


def test_a_word_starting_with_ba_is_not_a_governed_preposition() -> None:
    text = "وأفادت بيانات وزارة الصناعة بأن 70% من المصانع مغلقة."
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text.startswith("بيانات")


def test_sources_close_to_a_person_are_not_that_person() -> None:
    [claim] = claims("وقالت مصادر مقربة من نبيه بري إن الحوار سيستأنف الأسبوع المقبل.")
    assert claim.speaker is not None
    assert claim.speaker.text == "مصادر مقربة من نبيه بري"


def test_a_day_in_brackets_is_no_speaker() -> None:
    text = "قال جو بايدن إن الاتفاق قريب. وقال ( الخميس ) إن المحادثات مستمرة."
    _, second = claims(text)
    assert second.speaker is not None
    assert second.speaker.text == "جو بايدن"


def test_a_commitment_opens_its_content_at_the_governed_ba() -> None:
    text = "وتعهد الرئيس جو بايدن بمواصلة دعم المدنيين."
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text == "جو بايدن"
    assert content(text, claim) == "بمواصلة دعم المدنيين"


def test_insisting_and_attributing_are_cues() -> None:
    text = "وأصرت الحكومة على أن الاتفاق قائم. وأرجع الوزير ذلك إلى ارتفاع الأسعار."
    first, second = claims(text)
    assert content(text, first) == "الاتفاق قائم"
    assert second.cue == "وأرجع"
    assert content(text, second) == "ارتفاع الأسعار"


def test_a_belief_with_a_subject_is_a_claim_but_an_impersonal_one_is_not() -> None:
    [claim] = claims("ويعتقد خبراء أن الأزمة ستطول.")
    assert claim.speaker is not None
    assert claim.speaker.text == "خبراء"
    assert claims("أصيب المهاجم في التدريب، ويعتقد أن الإصابة خلع في الكتف.") == []


def test_a_mined_participle_continues_the_speaker() -> None:
    text = "قال جو بايدن إن الاتفاق قريب، نافيا أن يكون هناك خلاف."
    _, second = claims(text)
    assert second.cue == "نافيا"
    assert second.speaker is not None
    assert second.speaker.text == "جو بايدن"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("وأعلنت الحكومة هذا الأسبوع أنها لن ترفع الأسعار.", "الحكومة"),
        ("وقال المتحدث باسم الجيش يوم الاثنين إن القوات انسحبت.", "المتحدث باسم الجيش"),
        ("وقال مسؤول في الوزارة للصحيفة إن الاتفاق قريب.", "مسؤول في الوزارة"),
        ("وقال مسؤول في الوزارة لرويترز إن الاتفاق قريب.", "مسؤول في الوزارة"),
        (
            "وقال خبير اقتصادي يعمل لدى الحكومة وطلب عدم ذكر اسمه إن السعر سيرتفع.",
            "خبير اقتصادي يعمل لدى الحكومة",
        ),
    ],
)
def test_time_words_addressees_and_a_second_verb_are_not_part_of_the_speaker(
    text: str, speaker: str
) -> None:
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text == speaker


def test_a_title_adjective_that_looks_like_a_time_word_stays_in_the_speaker() -> None:
    [claim] = claims("وقال الأمين العام للحزب إن الانتخابات ستجرى في موعدها.")
    assert claim.speaker is not None
    assert claim.speaker.text == "الأمين العام للحزب"


def test_speaker_cut_rules_are_named_and_ordered_by_priority() -> None:
    assert [rule.name for rule in speaker_cuts()] == ["time", "addressee", "conjoined_cue"]


def test_an_organization_described_by_its_head_noun_is_the_one_named_earlier() -> None:
    text = "وقعت شركة أرامكو السعودية عقدا جديدا مع الحكومة. وقالت الشركة إن الإنتاج سيرتفع."
    [claim] = claims(text)
    assert claim.speaker is not None
    assert "أرامكو" in claim.speaker.text
    assert claim.speaker.entity_id is not None
    assert text[claim.speaker.start : claim.speaker.end] == "الشركة"  # the surface is kept


def test_a_description_with_no_matching_organization_before_it_stays_as_written() -> None:
    text = "وصل الوفد إلى القاهرة. وقالت الشركة إن الإنتاج سيرتفع."
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text == "الشركة"


def test_a_match_report_makes_no_numeric_claim() -> None:
    assert claims("وفاز الهلال على النصر 2-1 بهدف سجله المهاجم في الدقيقة 90.") == []


@pytest.mark.parametrize(
    "text",
    [
        "وسجل للفريق المهاجم صالح (12) والظهير ماني (31) قبل أن يقلص الضيوف الفارق.",
        "وفاز يوفنتوس 3-صفر على ضيفه في المرحلة الأخيرة.",
        "وحملت الأهداف توقيع كوستا في الدقائق 45 و60 و75 من اللقاء.",
        "واحتل المنتخب المركز 65 في التصنيف الشهري.",
    ],
)
def test_goal_minutes_scores_and_ranks_make_no_numeric_claim(text: str) -> None:
    assert claims(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "وقصفت المطار طائرتان من طراز إف-15 انطلاقا من الأجواء اللبنانية.",
        "وتتراوح أعمار المعتقلين بين 18 و21 عاما.",
        "وحدد المعهد يوم الثلاثاء 26 /11 /1436هـ موعدا لاستقبال الوثائق.",
        "وأعد مرسوم ملكي بذلك. 2 - الموافقة على اتفاقية حماية التراث.",
    ],
)
def test_models_age_ranges_dates_and_list_items_make_no_numeric_claim(text: str) -> None:
    assert [c for c in claims(text) if c.kind == "numeric"] == []


def test_a_bracketed_count_makes_a_numeric_claim_with_its_noun() -> None:
    text = "وأقامت الإدارة (12) دورة لدعم الحياة الأساسي استفاد منها (79) متدربا."
    [claim] = claims(text)
    assert claim.kind == "numeric"
    assert [
        (q.value, text[q.what[0] : q.what[1]] if q.what else None) for q in claim.quantities
    ] == [
        (12, "دورة"),
        (79, "متدربا"),
    ]


def test_a_condemnation_opens_its_content_at_the_governed_ba() -> None:
    text = "ونددت وزارة الخارجية بالهجوم على السفارة."
    [claim] = claims(text)
    assert content(text, claim) == "بالهجوم على السفارة"


def test_a_two_letter_cue_keeps_its_conjunction() -> None:
    text = "وحث الوزير على ضبط النفس."
    [claim] = claims(text)
    assert claim.cue == "وحث"
    assert content(text, claim) == "ضبط النفس"


def test_a_quotation_over_several_sentences_is_one_claim() -> None:
    text = (
        'وقال إسماعيل كاظمي "نجلس هنا بلا حراك. لا نستطيع إجراء صفقات، وقال لنا التجار إن '
        'السوق متوقفة. الأفضل ألا نفعل شيئا". وارتفع الدولار 8 في المئة.'
    )
    statement, numeric = claims(text)
    assert content(text, statement) == (
        "نجلس هنا بلا حراك. لا نستطيع إجراء صفقات، وقال لنا التجار إن السوق متوقفة. "
        "الأفضل ألا نفعل شيئا"
    )
    assert numeric.kind == "numeric"


def test_a_quotation_closed_in_its_sentence_does_not_run_on() -> None:
    text = 'وقال الوزير "لن نتراجع". وقال المتحدث إن "الحوار مستمر" مع الجميع.'
    assert len(claims(text)) == 2


def test_the_content_follows_a_saying_noun_after_the_speaker() -> None:
    text = "ونقل جون كيربي، المتحدث باسم البيت الأبيض، تأكيده على استعداد إسرائيل للتعاون."
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text == "جون كيربي"
    assert content(text, claim) == "استعداد إسرائيل للتعاون"


def test_a_saying_noun_before_inna_leaves_the_content_to_inna() -> None:
    text = "ونقلت وكالة رويترز عن مسؤول قوله إن الاتفاق قريب."
    [claim] = claims(text)
    assert content(text, claim) == "الاتفاق قريب"


def test_a_cue_after_a_contrasting_anna_opens_a_new_claim() -> None:
    text = 'واعتبر المحللون أن "التراجع قد يستمر"، إلا أنهم يرون أن السيولة وافية.'
    first, second = claims(text)
    assert content(text, first).strip('"') == "التراجع قد يستمر"
    assert second.cue == "يرون"
    assert content(text, second) == "السيولة وافية"
    assert second.speaker is not None
    assert second.speaker.text == "المحللون"


# Quotations over several sentences (issue 12, item 4)


def test_a_quotation_after_a_colon_runs_to_its_closing_mark() -> None:
    text = 'وقال المدرب سامر الخطيب: "لعبنا بشجاعة. لم يحالفنا الحظ. سنعود أقوى". وانتهت المباراة.'
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text == "سامر الخطيب"
    assert content(text, claim).strip('"') == "لعبنا بشجاعة. لم يحالفنا الحظ. سنعود أقوى"


def test_a_quotation_opened_inside_the_content_runs_to_its_closing_mark() -> None:
    text = "وأكد رئيس النادي أن الفريق «لن يبيع لاعبيه. الميزانية تسمح بالبقاء». وسافر الفريق."
    [claim] = claims(text)
    assert content(text, claim) == "الفريق «لن يبيع لاعبيه. الميزانية تسمح بالبقاء"


def test_a_quotation_reopened_at_each_paragraph_is_one_claim() -> None:
    text = "وقالت الطبيبة هالة منصور: «المرض ينتشر في الشتاء.\n«الوقاية تبدأ بغسل اليدين»."
    [claim] = claims(text)
    assert content(text, claim) == "«المرض ينتشر في الشتاء.\n«الوقاية تبدأ بغسل اليدين"


def test_a_cue_ending_its_sentence_with_a_colon_takes_the_quotation_on_the_next_line() -> None:
    text = "وكتب الروائي عادل حسين:\n«الكتابة صبر طويل. والقارئ شريك في النص»."
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text == "عادل حسين"
    assert content(text, claim) == "الكتابة صبر طويل. والقارئ شريك في النص"


def test_words_after_a_colon_without_a_quotation_are_a_list_not_speech() -> None:
    text = "وأوضح المدير أن للخطة أهدافا، وأضاف:\n1- تحسين الخدمات.\n2- خفض التكاليف."
    [claim] = claims(text)
    assert claim.cue == "وأوضح"


def test_a_quotation_standing_alone_after_a_statement_goes_on_with_its_speaker() -> None:
    text = (
        "وأوضح المهندس أحمد سالم أن الجسر سيفتح في الربيع. "
        "«العمل يسير بلا توقف، والعمال يتناوبون ليلا ونهارا»."
    )
    first, second = claims(text)
    assert second.speaker is not None
    assert first.speaker is not None
    assert second.speaker.text == first.speaker.text == "أحمد سالم"
    assert second.speaker.resolved_from == "continuation"
    assert content(text, second) == "العمل يسير بلا توقف، والعمال يتناوبون ليلا ونهارا"


def test_a_quoted_name_opening_a_sentence_is_not_a_quotation() -> None:
    text = "وأوضح المهندس أحمد سالم أن الجسر سيفتح في الربيع. «الجسر الجديد» يربط ضفتي النهر."
    assert len(claims(text)) == 1


def test_a_short_quotation_after_a_statement_is_not_taken_for_speech() -> None:
    text = "وأوضح المهندس أحمد سالم أن الجسر سيفتح في الربيع. «الجسر الجديد»."
    assert len(claims(text)) == 1


def test_a_statement_relayed_inside_another_speech_is_the_relayed_speaker_s() -> None:
    text = "وقال المحامي سليم داود إن القاضي منير حلبي أكد أن الجلسة ستعقد علنا."
    [claim] = claims(text)
    assert claim.cue == "أكد"
    assert claim.speaker is not None
    assert claim.speaker.text == "منير حلبي"
    assert claim.according_to is not None
    assert claim.according_to.text == "سليم داود"
    assert content(text, claim) == "الجلسة ستعقد علنا"


def test_a_relayed_speaker_may_be_a_title_with_the_listener_after_the_cue() -> None:
    text = "وأوضح رئيس البلدية أن وزير النقل أكد له أن الطريق سيفتح قريبا."
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text == "وزير النقل"
    assert claim.according_to is not None
    assert claim.according_to.text == "رئيس البلدية"
    assert content(text, claim) == "الطريق سيفتح قريبا"


def test_a_speaker_speaking_of_himself_relays_nothing() -> None:
    text = "وقال المحامي سليم داود إنه أكد للقاضي أن موكله بريء."
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text == "سليم داود"
    assert claim.according_to is None


def test_a_belief_or_a_finding_inside_speech_is_not_relayed() -> None:
    for text in (
        "وقال المحامي سليم داود إن الخبراء يعتقدون أن الأدلة ضعيفة.",
        "وقال المحامي سليم داود إن الطرفين توصلا إلى أن التسوية أفضل.",
    ):
        [claim] = claims(text)
        assert claim.speaker is not None
        assert claim.speaker.text == "سليم داود"
        assert claim.according_to is None


def test_words_quoted_through_naqlan_an_are_the_quoted_speaker_s() -> None:
    text = "وذكرت الإذاعة الرسمية، نقلا عن مصادر أمنية، أن الحدود أغلقت."
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text == "مصادر أمنية"
    assert claim.according_to is not None
    assert claim.according_to.text == "الإذاعة الرسمية"
    assert content(text, claim) == "الحدود أغلقت"


# Attribution after the words (حسبما قال، على حد قول)


def test_hasbama_with_a_verb_after_the_words_names_their_speaker() -> None:
    text = "وأغلقت المدارس أبوابها، حسبما قال المتحدث باسم الوزارة رامي عيسى."
    [claim] = claims(text)
    assert claim.kind == "statement"
    assert claim.cue == "حسبما قال"
    assert claim.speaker is not None
    assert claim.speaker.text == "رامي عيسى"
    assert claim.according_to is None
    assert content(text, claim) == "وأغلقت المدارس أبوابها"


def test_hasbama_before_the_words_names_their_speaker() -> None:
    text = "وحسبما أفادت الشركة المشغلة، فإن الرحلات ستستأنف غدا."
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text == "الشركة المشغلة"
    assert content(text, claim) == "الرحلات ستستأنف غدا"


def test_ala_hadd_qawlihi_gives_the_words_to_the_last_speaker() -> None:
    text = "وقال الخبير نادر سليم إن السوق مستقرة. والطلب لن يتراجع، على حد تعبيره."
    first, second = claims(text)
    assert second.cue == "على حد تعبيره"
    assert second.speaker is not None
    assert first.speaker is not None
    assert second.speaker.text == first.speaker.text == "نادر سليم"
    assert content(text, second) == "والطلب لن يتراجع"


def test_hasbama_without_a_cue_verb_attributes_nothing() -> None:
    assert claims("وتراجعت الأسعار في الأسواق، حسبما يبدو.") == []


# A content clause after a noun-phrase setting


def test_a_statement_after_a_fronted_setting_phrase() -> None:
    text = "وفي بيان صدر مساء الأحد، أكدت الوزارة أن الامتحانات ستجري في موعدها."
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text == "الوزارة"
    assert content(text, claim) == "الامتحانات ستجري في موعدها"


# A second statement joined by a linker (فيما، بينما، في حين، في الوقت الذي ... فيه، لكن)


@pytest.mark.parametrize(
    "linker",
    ["فيما أكد", "بينما أكد", "في حين أكد", "في الوقت الذي أكد فيه"],
)
def test_a_linker_opens_a_second_statement_in_the_sentence(linker: str) -> None:
    text = (
        f"وقالت الوزيرة ريم ناصر إن المستشفى سيفتح، {linker} المحلل سامي الحربي أن الأطباء جاهزون."
    )
    first, second = claims(text)
    assert content(text, first) == "المستشفى سيفتح"
    assert second.speaker is not None
    assert second.speaker.text == "سامي الحربي"
    assert content(text, second) == "الأطباء جاهزون"


def test_a_subject_between_lakin_and_the_cue_opens_a_second_statement() -> None:
    text = "وقالت الوزيرة ريم ناصر إن المستشفى سيفتح، لكن المحلل سامي الحربي قال إن الأطباء غائبون."
    first, second = claims(text)
    assert content(text, first) == "المستشفى سيفتح"
    assert second.speaker is not None
    assert second.speaker.text == "سامي الحربي"
    assert content(text, second) == "الأطباء غائبون"


def test_kama_with_a_cue_goes_on_with_the_same_speaker() -> None:
    text = "وقالت الوزيرة ريم ناصر إن المستشفى سيفتح، كما أكدت أن الأجهزة وصلت."
    first, second = claims(text)
    assert content(text, first) == "المستشفى سيفتح"
    assert second.speaker is not None
    assert first.speaker is not None
    assert second.speaker.text == first.speaker.text
    assert content(text, second) == "الأجهزة وصلت"


def test_a_cue_inside_a_content_clause_without_a_linker_stays_in_it() -> None:
    text = "وقالت الوزيرة ريم ناصر إن المستشفى الذي أعلنت عنه سيفتح قريبا."
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text == "ريم ناصر"


# A long apposition between the speaker and إن


def test_a_long_apposition_set_off_by_commas_still_leads_to_the_content() -> None:
    text = (
        "وقال مدير المستشفى الجامعي في المدينة، الدكتور سامي الحربي، الذي يتولى إدارة "
        "المستشفى منذ افتتاحه قبل عشر سنوات في الحي الشرقي، إن الأسرة الجديدة وصلت."
    )
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text == "سامي الحربي"
    assert content(text, claim) == "الأسرة الجديدة وصلت"


def test_a_far_complementizer_without_a_closing_comma_is_not_the_cue_s() -> None:
    text = (
        "وقالت مديرة المستشفى الجامعي في المدينة، الدكتورة سلمى حداد، في حفل افتتاح الجناح "
        "الجديد الذي حضره عدد كبير من الأطباء والممرضين والمرضى وذويهم بعد أن أكملت البلدية "
        "الطريق."
    )
    assert claims(text) == []


# Speakers: a participle after the cue, كان ... قد, a title before the verb


def test_a_participle_after_a_continuation_cue_is_not_the_speaker() -> None:
    text = "قال المحلل سامي الحربي إن السوق مستقرة. وتابع قائلا إن الطلب سيرتفع."
    first, second = claims(text)
    assert second.speaker is not None
    assert first.speaker is not None
    assert second.speaker.text == first.speaker.text == "سامي الحربي"


def test_the_subject_between_kana_and_qad_speaks() -> None:
    text = "وكان المتحدث قد أعلن أن الرحلات ستستأنف."
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text == "المتحدث"


def test_a_title_right_before_the_verb_speaks() -> None:
    text = "والوزير قال إن الميزانية جاهزة."
    [claim] = claims(text)
    assert claim.speaker is not None
    assert claim.speaker.text == "الوزير"
