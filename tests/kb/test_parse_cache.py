"""The KB files' parses kept as JSON (``knowledge.kb.read_document``): the same data as the YAML, never stale
after an edit, and no harm where the folder can't be written."""

from __future__ import annotations

from pathlib import Path

from knowledge.kb import CACHE_FOLDER, read_document, read_documents


def test_a_kept_parse_is_the_yaml_and_an_edit_is_read_afresh(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text("qualifications:\n  - id: q1\n    title: First\n    registration_years: 3\n", encoding="utf-8")
    first = read_document(path)
    kept = list((tmp_path / CACHE_FOLDER).glob("spec.*.json"))
    assert first == {"qualifications": [{"id": "q1", "title": "First", "registration_years": 3}]}
    assert len(kept) == 1
    assert read_document(path) == first                       # read back from the kept parse

    path.write_text("qualifications:\n  - id: q1\n    title: Second\n", encoding="utf-8")
    assert read_document(path)["qualifications"][0]["title"] == "Second"
    assert [p.name for p in (tmp_path / CACHE_FOLDER).glob("spec.*.json")] != [kept[0].name]   # old one gone
    assert len(list((tmp_path / CACHE_FOLDER).glob("spec.*.json"))) == 1


def test_the_bundled_kb_reads_the_same_from_its_kept_parses() -> None:
    from knowledge.kb import SPECS_DIR, _Loader, yaml

    parsed = [yaml.load(p.read_text(encoding="utf-8"), Loader=_Loader) for p in sorted(SPECS_DIR.glob("*.yaml"))]
    assert read_documents() == parsed
    assert read_documents() == parsed                          # the second time from JSON for certain


def test_a_folder_that_cannot_be_written_only_costs_time(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text("rules: []\n", encoding="utf-8")
    (tmp_path / CACHE_FOLDER).write_text("a file where the folder would be", encoding="utf-8")
    assert read_document(path) == {"rules": []}
    assert read_document(path) == {"rules": []}
