"""Coders on annotations: recorded, kept by edits and the store, and a record without one read
as the default coder's (migration on read) from a real store written before coders existed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotations import AnnotationStore, coders, layout, schema
from annotations.model import Annotation, ArticleRef

TEXT = "Ministers met on Tuesday to discuss the budget. The opposition walked out before the vote."
ARTICLE = ArticleRef(id="budget", title="Budget talks", date="2024-05-01", path="budget.txt", sha256="ab" * 32)


@pytest.fixture(autouse=True)
def _default_reset() -> Iterator[None]:
    """Each test starts and ends with no default coder set (the login name)."""
    coders.set_default_coder(None)
    yield
    coders.set_default_coder(None)


def make(coder: str | None = None, start: int = 0, end: int = 9) -> Annotation:
    return Annotation.create(
        article_id="budget", article_sha256="ab" * 32, text=TEXT, start=start, end=end, tags=["politics"], coder=coder
    )


def test_a_new_annotation_records_its_coder_and_edits_keep_it() -> None:
    ada = make("ada")
    assert ada.coder == "ada"
    assert ada.retagged(["economy"]).coder == "ada"
    assert ada.with_note("why").coder == "ada"
    assert ada.moved(TEXT, 10, 20, "ab" * 32).coder == "ada"
    assert Annotation.from_record(ada.to_record()) == ada
    assert ada.to_record()["coder"] == "ada"


def test_without_a_coder_the_default_is_the_login_name_or_the_one_set() -> None:
    assert make().coder == coders.login_name() != ""
    coders.set_default_coder("  grace  ")
    assert make().coder == "grace"
    coders.set_default_coder("")
    assert make().coder == coders.login_name()


def test_a_hostile_coder_name_loses_its_control_characters() -> None:
    assert make("\x1b[31mev\x07e\nlyn").coder == "[31mev e lyn"
    assert make("\x1b\x07 ").coder == coders.login_name()


def test_the_login_name_falls_back_when_there_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_user() -> str:
        raise OSError("no user")

    monkeypatch.setattr(coders.getpass, "getuser", no_user)
    assert coders.login_name() == coders.FALLBACK_CODER
    assert make().coder == coders.FALLBACK_CODER


def test_a_record_without_a_coder_reads_as_the_default_coder() -> None:
    record = make("ada").to_record()
    del record["coder"]
    coders.set_default_coder("grace")
    assert Annotation.from_record(record).coder == "grace"
    record["coder"] = 7
    assert Annotation.from_record(record).coder == "grace"


def strip_coders(store_path: Path) -> int:
    """Remove ``coder`` from every annotation record in the store's shard files, as a store
    written before coders existed has them; the number of records changed."""
    changed = 0
    for shard in layout.folder(store_path).rglob("*.json"):
        data = json.loads(shard.read_text(encoding="utf-8"))
        for record in data.get(schema.ANNOTATIONS, {}).values():
            if isinstance(record, dict) and record.pop("coder", None) is not None:
                changed += 1
        shard.write_text(json.dumps(data), encoding="utf-8")
    return changed


def test_a_store_written_before_coders_reads_as_the_default_coder(tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    with AnnotationStore(path) as store:
        old = store.add(make("ada"), ARTICLE)
    assert strip_coders(path) == 1
    coders.set_default_coder("grace")
    with AnnotationStore(path) as store:
        store.check()
        (read,) = store.all()
        assert read.coder == "grace" and read.id == old.id
        # Written again (an edit), the record is stamped with its coder.
        store.update(read.retagged(["economy"]), expected=read)
    coders.set_default_coder("someone else")
    with AnnotationStore(path) as store:
        assert [annotation.coder for annotation in store.all()] == ["grace"]


def test_two_coders_live_in_one_store(tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    with AnnotationStore(path) as store:
        store.add(make("ada"), ARTICLE)
        store.add(make("bob", 10, 20), ARTICLE)
    with AnnotationStore(path) as store:
        assert sorted(annotation.coder for annotation in store.for_article("budget")) == ["ada", "bob"]


def test_the_layout_check_refuses_a_coder_that_is_not_text() -> None:
    record = make("ada").to_record()
    record["coder"] = ["ada"]
    with pytest.raises(schema.LayoutError, match="coder"):
        schema.check_records({schema.ANNOTATIONS: {record["id"]: record}})
