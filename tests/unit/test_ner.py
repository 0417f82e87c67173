"""The CRF tagger: clitic splitting, features, BIO spans, training, and decoding parity."""

from __future__ import annotations

from pathlib import Path

import pycrfsuite
import pytest

from services.arabic.ner import (
    Featurizer,
    Span,
    Tagger,
    read_crfsuite,
    spans_from_labels,
    split_clitics,
    write_compact,
)
from services.arabic.ner_train import (
    TrainConfig,
    coarse_label,
    glue_conjunctions,
    read_conll,
    train,
    vocabulary,
    wikifane_label,
)


@pytest.mark.parametrize(
    ("word", "prefix", "stem"),
    [
        ("وبالبيت", "وب", "البيت"),
        ("للبيت", "ل", "البيت"),
        ("والقدس", "و", "القدس"),
        ("وإسرائيل", "و", "إسرائيل"),
        ("لبنان", "", "لبنان"),
        ("بغداد", "", "بغداد"),
    ],
)
def test_split_clitics(word: str, prefix: str, stem: str) -> None:
    from services.arabic.normalize import fold

    assert split_clitics(fold(word)) == (fold(prefix), fold(stem))


def test_bio_spans_conlleval_style() -> None:
    labels = ["B-PER", "I-PER", "O", "I-LOC", "B-ORG", "I-LOC"]
    assert spans_from_labels(labels) == [
        Span(0, 2, "PER"),
        Span(3, 4, "LOC"),
        Span(4, 5, "ORG"),
        Span(5, 6, "LOC"),
    ]


def test_label_mapping() -> None:
    assert coarse_label("B-PERS") == "B-PER"
    assert coarse_label("I-MIS2") == "I-MISC"
    assert wikifane_label("B-Politician") == "B-PER"
    assert wikifane_label("I-Population-Center") == "I-LOC"
    assert wikifane_label("B-Group") == "O"  # peoples (العرب) are not names here


def test_wikifane_quirks_and_glued_conjunction(tmp_path: Path) -> None:
    raw = "\ufeff\u200eزار\tO\r\n\u200eو\tO\r\n\u200eباريس\tB-Population-Center\r\n\r\n"
    path = tmp_path / "w.txt"
    path.write_bytes(raw.encode("utf-8"))
    from services.arabic.ner_train import read_wikifane

    assert list(read_wikifane(path)) == [(["زار", "وباريس"], ["O", "B-LOC"])]
    assert glue_conjunctions((["و", "و"], ["O", "O"])) == (["و", "و"], ["O", "O"])


def test_features_are_memoized_per_word_form() -> None:
    featurizer = Featurizer()
    first = featurizer.word("وبالبيت")
    assert featurizer.word("وبالبيت") is first
    assert "s=البيت" in first[0]
    assert "p=وب" in first[0]


SENTENCES = [
    (["قال", "أنتوني", "بلينكن", "في", "واشنطن"], ["O", "B-PER", "I-PER", "O", "B-LOC"]),
    (["زار", "بلينكن", "القاهرة", "أمس"], ["O", "B-PER", "B-LOC", "O"]),
    (["أعلنت", "حركة", "حماس", "في", "غزة"], ["O", "B-ORG", "I-ORG", "O", "B-LOC"]),
    (["وقال", "المتحدث", "باسم", "البيت", "الأبيض"], ["O", "O", "O", "B-ORG", "I-ORG"]),
    (["وصل", "الوزير", "إلى", "باريس", "ولندن"], ["O", "O", "O", "B-LOC", "B-LOC"]),
] * 4


def test_training_smoke_and_decoder_matches_crfsuite(tmp_path: Path) -> None:
    import pycrfsuite

    model = tmp_path / "tiny.crfsuite"
    config = TrainConfig(max_iterations=30)
    train([(s, "news") for s in SENTENCES], model, config, None)
    ours = Tagger(model)
    reference = pycrfsuite.Tagger()
    reference.open(str(model))
    featurizer = Featurizer()
    for words in (
        ["قال", "بلينكن", "في", "القاهرة"],
        ["أعلنت", "حماس", "وصل", "الوزير", "إلى", "واشنطن"],
        ["كلمة"],
    ):
        assert ours.tag(words) == reference.tag(featurizer.sequence(words))
    assert ours.tag(["زار", "بلينكن", "القاهرة", "أمس"]) == ["O", "B-PER", "B-LOC", "O"]


def test_domain_adapted_model_decodes_with_news_weights(tmp_path: Path) -> None:
    import pycrfsuite

    model = tmp_path / "adapted.crfsuite"
    data = [(s, "news") for s in SENTENCES[:5]] + [(s, "wiki") for s in SENTENCES[5:10]]
    train(data, model, TrainConfig(max_iterations=30, domain_adapt=True), None)
    reference = pycrfsuite.Tagger()
    reference.open(str(model))
    featurizer = Featurizer()
    words = ["قال", "بلينكن", "في", "القاهرة"]
    attrs = [[*a, *(f"news|{x}" for x in a)] for a in featurizer.sequence(words)]
    assert Tagger(model).tag(words) == reference.tag(attrs)


def test_the_compact_model_decodes_like_the_crfsuite_file(tmp_path: Path) -> None:
    model = tmp_path / "adapted.crfsuite"
    data = [(s, "news") for s in SENTENCES[:5]] + [(s, "wiki") for s in SENTENCES[5:10]]
    train(data, model, TrainConfig(max_iterations=30, domain_adapt=True), None)
    compact = tmp_path / "adapted.crf.gz"
    write_compact(read_crfsuite(model), compact, prune_below=0.0)
    for words in (["قال", "بلينكن", "في", "القاهرة"], ["أعلنت", "حماس", "من", "واشنطن"]):
        assert Tagger(compact).tag(words) == Tagger(model).tag(words)
    again = tmp_path / "again.crf.gz"
    write_compact(read_crfsuite(model), again, prune_below=0.0)
    assert again.read_bytes() == compact.read_bytes()  # retraining reproduces the file


def test_a_file_that_is_not_a_compact_model_is_refused(tmp_path: Path) -> None:
    import gzip

    bogus = tmp_path / "bogus.crf.gz"
    bogus.write_bytes(gzip.compress(b'{"format": "other"}'))
    with pytest.raises(ValueError, match="not a rasd-crf/1 model"):
        Tagger(bogus)


def test_vocabulary_drops_clitic_forms() -> None:
    sentences = [(["لحماس", "حماس", "لبنان"], ["B-ORG", "B-ORG", "B-LOC"])] + [
        (["لبنان"], ["B-LOC"])
    ] * 3
    words = vocabulary(sentences)["entity_words"]
    assert "حماس" in words
    assert "لبنان" in words
    assert "لحماس" not in words


def test_read_conll(tmp_path: Path) -> None:
    path = tmp_path / "a.conll"
    path.write_text("فرانكفورت\tB-LOC\n(د\tO\n\nأعلن\tO\nاتحاد\tB-PERS\n", "utf-8")
    assert list(read_conll(path)) == [
        (["فرانكفورت", "(د"], ["B-LOC", "O"]),
        (["أعلن", "اتحاد"], ["O", "B-PER"]),
    ]


def test_camelbert_backend_fails_clearly_without_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from services.arabic import ner

    if importlib.util.find_spec("torch") is not None:
        pytest.skip("torch is installed here; the failure path cannot be exercised")
    ner.use_backend("camelbert")
    try:
        with pytest.raises(ner.NerBackendUnavailableError, match="needs torch"):
            ner.active_tagger()
    finally:
        ner.use_backend("crf")


def test_unknown_backend_is_rejected() -> None:
    from services.arabic import ner

    with pytest.raises(ner.NerBackendUnavailableError, match="choose one of"):
        ner.use_backend("bert9000")
    assert ner.backend_name() == "crf"


def test_the_backend_setting_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner
    from pydantic import ValidationError

    from services.cli import main
    from services.enricher.settings import Settings

    monkeypatch.setenv("RASD_NER_BACKEND", "camelbert")
    assert Settings().ner_backend == "camelbert"
    monkeypatch.setenv("RASD_NER_BACKEND", "bert9000")
    with pytest.raises(ValidationError):
        Settings()
    result = CliRunner().invoke(main, ["config"])
    assert result.exit_code != 0
    assert "RASD_" in result.output
    assert "ner_backend" in result.output


def test_default_path_never_imports_torch() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from services.arabic.entities import find_entities\n"
        "from services.arabic.tokenize import tokenize\n"
        "t = 'قال أنتوني بلينكن في القاهرة'\n"
        "find_entities(t, tokenize(t))\n"
        "assert 'torch' not in sys.modules and 'transformers' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_conlleval_style_scores() -> None:
    from services.evaluation.ner import format_scores, score_sequences

    gold = [["B-PERS", "I-PERS", "O", "B-LOC"], ["B-ORG", "I-ORG", "O"]]
    pred = [["B-PER", "I-PER", "O", "B-ORG"], ["B-ORG", "O", "O"]]
    scores = score_sequences(gold, pred)
    assert scores.prf("PER") == (1.0, 1.0, 1.0)
    assert scores.prf("LOC")[1] == 0.0
    p, r, _ = scores.prf()
    assert (p, r) == (1 / 3, 1 / 3)
    assert any(line.startswith("micro") for line in format_scores(scores))


def test_eval_ner_command_on_a_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from services.ner_cli import eval_ner

    model = tmp_path / "tiny.crfsuite"
    train([(s, "news") for s in SENTENCES], model, TrainConfig(max_iterations=30), None)
    conll = tmp_path / "dev.conll"
    conll.write_text("زار\tO\nبلينكن\tB-PERS\nالقاهرة\tB-LOC\n", "utf-8")
    result = CliRunner().invoke(eval_ner, [str(conll), "--model", str(model)])
    assert result.exit_code == 0, result.output
    assert "micro" in result.output


def test_batched_chunks_decode_like_single_sentences(tmp_path: Path) -> None:
    model = tmp_path / "tiny.crfsuite"
    train([(s, "news") for s in SENTENCES], model, TrainConfig(max_iterations=30), None)
    tagger = Tagger(model)
    a = ["قال", "أنتوني", "بلينكن", "في", "واشنطن"]
    b = ["أعلنت", "حركة", "حماس"]
    c = ["زار"]
    chunks = tagger.tag_chunks([*c, *a, *b], [1, 5, 3])
    assert [len(x) for x in chunks] == [1, 5, 3]
    # crfsuite's own Viterbi on the same features is the independent reference. Chunks are
    # decoded apart (no transition across a chunk end) with features of the whole text.
    reference = pycrfsuite.Tagger()
    reference.open(str(model))
    words = [*c, *a, *b]
    features = tagger.featurizer.sequence(words)
    for chunk, start, length in zip(chunks, [0, 1, 6], [1, 5, 3], strict=True):
        assert chunk == reference.tag(features[start : start + length])
    assert tagger.tag(words) == reference.tag(features)
    assert {label for chunk in chunks for label in chunk} != {"O"}  # not a trivial model
    assert tagger.tag_chunks([], []) == []
