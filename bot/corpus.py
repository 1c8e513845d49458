"""The corpus: find documents, read them with llama-index's readers, attach the manifest, clean.

A bad file never stops the run: it is reported with a plain reason and skipped.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.clean import clean
from bot.records import Source, Span

SUPPORTED = (".txt", ".md", ".html", ".htm", ".pdf")
MANIFEST = "manifest.json"
# One file is read whole (its text and offsets are what quotes cite), so its size bounds the
# indexer's memory: a 36 MB file peaks at about 1 GB (docs/large-corpus.md).
MAX_FILE_BYTES = 50 * 1024 * 1024
# A title is looked for among a document's first few kept lines: further down, a heading names a
# section. It is a short line of a few words (a lone word is a category label such as
# "Malaysia"), not a list item, and does not end like a sentence or a lead-in ("...:").
TITLE_LINES = 5
TITLE_MAX_CHARS = 100
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_LIST_ITEM = re.compile(r"^(?:[-*•·]|\d+[.)])\s")
_SENTENCE_END = re.compile(r"[.,:;!?…][\"'”’)\]]*$")


class CorpusError(Exception):
    """The corpus as a whole cannot be used (for example, the folder is missing)."""


@dataclass(frozen=True)
class Skipped:
    name: str
    reason: str


def discover(corpus_dir: Path) -> tuple[list[Path], list[Skipped]]:
    """The files to index, and the ones passed over with the reason (sorted by name)."""
    if not corpus_dir.is_dir():
        raise CorpusError(
            f"The corpus folder {corpus_dir} does not exist. Put .txt, .md, .html or .pdf "
            "files there, or point BOT_CORPUS_DIR / --corpus at another folder."
        )
    files, skipped = [], []
    for path in sorted(corpus_dir.iterdir()):
        if path.name.startswith(".") or path.name == MANIFEST or path.is_dir():
            continue
        if path.suffix.lower() in SUPPORTED:
            files.append(path)
        else:
            skipped.append(Skipped(path.name, f"unsupported file type {path.suffix or '(none)'}"))
    return files, skipped


def load_manifest(corpus_dir: Path) -> dict[str, dict[str, str]]:
    path = corpus_dir / MANIFEST
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if isinstance(v, dict)}


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_text(path: Path) -> str:
    """The document's text as read: the file itself for text formats, extracted text otherwise.

    Raises ValueError with a reason a person understands.
    """
    size = path.stat().st_size
    if size == 0:
        raise ValueError("the file is empty")
    if size > MAX_FILE_BYTES:
        raise ValueError(
            f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, the limit per file; "
            "split it into smaller files to index it"
        )
    from llama_index.core import SimpleDirectoryReader
    from llama_index.readers.file import PDFReader

    suffix = path.suffix.lower()
    if suffix in (".txt", ".md") and b"\x00" in path.read_bytes()[:8192]:
        raise ValueError("the file looks binary, not text")
    reader = SimpleDirectoryReader(
        input_files=[path],
        file_extractor={
            ".html": _page_reader(),
            ".htm": _page_reader(),
            ".pdf": PDFReader(return_full_document=True),
        },
        errors="strict",
        raise_on_error=True,
    )
    try:
        documents = reader.load_data()
    except UnicodeDecodeError as exc:
        raise ValueError("the file is not valid UTF-8 text") from exc
    except Exception as exc:
        cause = exc.__cause__ or exc
        if isinstance(cause, UnicodeDecodeError):
            raise ValueError("the file is not valid UTF-8 text") from exc
        raise ValueError(f"it could not be read ({type(cause).__name__}: {cause})") from exc
    text = "\n\n".join(doc.text for doc in documents)
    if not text.strip():
        raise ValueError("no text could be extracted from it")
    return text


def _page_reader() -> Any:
    """llama-index's HTML reader for the page's body, without the text of its scripts and styles:
    the reader keeps them, and a page's code is never evidence."""
    from llama_index.readers.file import HTMLTagReader

    class PageReader(HTMLTagReader):
        def _extract_text_from_tag(self, tag: Any) -> str:
            for code in tag.find_all(["script", "style", "noscript", "template"]):
                code.decompose()
            return super()._extract_text_from_tag(tag)

    return PageReader(tag="body")


def heading_title(text: str, spans: list[Span]) -> str:
    """The first heading among the document's opening lines, or "".

    For a file the manifest gives no title: a heading the text itself shows tells a reader more
    than "Untitled document (file name)".
    """
    for span in spans[:TITLE_LINES]:
        line = _MARKDOWN_HEADING.sub("", text[span.start : span.end])
        if (
            len(line) <= TITLE_MAX_CHARS
            and len(line.split()) >= 2
            and not _LIST_ITEM.match(line)
            and not _SENTENCE_END.search(line)
        ):
            return line
    return ""


def load_source(path: Path, manifest: dict[str, dict[str, str]]) -> Source:
    text = read_text(path)
    spans = clean(text)
    if not spans:
        raise ValueError("nothing was left after removing page furniture")
    meta = manifest.get(path.name, {})
    return Source(
        name=path.name,
        text=text,
        spans=spans,
        title=meta.get("title", "") or heading_title(text, spans),
        publisher=meta.get("publisher", ""),
        date=meta.get("date", ""),
        url=meta.get("url", ""),
        sha256=file_digest(path),
    )


def iter_sources(paths: list[Path], corpus_dir: Path) -> Iterator[Source | Skipped]:
    """Each file as a Source, or as Skipped with the reason it could not be used."""
    manifest = load_manifest(corpus_dir)
    for path in paths:
        try:
            yield load_source(path, manifest)
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            yield Skipped(path.name, reason)
