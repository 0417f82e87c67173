"""Producer input: files and folders become articles, or rejections that say why."""

from __future__ import annotations

from pathlib import Path

from services.contracts.events import ContentType
from services.producer.readers import Accepted, Rejection, read_paths


def test_folder_of_mixed_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("خبر عاجل عن الطقس", "utf-8")
    (tmp_path / "b.html").write_text("<html><body><p>نص</p></body></html>", "utf-8")
    (tmp_path / "c.jsonl").write_text(
        '{"content": "خبر أول", "url": "https://example.com/1"}\n{bad json\n{"content": "  "}\n',
        "utf-8",
    )
    (tmp_path / "d.json").write_text('{"id": "x-1", "content": "خبر", "title": "عنوان"}', "utf-8")
    (tmp_path / "e.txt").write_bytes(b"\xff\xfe\xfa")
    results = list(read_paths([tmp_path, tmp_path / "missing.txt"], "test"))
    accepted = [r for r in results if isinstance(r, Accepted)]
    rejected = {
        (r.origin.replace(str(tmp_path) + "/", ""), r.reason)
        for r in results
        if isinstance(r, Rejection)
    }
    assert len(accepted) == 4
    assert {a.article.content_type for a in accepted} == {ContentType.PLAIN, ContentType.HTML}
    assert rejected == {
        ("c.jsonl:2", "bad_json"),
        ("c.jsonl:3", "empty_body"),
        ("e.txt", "not_utf8"),
        ("missing.txt", "unreadable"),
    }


def test_ids_are_stable_and_derived_from_the_url_when_present(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(
        '{"content": "نص أ", "url": "https://e.com/a"}\n{"content": "نص ب", "url": "https://e.com/a"}\n',
        "utf-8",
    )
    first, second = [r.article.id for r in read_paths([path], "t") if isinstance(r, Accepted)]
    assert first == second
