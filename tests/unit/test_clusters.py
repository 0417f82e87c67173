"""Word clusters from unlabelled text: how they are trained, stored and read, and how the tagger
uses them.

Words that occur beside the same words fall into the same cluster, so a name the annotated
corpora never saw gets the cluster of names of its kind; the tagger reads the cluster ids of a
word and of its clitic-stripped stem as features, and only when the model was trained with them.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from services.arabic.clusters import (
    features,
    read_clusters,
    shipped_clusters,
    train,
    write_clusters,
)
from services.arabic.ner import split_clitics, word_features
from services.arabic.normalize import fold
from tests.conftest import write_corpus

# Cities always after «إلى» / «زار», people always after «قال» / «الرئيس» and before «إن»: the
# two kinds share no neighbours, so the finer clusters separate them.
CITIES = ("باريس", "لندن", "بغداد", "القاهرة")
PEOPLE = ("ماكرون", "ميركل", "بوتين", "أردوغان")
CORPUS = [
    line
    for city, person in zip(CITIES, PEOPLE, strict=True)
    for line in (
        f"وصل الوفد إلى {city} أمس",
        f"زار {city} اليوم وفد",
        f"وقال الرئيس {person} إن الاتفاق قريب",
        f"قال {person} إن المحادثات مستمرة",
    )
] * 5


def _tiny(seed: int = 1) -> dict[str, tuple[int, ...]]:
    return train(CORPUS, sizes=(2, 4), vocab=100, dim=6, seed=seed, min_count=1)


def test_training_is_deterministic_under_a_seed() -> None:
    assert _tiny(seed=7) == _tiny(seed=7)


def test_words_with_the_same_neighbours_share_a_cluster() -> None:
    table = _tiny()
    cities = {table[fold(w)][-1] for w in CITIES}  # the finest granularity
    people = {table[fold(w)][-1] for w in PEOPLE}
    assert len(cities) == 1
    assert len(people) == 1
    assert cities != people


def test_every_word_has_one_id_per_granularity_in_range() -> None:
    for ids in _tiny().values():
        assert len(ids) == 2
        assert 0 <= ids[0] < 2
        assert 0 <= ids[1] < 4


def test_cluster_ids_are_numbered_by_their_most_frequent_word() -> None:
    table = _tiny()
    first = next(iter(table.values()))  # rows are in frequency order
    assert first == (0, 0)


def test_the_file_round_trips_and_is_byte_identical(tmp_path: Path) -> None:
    table = _tiny()
    a, b = tmp_path / "a.tsv.gz", tmp_path / "b.tsv.gz"
    write_clusters(table, (2, 4), a)
    write_clusters(table, (2, 4), b)
    assert a.read_bytes() == b.read_bytes()
    assert read_clusters(a) == ((2, 4), table)


def test_a_file_of_another_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.tsv.gz"
    path.write_bytes(gzip.compress(b"word\tk64\n"))
    with pytest.raises(ValueError, match="rasd-clusters/1"):
        read_clusters(path)


def test_features_of_a_word_and_of_its_stem() -> None:
    table = ((64, 256), {"ترامب": (1, 3), "الرئيس": (0, 2)})
    assert features("ترامب", "ترامب", table) == (["k64=1", "k256=3"], ["k256=3"])
    # a clitic form the table lacks still gets its stem's clusters, but gives its neighbours none
    prefix, stem = split_clitics("وترامب")
    assert (prefix, stem) == ("و", "ترامب")
    assert features("وترامب", stem, table) == (["sk64=1", "sk256=3"], [])
    assert features("زقزقلوط", "زقزقلوط", table) == (["k=none"], [])


def test_the_shipped_table_gives_a_known_word_its_clusters() -> None:
    sizes, table = shipped_clusters()
    assert sizes == (64, 256, 1024)
    assert fold("القاهرة") in table
    own, near = word_features("القاهرة", clusters=True)
    assert [f for f in own if f.startswith("k")] == [
        f"k{k}={c}" for k, c in zip(sizes, table[fold("القاهرة")], strict=True)
    ]
    assert [f for f in near if f.startswith("k")] == [f"k256={table[fold('القاهرة')][1]}"]
    stripped, _ = word_features("وبالقاهرة", clusters=True)
    assert any(f.startswith("sk256=") for f in stripped)


def test_without_clusters_the_features_are_the_old_ones() -> None:
    for word in ("القاهرة", "وبالقاهرة", "ترامب", "زقزقلوط", "2026", "<s>"):
        assert word_features(word, clusters=False) == word_features(word)
        own, near = word_features(word, wordstats=True)
        assert not any(f.startswith(("k", "sk")) for f in own + near)


def test_the_shipped_tagger_uses_the_clusters_its_sidecar_names() -> None:
    from services.arabic.ner import load_tagger, shipped_model_path, sidecar_path

    model = shipped_model_path()
    meta = json.loads(sidecar_path(model).read_text("utf-8"))
    assert load_tagger(model).featurizer.clusters is bool(meta.get("clusters"))


def test_the_train_command_is_reproducible(tmp_path: Path) -> None:
    from services.ner_cli import train_group

    corpus = tmp_path / "ant.jsonl.xz"
    write_corpus(corpus, CORPUS)
    outputs = []
    for name in ("a", "b"):
        out = tmp_path / f"{name}.tsv.gz"
        args = ["clusters", "--corpus", str(corpus), "--out", str(out), "--sizes", "2,4"]
        result = CliRunner().invoke(train_group, [*args, "--dim", "6"])
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_the_shipped_file_is_never_written_from_the_non_commercial_corpus(
    tmp_path: Path,
) -> None:
    from services.ner_cli import train_group

    corpus = tmp_path / "saudinewsnet.jsonl.xz"
    write_corpus(corpus, CORPUS)
    result = CliRunner().invoke(train_group, ["clusters", "--corpus", str(corpus)])
    assert result.exit_code != 0
    assert "non-commercial" in result.output
