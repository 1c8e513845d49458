"""How indexing and querying grow with the corpus: 1k, 10k, 100k passages of synthetic text.

    python -m benchmarks.scale                       # 1,000 passages (CI-sized)
    python -m benchmarks.scale --sizes 1000,10000    # choose sizes (passages)
    python -m benchmarks.scale --full                # 1k, 10k and 100k (100k takes a while)
    python -m benchmarks.scale --generate DIR --sizes 5000   # only write a synthetic corpus

The generator is deterministic (seeded): it recombines sentences of the real corpus (halves of
two sentences spliced) and swaps a share of their words for random words of the corpus and for
made-up words, so documents share the domain's vocabulary without repeating each other and
retrieval is not trivial. Ten passages (paragraphs of 320+ characters) per document; document i
is the same whatever the size, so the 1k corpus is the start of the 10k one.

For each size: indexing throughput (passages per second of the whole build, and of the embedding
step alone, timed around the indexer's encoder), index size on disk (the build: Chroma, passage
table, BM25; the query encoder's export is left out, its size does not grow), Bot start time,
query latency p50/p95 of `Bot.ask` over generated questions (each a reworded sentence of one
document; the share whose document is among the citations is printed as a sanity check), and
the time of an incremental re-index of the unchanged corpus.
Results: OUT/scale.md, OUT/scale.json, OUT/scale.png.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.common import (
    EXPORTS_HELP,
    ROOT,
    dir_size_mb,
    machine,
    machine_line,
    markdown_table,
    peak_rss_mb,
    share_exports,
)

DEFAULT_SIZES = (1000,)
PASSAGE_ONLY_SAMPLE = 1000
FULL_SIZES = (1000, 10_000, 100_000)
PER_DOC = 10
MIN_PARAGRAPH = 320  # above the chunker's 300 characters: one paragraph, one passage
MAX_PARAGRAPH = 1400  # below the 1,500-character passage cap
SWAP_MADE_UP, SWAP_CORPUS = 0.30, 0.15  # share of content words replaced
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
_WORD = re.compile(r"[A-Za-z]+")
_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "or")]


# -- the generator ---------------------------------------------------------------------------------


class Generator:
    """Synthetic documents from the real corpus's sentences and words; same seed, same bytes."""

    def __init__(self, corpus_dir: Path | None = None, seed: int = 0) -> None:
        corpus_dir = Path(corpus_dir) if corpus_dir else ROOT / "corpus"
        self.seed = seed
        self.templates, words = self._read(corpus_dir)
        if not self.templates:
            raise ValueError(f"no prose sentences found in {corpus_dir}")
        self.corpus_words = sorted(words)
        rng = random.Random(f"vocabulary:{seed}")
        made_up = {
            "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(4000)
        }
        self.made_up = sorted(made_up)

    @staticmethod
    def _read(corpus_dir: Path) -> tuple[list[str], set[str]]:
        """Prose sentences of 8 to 60 words, and the corpus's words of 4+ letters."""
        sentences: list[str] = []
        words: set[str] = set()
        for path in sorted(corpus_dir.glob("*.txt")):
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                line = line.strip()
                # Prose lines only; "cookie" lines would be dropped by cleaning as furniture.
                if (
                    len(line) < 60
                    or line[-1] not in ".!?"
                    or line.endswith("...")
                    or "cookie" in line.lower()
                ):
                    continue
                for s in _SENTENCE_END.split(line):
                    if 8 <= len(s.split()) <= 60:
                        sentences.append(s)
                words.update(w.lower() for w in _WORD.findall(line) if len(w) >= 4)
        return sentences, words

    def sentence(self, rng: random.Random) -> str:
        a, b = rng.choice(self.templates).split(), rng.choice(self.templates).split()
        tokens = a[: rng.randint(len(a) // 3, 2 * len(a) // 3)]
        tokens += b[rng.randint(len(b) // 3, 2 * len(b) // 3) :]
        out = []
        for token in tokens:
            core = token.strip(".,;:!?\"'“”’()")
            if len(core) > 3 and core.isalpha():
                r = rng.random()
                if r < SWAP_MADE_UP:
                    new = rng.choice(self.made_up)
                elif r < SWAP_MADE_UP + SWAP_CORPUS:
                    new = rng.choice(self.corpus_words)
                else:
                    new = core
                token = token.replace(core, new.capitalize() if core[0].isupper() else new, 1)
            out.append(token)
        text = " ".join(out).rstrip(".,;:!?\"'“”’ ")
        if rng.random() < 0.2:
            text += f" in {rng.randint(1990, 2030)}"
        return text[0].upper() + text[1:] + "."

    def paragraph(self, rng: random.Random) -> list[str]:
        sentences: list[str] = []
        while sum(len(s) + 1 for s in sentences) < MIN_PARAGRAPH or len(sentences) < 2:
            s = self.sentence(rng)
            if sum(len(x) + 1 for x in sentences) + len(s) > MAX_PARAGRAPH:
                break
            sentences.append(s)
        return sentences

    def document(self, i: int, paragraphs: int = PER_DOC) -> tuple[str, list[list[str]]]:
        """Document i: its text and its paragraphs' sentences (depends on seed and i only)."""
        rng = random.Random(f"document:{self.seed}:{i}")
        title = " ".join(rng.choice(self.made_up).capitalize() for _ in range(2))
        title += " and " + rng.choice(self.corpus_words)
        body = [self.paragraph(rng) for _ in range(paragraphs)]
        text = title + "\n\n" + "\n\n".join(" ".join(p) for p in body) + "\n"
        return text, body

    def layout(self, passages: int, per_doc: int = PER_DOC) -> list[int]:
        """Paragraphs per document for `passages` passages."""
        full, rest = divmod(passages, per_doc)
        return [per_doc] * full + ([rest] if rest else [])

    def write(self, out_dir: Path, passages: int, per_doc: int = PER_DOC) -> list[Path]:
        """Write the corpus for `passages` passages into `out_dir`; returns the files."""
        out_dir.mkdir(parents=True, exist_ok=True)
        files = []
        for i, n in enumerate(self.layout(passages, per_doc)):
            path = out_dir / doc_name(i)
            path.write_text(self.document(i, n)[0], encoding="utf-8")
            files.append(path)
        return files

    def queries(self, passages: int, n: int, per_doc: int = PER_DOC) -> list[tuple[str, str]]:
        """`n` questions, each a reworded sentence of one document, with that document's name."""
        rng = random.Random(f"queries:{self.seed}:{passages}")
        layout = self.layout(passages, per_doc)
        out = []
        for _ in range(n):
            i = rng.randrange(len(layout))
            _, body = self.document(i, layout[i])
            words = rng.choice(rng.choice(body)).rstrip(".").split()
            kept = [w for w in words if rng.random() > 0.3] or words
            lead = rng.choice(("", "what about ", "tell me about ", "is it true that "))
            out.append((lead + " ".join(kept).lower(), doc_name(i)))
        return out


def doc_name(i: int) -> str:
    return f"doc_{i:06d}.txt"


def generate(
    out_dir: Path,
    passages: int,
    seed: int = 0,
    corpus_dir: Path | None = None,
    per_doc: int = PER_DOC,
) -> list[Path]:
    """Write a deterministic synthetic corpus of `passages` passages."""
    return Generator(corpus_dir, seed).write(Path(out_dir), passages, per_doc)


# -- the benchmark ---------------------------------------------------------------------------------


class TimedEncoder:
    """The indexer's real encoder, counting the texts it embeds and the time it takes.

    Measuring here, rather than reading the build report, keeps the embedding rate right
    whatever the store chooses to embed (sentences, headings, whole passages). The encoder is
    loaded when the build first needs it, as the build loads its own: after the export step has
    made the int8 graph it runs. Loading is not counted as embedding.
    """

    def __init__(self, load: Callable[[], Any]) -> None:
        self._load, self._inner, self.seconds, self.texts = load, None, 0.0, 0

    @property
    def inner(self) -> Any:
        if self._inner is None:
            self._inner = self._load()
        return self._inner

    def token_sums(self, texts: Any, progress: bool = False, pause: Any = None) -> Any:
        inner = self.inner
        t0 = time.perf_counter()
        sums = inner.token_sums(texts, progress=progress, pause=pause)
        self.seconds += time.perf_counter() - t0
        self.texts += len(texts)
        return sums


def bench_size(
    gen: Generator,
    size: int,
    work: Path,
    n_queries: int,
    per_doc: int = PER_DOC,
    exports: Path | None = None,
) -> dict[str, Any]:
    from bot import Bot
    from bot.config import Config
    from bot.embedding import load_index_encoder
    from bot.evaluation import percentile
    from bot.index import build

    corpus, index_dir = work / f"corpus-{size}", work / f"index-{size}"
    t0 = time.perf_counter()
    files = gen.write(corpus, size, per_doc)
    generate_s = time.perf_counter() - t0
    config = Config.load(corpus_dir=corpus, index_dir=index_dir)
    if exports is not None:
        share_exports(exports, index_dir)

    print(f"[{size}] indexing {len(files)} documents", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    encoder = TimedEncoder(lambda: load_index_encoder(config))
    report = build(config, encoder=encoder, progress=False)
    build_s = time.perf_counter() - t0  # model load included, as in `python -m bot index`
    embed_s = encoder.seconds or None

    # For comparison, each passage embedded as one text with the same encoder (the store embeds
    # its sentences and headings instead: about the same tokens, in shorter texts).
    from bot.index import IndexReader

    sample = [p.text for p in IndexReader.open(config).passages[:PASSAGE_ONLY_SAMPLE]]
    t0 = time.perf_counter()
    encoder.inner.encode(sample)
    passage_only = len(sample) / (time.perf_counter() - t0)

    t0 = time.perf_counter()
    again = build(config, progress=False)
    reindex_s = time.perf_counter() - t0
    if again.changed:
        raise RuntimeError("re-indexing an unchanged corpus changed the index")

    t0 = time.perf_counter()
    bot = Bot(config=config, progress=False)
    ready_s = time.perf_counter() - t0
    queries = gen.queries(size, n_queries, per_doc)
    bot.ask(queries[0][0])  # warm-up
    latencies, found = [], 0
    for question, name in queries:
        t0 = time.perf_counter()
        answer = bot.ask(question)
        latencies.append((time.perf_counter() - t0) * 1000)
        found += any(c.source == name for c in answer.citations)
    return {
        "passages": report.passages,
        "indexer": "int8 (onnxruntime)" if encoder.inner.session is not None else "torch",
        "documents": len(files),
        "sentences": report.units,
        "texts_embedded": encoder.texts,
        "generate_s": round(generate_s, 2),
        "build_s": round(build_s, 2),
        "embed_s": round(embed_s, 2) if embed_s else None,
        "passages_per_s": round(report.passages / build_s, 1),
        "passages_per_s_embedded": round(report.passages / embed_s, 1) if embed_s else None,
        "texts_per_s_embedded": round(encoder.texts / embed_s, 1) if embed_s else None,
        "passage_only_per_s": round(passage_only, 1),
        "index_mb": dir_size_mb(index_dir, skip=("encoder",)),
        "reindex_s": round(reindex_s, 2),
        "ready_s": round(ready_s, 2),
        "p50_ms": round(percentile(latencies, 0.5), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "queries": len(queries),
        "source_found": round(found / len(queries), 3),
        "peak_mb": peak_rss_mb(),
    }


def targets(rows: list[dict[str, Any]]) -> list[tuple[str, bool]]:
    """Issue 5's scale targets, for the sizes that were run."""
    out = []
    for r in rows:
        rate = r["passages_per_s_embedded"]
        if rate is not None:
            out.append(
                (f"{r['passages']} passages: {rate:.0f} passages/s embedded >= 150", rate >= 150)
            )
    small, large = rows[0], rows[-1]
    if large["passages"] >= 100 * small["passages"]:
        out.append(
            (
                f"query p50 at {large['passages']} passages ({large['p50_ms']:.1f} ms) "
                f"<= 3 x p50 at {small['passages']} ({small['p50_ms']:.1f} ms)",
                large["p50_ms"] <= 3 * small["p50_ms"],
            )
        )
    for r in rows:
        if r["documents"] >= 10_000:
            out.append(
                (
                    f"re-index of unchanged {r['documents']} documents {r['reindex_s']:.1f} s "
                    "<= 10 s",
                    r["reindex_s"] <= 10,
                )
            )
    return out


COLUMNS = [
    ("passages", "passages", "{:,}"),
    ("indexer", "indexer", "{}"),
    ("documents", "documents", "{:,}"),
    ("sentences", "sentences", "{:,}"),
    ("texts_embedded", "texts embedded", "{:,}"),
    ("build_s", "index build s", "{:.1f}"),
    ("embed_s", "of which embedding s", "{:.1f}"),
    ("passages_per_s", "passages/s (whole build)", "{:.0f}"),
    ("passages_per_s_embedded", "passages/s embedded", "{:.0f}"),
    ("texts_per_s_embedded", "texts/s embedded", "{:.0f}"),
    ("passage_only_per_s", "passages/s, one text each", "{:.0f}"),
    ("index_mb", "index on disk MB", "{:.1f}"),
    ("reindex_s", "re-index unchanged s", "{:.2f}"),
    ("ready_s", "Bot start s", "{:.2f}"),
    ("p50_ms", "query p50 ms", "{:.1f}"),
    ("p95_ms", "query p95 ms", "{:.1f}"),
    ("source_found", "source in top 3", "{:.0%}"),
]


def _cell(value: Any, fmt: str) -> str:
    return "n/a" if value is None else fmt.format(value)


def markdown(run: dict[str, Any]) -> str:
    rows = [[_cell(r[k], f) for k, _, f in COLUMNS] for r in run["results"]]
    checks = "\n".join(f"- {'met' if ok else 'NOT MET'}: {t}" for t, ok in run["targets"])
    return f"""# Scale benchmark

Run on {machine_line(run["machine"])}.

Synthetic corpus (seed {run["seed"]}, {run["per_doc"]} passages per document, generated from
`corpus/`); {run["queries"]} questions per size. Command: `{run["command"]}`

![scale chart](scale.png)

{markdown_table([h for _, h, _ in COLUMNS], rows)}

Targets of issue 5 for the sizes run:
{checks or "- (none applies to these sizes)"}

How it is measured: index build is `bot.index.build` on a fresh index (model load, chunking,
embedding, Chroma, BM25 and the query encoder export); "embedded" rates count only the time spent
in the indexer's encoder, timed around its calls, and "texts embedded" is everything the store
sent it (each passage's sentences and headings; a passage's vector is pooled from them). "One
text each" embeds up to {PASSAGE_ONLY_SAMPLE:,} of the passages again, each as a single text,
with the same encoder: what the same tokens cost in one text per passage. Index on disk: the
build folder (Chroma, passage table, BM25), without the query encoder export, whose size is
fixed. Re-index: a second `build` on the unchanged corpus (hashes every
file, finds nothing to do). Bot start: `Bot()` on the built index (staleness check, loading the
table, BM25, Chroma and the query encoder). Query latency: `Bot.ask` after one warm-up.
"""


def chart(run: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = run["results"]
    x = [r["passages"] for r in rows]
    fig, axes = plt.subplots(2, 2, figsize=(11, 7.5))
    series = [
        (
            axes[0][0],
            "Indexing throughput (passages/s)",
            [("passages_per_s", "whole build"), ("passages_per_s_embedded", "embedding step")],
        ),
        (axes[0][1], "Index size on disk (MB)", [("index_mb", "build folder")]),
        (axes[1][0], "Query latency, Bot.ask (ms)", [("p50_ms", "p50"), ("p95_ms", "p95")]),
        (
            axes[1][1],
            "Unchanged re-index and start (s)",
            [("reindex_s", "re-index unchanged"), ("ready_s", "Bot start")],
        ),
    ]
    for ax, title, keys in series:
        for key, label in keys:
            ax.plot(x, [r[key] or 0 for r in rows], marker="o", label=label)
        ax.set_xscale("log")
        ax.set_xlabel("passages")
        ax.set_title(title)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(f"Scale: synthetic corpus, {run['per_doc']} passages per document", fontsize=11)
    fig.text(0.5, 0.01, machine_line(run["machine"]), ha="center", fontsize=7, wrap=True)
    fig.tight_layout(rect=(0, 0.04, 1, 0.96))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def parse_sizes(text: str) -> tuple[int, ...]:
    """`--sizes`: comma-separated positive passage counts, sorted, each once."""
    try:
        sizes = tuple(int(s.replace("_", "")) for s in text.split(",") if s.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: sizes are whole numbers") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive")
    return tuple(sorted(set(sizes)))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=parse_sizes, default=None, help="passages, comma-separated")
    p.add_argument("--full", action="store_true", help="1k, 10k and 100k passages")
    p.add_argument("--queries", type=int, default=50, help="questions per size (default 50)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--per-doc",
        type=int,
        default=PER_DOC,
        help=f"passages per document (default {PER_DOC}; 1 gives as many documents as passages)",
    )
    p.add_argument("--corpus", type=Path, default=ROOT / "corpus", help="source of sentences")
    p.add_argument("--out", type=Path, default=ROOT / "docs")
    p.add_argument("--work", type=Path, help="keep generated corpora and indexes here")
    p.add_argument("--exports", type=Path, help=EXPORTS_HELP)
    p.add_argument(
        "--generate",
        type=Path,
        metavar="DIR",
        help="only write the synthetic corpus of the first size into DIR",
    )
    args = p.parse_args(argv)
    if args.per_doc < 1 or args.queries < 1:
        p.error("--per-doc and --queries must be at least 1")
    sizes = args.sizes or (FULL_SIZES if args.full else DEFAULT_SIZES)
    gen = Generator(args.corpus, args.seed)
    if args.generate:
        files = gen.write(args.generate, sizes[0], args.per_doc)
        print(f"wrote {len(files)} documents ({sizes[0]} passages) to {args.generate}")
        return 0

    work = args.work or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        import torch  # noqa: F401  (loaded once, before any timing)

        results = [
            bench_size(gen, size, work, args.queries, args.per_doc, args.exports) for size in sizes
        ]
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    run = {
        "machine": machine(),
        "command": " ".join(
            ["python -m benchmarks.scale", *(sys.argv[1:] if argv is None else argv)]
        ),
        "seed": args.seed,
        "per_doc": args.per_doc,
        "queries": args.queries,
        "results": results,
        "targets": targets(results),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "scale.json").write_text(json.dumps(run, indent=2))
    (args.out / "scale.md").write_text(markdown(run))
    chart(run, args.out / "scale.png")
    header = [h for _, h, _ in COLUMNS]
    table = [[_cell(r[k], f) for k, _, f in COLUMNS] for r in results]
    widths = [max(len(c) for c in col) for col in zip(header, *table, strict=True)]
    for row in [header, *table]:
        print("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))
    for text, ok in run["targets"]:
        print(f"{'met' if ok else 'NOT MET'}: {text}")
    print(machine_line(run["machine"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
