"""Reading the corpus: a document's title comes from the manifest, else from its own heading."""

from __future__ import annotations

import json
from pathlib import Path

from bot.corpus import MANIFEST, iter_sources


def _title(corpus: Path, name: str, text: str) -> str:
    (corpus / name).write_text(text, encoding="utf-8")
    (source,) = iter_sources([corpus / name], corpus)
    return source.title


def test_a_document_the_manifest_leaves_untitled_takes_its_first_heading(tmp_path):
    text = "Online grooming\n\nGroomers often pose as peers on gaming platforms.\n"
    assert _title(tmp_path, "a.txt", text) == "Online grooming"


def test_the_manifests_title_is_kept(tmp_path):
    (tmp_path / MANIFEST).write_text(json.dumps({"a.txt": {"title": "Grooming: a guide"}}))
    text = "Online grooming\n\nGroomers often pose as peers on gaming platforms.\n"
    assert _title(tmp_path, "a.txt", text) == "Grooming: a guide"


def test_a_document_without_a_heading_stays_untitled(tmp_path):
    text = (
        "Groomers often pose as peers on gaming platforms to win a child's trust.\n"
        "Here is what they do:\n"
        "- They build trust with gifts and attention.\n"
    )
    assert _title(tmp_path, "a.txt", text) == ""
