"""This product against what one would otherwise build with llama-index, in one run.

    python -m benchmarks.compare [--questions eval/questions.jsonl] [--corpus corpus] [--out docs]

Systems, all on the same corpus files and the same questions, in this one process:
  product      bot.Bot: sentence-level hybrid retrieval, quotes of at most 600 characters;
  starter      llama-index's starter pipeline: VectorStoreIndex with its default SentenceSplitter
               (1024 tokens, overlap 200), HuggingFaceEmbedding on the same local
               all-MiniLM-L6-v2, ChromaVectorStore in a temporary folder, Settings.llm = None;
               top 3 chunks, each cut to 600 characters (the reading budget of our quotes);
  starter-128  the same with 128-token chunks (overlap 20);
  bm25         llama-index's BM25Retriever alone, over the starter's default chunks, top 3 cut
               to 600 characters;
  hybrid       the fair peer: llama-index's QueryFusionRetriever (reciprocal rank fusion, no
               query generation) over the vector retriever and BM25 on 128-token chunks, top 3
               cut to 600 characters. llama-index would add a SentenceTransformerRerank
               cross-encoder stage here, but no cross-encoder's weights can be had offline (no
               package ships one, and nothing may be fetched from a model hub), so it has none.

Quality uses CONTRACT.md's hit rule (bot.evaluation.covers) on the 600-character quotes: hit@1,
hit@3, MRR over the answerable questions. llama-index's own RetrieverEvaluator (hit_rate, mrr) is
run on the four llama-index retrievers with the chunks that hold an evidence string as the
expected ids; it looks at whole chunks, so the gap to hit@3 is what the 600-character cut costs.
Warm latency: blocks of 8 questions go to each system in turn, each block after an untimed pause
and warm-up query (interleaved, so load from other processes hits all alike). One round by default:
the product caches query vectors, so a repeated question would time the cache, not the pipeline.
Index build: from the files to a queryable index, embedding model load included. Cold start and
peak memory: one fresh subprocess per system loads the saved index, answers the first question
(cold start = wall time from spawning the process to that answer), then all the others; peak memory
is that process's peak resident set size (VmHWM in /proc/self/status; ru_maxrss elsewhere), Python
runtime, libraries and model included.

Writes OUT/benchmark.md, OUT/benchmark.json and OUT/benchmark.png (chart), with date and machine.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.common import (
    EXPORTS_HELP,
    ROOT,
    machine,
    machine_line,
    markdown_table,
    peak_rss_mb,
    share_exports,
)

SYSTEMS = ("product", "starter", "starter-128", "bm25", "hybrid")
LABELS = {
    "product": "this product",
    "starter": "llama-index starter (1024-token chunks)",
    "starter-128": "llama-index starter, 128-token chunks",
    "bm25": "llama-index BM25Retriever alone",
    "hybrid": "llama-index hybrid: vector + BM25, QueryFusionRetriever (128-token chunks)",
}
BASELINE = "starter"
QUOTE_CHARS = 600
TOP_K = 3
CHROMA_COLLECTION = "starter"
WARM_UP = "How do traffickers use social media?"
BLOCK = 8  # questions timed in a row on one system before switching to the next
SWITCH_PAUSE_S = 0.1
# (chunk_size, chunk_overlap) in tokens; None for the product.
CHUNKING = {
    "starter": (1024, 200),
    "starter-128": (128, 20),
    "bm25": (1024, 200),
    "hybrid": (128, 20),
}


# -- the systems ----------------------------------------------------------------------------------


class Product:
    """bot.Bot on a fresh index in `work`."""

    name = "product"

    def __init__(self, corpus: Path, work: Path, exports: Path | None = None) -> None:
        self.corpus, self.index_dir = corpus, work / "product-index"
        if exports is not None:
            share_exports(exports, self.index_dir)

    def build(self) -> None:
        from bot import Bot
        from bot.config import Config
        from bot.index import build

        config = Config.load(corpus_dir=self.corpus, index_dir=self.index_dir)
        build(config, progress=False)
        self.bot = Bot(config=config, progress=False)

    def ask(self, question: str) -> tuple[str, list[str]]:
        answer = self.bot.ask(question)
        return answer.status, [c.quote for c in answer.citations]

    def state(self) -> dict[str, Any]:
        return {"corpus": str(self.corpus), "index_dir": str(self.index_dir)}

    def triage_ms(self, questions: list[str], rounds: int = 5) -> float:
        """Median time safety triage adds to one `ask`.

        `ask` encodes the question for the safety classifier beside the retrieval encoding, on a
        thread each, then decides from that vector. Triage therefore adds the difference between
        encoding side by side and the retrieval encoding alone (both without the query cache),
        plus the decision given the vector; medians over every question, `rounds` times.
        """
        from concurrent.futures import ThreadPoolExecutor

        from bot.embedding import OnnxEncoder, query_model_path
        from bot.evaluation import percentile

        config = self.bot.config
        retrieval, classifier = (
            OnnxEncoder(query_model_path(config, m), config.model_path, threads=1, cache_size=0)
            for m in ("retrieval", "triage")
        )
        vectors = classifier.encode(questions)
        alone, beside, decide = [], [], []
        with ThreadPoolExecutor(2) as pool:
            for _ in range(rounds):
                for question, vector in zip(questions, vectors, strict=True):
                    t0 = time.perf_counter()
                    retrieval.encode([question])
                    t1 = time.perf_counter()
                    pending = pool.submit(retrieval.encode, [question])
                    classifier.encode([question])
                    pending.result()
                    t2 = time.perf_counter()
                    self.bot.safety.triage(question, vector)
                    t3 = time.perf_counter()
                    alone.append(t1 - t0)
                    beside.append(t2 - t1)
                    decide.append(t3 - t2)
        extra = percentile(beside, 0.5) - percentile(alone, 0.5)
        return 1000 * (max(0.0, extra) + percentile(decide, 0.5))


def _llama_settings(model_path: str) -> Any:
    """The starter's global Settings: local embedding model, no LLM."""
    from llama_index.core import Settings
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    with contextlib.redirect_stdout(io.StringIO()):  # "LLM is explicitly disabled..."
        Settings.llm = None
    Settings.embed_model = HuggingFaceEmbedding(model_name=model_path, device="cpu")
    return Settings.embed_model


def _chroma(path: Path) -> Any:
    import chromadb
    from chromadb.config import Settings

    return chromadb.PersistentClient(
        path=str(path), settings=Settings(anonymized_telemetry=False, allow_reset=False)
    )


def _nodes(files: list[Path], chunk_size: int, overlap: int) -> list[Any]:
    from llama_index.core import SimpleDirectoryReader
    from llama_index.core.node_parser import SentenceSplitter

    documents = SimpleDirectoryReader(input_files=[str(f) for f in files]).load_data()
    splitter = SentenceSplitter(chunk_size=chunk_size, chunk_overlap=overlap)
    return splitter.get_nodes_from_documents(documents)


def _fusion(vector: Any, lexical: Any) -> Any:
    """llama-index's hybrid retriever: reciprocal rank fusion, the question as the only query."""
    from llama_index.core.retrievers import QueryFusionRetriever

    return QueryFusionRetriever(
        [vector, lexical],
        similarity_top_k=TOP_K,
        num_queries=1,  # no LLM: no generated queries
        mode="reciprocal_rerank",
        use_async=False,
    )


class LlamaSystem:
    """A llama-index retriever; its answer is the top 3 chunks cut to 600 characters."""

    def __init__(self, name: str, files: list[Path], model_path: str, work: Path) -> None:
        self.name, self.files, self.model_path = name, files, model_path
        self.store = work / f"{name}-store"
        self.chunk_size, self.overlap = CHUNKING[name]

    def build(self) -> None:
        self.nodes = _nodes(self.files, self.chunk_size, self.overlap)
        if self.name == "bm25":
            from llama_index.retrievers.bm25 import BM25Retriever

            self.retriever = BM25Retriever.from_defaults(nodes=self.nodes, similarity_top_k=TOP_K)
            self.retriever.persist(str(self.store))
            return
        from llama_index.core import StorageContext, VectorStoreIndex
        from llama_index.vector_stores.chroma import ChromaVectorStore

        embed_model = _llama_settings(self.model_path)
        collection = _chroma(self.store).get_or_create_collection(CHROMA_COLLECTION)
        storage = StorageContext.from_defaults(
            vector_store=ChromaVectorStore(chroma_collection=collection)
        )
        # What VectorStoreIndex.from_documents does after splitting; the nodes are kept so
        # that RetrieverEvaluator can be told which chunk ids hold the evidence.
        index = VectorStoreIndex(self.nodes, storage_context=storage, embed_model=embed_model)
        self.retriever = index.as_retriever(similarity_top_k=TOP_K)
        if self.name == "hybrid":
            from llama_index.retrievers.bm25 import BM25Retriever

            lexical = BM25Retriever.from_defaults(nodes=self.nodes, similarity_top_k=TOP_K)
            lexical.persist(str(self.store / "bm25"))
            self.retriever = _fusion(self.retriever, lexical)

    def ask(self, question: str) -> tuple[str, list[str]]:
        found = self.retriever.retrieve(question)
        return "answered", [n.node.get_content()[:QUOTE_CHARS] for n in found]

    def state(self) -> dict[str, Any]:
        return {"store": str(self.store), "model_path": self.model_path}


# -- measuring -------------------------------------------------------------------------------------


def ask_interleaved(
    systems: dict[str, Any], items: list[dict[str, Any]], rounds: int
) -> tuple[dict[str, list[tuple[str, list[str]]]], dict[str, list[float]]]:
    """Blocks of questions to each system in turn, `rounds` times, after one warm-up each.

    Interleaving makes the latency comparison fair on a shared machine: a burst of load from
    another process slows every system alike instead of whichever happened to be measured then.
    Blocks (not single questions) and an untimed pause at each switch keep one system's
    leftovers (onnxruntime's worker threads spin for a moment after a run) out of the next
    system's timings. Answers are kept from the first round; latencies (ms) from all rounds.
    """
    answers: dict[str, list[tuple[str, list[str]]]] = {name: [] for name in systems}
    latencies: dict[str, list[float]] = {name: [] for name in systems}
    for round_ in range(rounds):
        for first in range(0, len(items), BLOCK):
            for name, system in systems.items():
                time.sleep(SWITCH_PAUSE_S)
                system.ask(WARM_UP)  # untimed: the system's threads and caches are awake
                for item in items[first : first + BLOCK]:
                    t0 = time.perf_counter()
                    answer = system.ask(item["question"])
                    latencies[name].append((time.perf_counter() - t0) * 1000)
                    if round_ == 0:
                        answers[name].append(answer)
    return answers, latencies


def quality(
    answers: list[tuple[str, list[str]]], latencies: list[float], items: list[dict[str, Any]]
) -> dict[str, Any]:
    """hit@1, hit@3, MRR with CONTRACT.md's rule, answered / abstention rates, latency."""
    from bot.evaluation import hit_rank, percentile

    ranks = [
        hit_rank([{"quote": q} for q in quotes], item["evidence"], TOP_K)
        for (_, quotes), item in zip(answers, items, strict=True)
        if item["kind"] == "answerable"
    ]
    statuses = [status for status, _ in answers]
    answerable = [s for s, i in zip(statuses, items, strict=True) if i["kind"] == "answerable"]
    oos = [s for s, i in zip(statuses, items, strict=True) if i["kind"] == "out_of_scope"]
    n = max(len(ranks), 1)
    return {
        "hit1": round(sum(r == 1 for r in ranks) / n, 3),
        "hit3": round(sum(r > 0 for r in ranks) / n, 3),
        "mrr": round(sum(1 / r for r in ranks if r) / n, 3),
        "answered": round(sum(s == "answered" for s in answerable) / n, 3),
        "oos_abstain": round(sum(s == "no_answer" for s in oos) / len(oos), 3) if oos else None,
        "p50_ms": round(percentile(latencies, 0.5), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
    }


def retriever_evaluator(system: LlamaSystem, items: list[dict[str, Any]]) -> dict[str, Any]:
    """llama-index's RetrieverEvaluator (hit_rate, mrr); expected ids = chunks with the evidence."""
    from llama_index.core.evaluation import RetrieverEvaluator

    from bot.evaluation import covers

    evaluator = RetrieverEvaluator.from_metric_names(
        ["hit_rate", "mrr"], retriever=system.retriever
    )
    hit, mrr, used, skipped = 0.0, 0.0, 0, 0
    for item in items:
        if item["kind"] != "answerable":
            continue
        expected = [
            n.node_id
            for n in system.nodes
            if any(covers(n.get_content(), ev) for ev in item["evidence"])
        ]
        if not expected:  # the evidence straddles two chunks: no chunk id can be expected
            skipped += 1
            continue
        result = evaluator.evaluate(query=item["question"], expected_ids=expected)
        values = result.metric_vals_dict
        hit, mrr, used = hit + values["hit_rate"], mrr + values["mrr"], used + 1
    return {
        "re_hit_rate": round(hit / used, 3) if used else None,
        "re_mrr": round(mrr / used, 3) if used else None,
        "re_questions": used,
        "re_skipped": skipped,
    }


def cold_start(name: str, state: dict[str, Any], questions: Path) -> dict[str, Any]:
    """Spawn a fresh process that loads the saved index and answers; time and peak memory."""
    with tempfile.TemporaryDirectory() as tmp:
        state_file, result_file = Path(tmp) / "state.json", Path(tmp) / "result.json"
        state_file.write_text(json.dumps({"questions": str(questions), **state}))
        t0 = time.time()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.compare",
                "--child",
                name,
                "--state",
                str(state_file),
                "--result",
                str(result_file),
                "--t0",
                repr(t0),
            ],
            capture_output=True,
            text=True,
            cwd=str(ROOT),
            check=False,
        )
        if proc.returncode != 0 or not result_file.exists():
            raise RuntimeError(f"cold start of {name} failed:\n{proc.stderr[-3000:]}")
        return json.loads(result_file.read_text())


def _child(name: str, state_file: Path, result_file: Path, t0: float) -> None:
    """Inside the fresh process: load what `build` saved, answer the first question, then all."""
    state = json.loads(state_file.read_text())
    from bot.evaluation import load_questions

    questions = [i["question"] for i in load_questions(Path(state["questions"]))]
    ask: Callable[[str], Any]
    if name == "product":
        from bot import Bot

        bot = Bot(corpus_dir=state["corpus"], index_dir=state["index_dir"], progress=False)
        ask = bot.ask
    elif name == "bm25":
        from llama_index.retrievers.bm25 import BM25Retriever

        ask = BM25Retriever.from_persist_dir(state["store"]).retrieve
    else:
        from llama_index.core import VectorStoreIndex
        from llama_index.vector_stores.chroma import ChromaVectorStore

        embed_model = _llama_settings(state["model_path"])
        collection = _chroma(Path(state["store"])).get_collection(CHROMA_COLLECTION)
        index = VectorStoreIndex.from_vector_store(
            ChromaVectorStore(chroma_collection=collection), embed_model=embed_model
        )
        retriever = index.as_retriever(similarity_top_k=TOP_K)
        if name == "hybrid":
            from llama_index.retrievers.bm25 import BM25Retriever

            lexical = BM25Retriever.from_persist_dir(str(Path(state["store"]) / "bm25"))
            retriever = _fusion(retriever, lexical)
        ask = retriever.retrieve
    ask(questions[0])
    first = time.time() - t0
    for q in questions[1:]:
        ask(q)
    result_file.write_text(json.dumps({"cold_s": round(first, 2), "peak_mb": peak_rss_mb()}))


# -- the report ------------------------------------------------------------------------------------


def _fmt(value: Any, kind: str) -> str:
    if value is None:
        return "n/a"
    if kind == "pct":
        return f"{100 * value:.1f}%"
    if kind == "3":
        return f"{value:.3f}"
    if kind == "ms":
        return f"{value:.1f}"
    if kind == "s":
        return f"{value:.2f}"
    return f"{value:.0f}"


COLUMNS = [  # key, header, format, higher is better
    ("hit1", "hit@1", "pct", True),
    ("hit3", "hit@3", "pct", True),
    ("mrr", "MRR", "3", True),
    ("re_hit_rate", "RetrieverEvaluator hit_rate", "3", True),
    ("re_mrr", "RetrieverEvaluator mrr", "3", True),
    ("answered", "answered (answerable)", "pct", True),
    ("oos_abstain", "abstains (out of scope)", "pct", True),
    ("p50_ms", "warm p50 ms", "ms", False),
    ("p95_ms", "warm p95 ms", "ms", False),
    ("build_s", "index build s", "s", False),
    ("cold_s", "cold start s", "s", False),
    ("peak_mb", "peak RSS MB", "mb", False),
]
RATIO_KEYS = ["hit1", "hit3", "mrr", "p50_ms", "p95_ms", "build_s", "cold_s", "peak_mb"]


def ratios(results: dict[str, dict[str, Any]]) -> dict[str, dict[str, float | None]]:
    """Each system's figures divided by the llama-index starter's."""
    base = results[BASELINE]
    out = {}
    for name, r in results.items():
        out[name] = {
            k: (round(r[k] / base[k], 2) if r.get(k) is not None and base.get(k) else None)
            for k in RATIO_KEYS
        }
    return out


def targets(results: dict[str, dict[str, Any]]) -> list[tuple[str, bool]]:
    """The quality and speed bar of the relevance issue, checked on this run's figures."""
    p, s = results["product"], results[BASELINE]
    return [
        (f"product hit@1 {p['hit1']:.3f} > starter {s['hit1']:.3f}", p["hit1"] > s["hit1"]),
        (f"product MRR {p['mrr']:.3f} > starter {s['mrr']:.3f}", p["mrr"] > s["mrr"]),
        (
            f"product warm p50 {p['p50_ms']:.1f} ms <= starter {s['p50_ms']:.1f} ms",
            p["p50_ms"] <= s["p50_ms"],
        ),
        (
            f"product warm p95 {p['p95_ms']:.1f} ms <= 1.5 x starter {s['p95_ms']:.1f} ms",
            p["p95_ms"] <= 1.5 * s["p95_ms"],
        ),
        (f"product cold start {p['cold_s']:.2f} s <= 2.5 s", p["cold_s"] <= 2.5),
    ]


def triage_target(product: dict[str, Any]) -> tuple[str, bool]:
    """Issue 3's bar: triage adds at most 5 ms to the median ask."""
    ms = product["triage_p50_ms"]
    return (f"safety triage adds {ms:.2f} ms (median) to an ask <= 5 ms", ms <= 5.0)


def markdown(run: dict[str, Any]) -> str:
    results, rat = run["results"], run["ratios"]
    header = ["system", *[c[1] for c in COLUMNS]]
    rows = [[LABELS[n], *[_fmt(r.get(k), f) for k, _, f, _ in COLUMNS]] for n, r in results.items()]
    ratio_header = ["system", *[h for k, h, _, _ in COLUMNS if k in RATIO_KEYS]]
    ratio_rows = [
        [LABELS[n], *[("n/a" if rat[n][k] is None else f"{rat[n][k]:.2f}×") for k in RATIO_KEYS]]
        for n in results
    ]
    checks = "\n".join(f"- {'met' if ok else 'NOT MET'}: {text}" for text, ok in run["targets"])
    re_used = ", ".join(
        f"{n} {r['re_questions']} of {r['re_questions'] + r['re_skipped']}"
        for n, r in results.items()
        if r.get("re_questions") is not None
    )
    q = run["questions"]
    return f"""# Benchmark: this product against llama-index pipelines

Run on {machine_line(run["machine"])}.

Questions: `{q["file"]}` ({q["answerable"]} answerable, {q["out_of_scope"]} out of scope,
{q["total"]} in all); corpus: `{run["corpus"]}` ({run["corpus_files"]} files).
Command: `{run["command"]}`

![benchmark chart](benchmark.png)

{markdown_table(header, rows)}

Ratios against the llama-index starter (value ÷ starter; above 1 is better for quality, below 1
is better for time and memory):

{markdown_table(ratio_header, ratio_rows)}

RetrieverEvaluator questions used (the others' evidence straddles two chunks): {re_used}.

Targets (the relevance issue, and triage time from the safety issue) on this run:
{checks}

How it is measured: quality uses CONTRACT.md's rule (80% of an evidence string's words in one of
the first three quotes) on 600-character quotes; the llama-index pipelines never abstain, so a
question they should decline still gets three chunks. RetrieverEvaluator looks at whole chunks
(expected ids: the chunks that hold an evidence string; questions whose evidence straddles two
chunks are left out). Warm latency: in one process, blocks of {BLOCK} questions to each system
in turn (interleaved), each block after an untimed pause and warm-up query; {run["rounds"]}
round(s).
Index build: files to queryable index, model load included. Cold start: wall time from spawning a
fresh Python process to its first answer from the saved index. Peak memory: that process's
peak resident set size (`VmHWM`) after it answered every question (Python, libraries and the
model included).
"""


def chart(run: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    results = run["results"]
    names = list(results)
    colors = ["#2b6cb0" if n == "product" else "#a0aec0" for n in names]
    short = {
        "product": "product",
        "starter": "starter",
        "starter-128": "starter\n128 tok",
        "bm25": "BM25",
        "hybrid": "hybrid\nvec+BM25",
    }
    fig, axes = plt.subplots(2, 3, figsize=(13, 7.5))
    ax = axes[0][0]
    width = 0.26
    for j, (key, label) in enumerate((("hit1", "hit@1"), ("hit3", "hit@3"), ("mrr", "MRR"))):
        xs = [i + (j - 1) * width for i in range(len(names))]
        ax.bar(
            xs,
            [results[n][key] for n in names],
            width,
            label=label,
            color=["#2b6cb0", "#63b3ed", "#bee3f8"][j],
        )
    ax.set_xticks(range(len(names)), [short[n] for n in names])
    ax.set_ylim(0, 1)
    ax.set_title("Quality (higher is better)")
    ax.legend(fontsize=8)
    panels = [
        ("p50_ms", "Warm query latency p50 (ms)"),
        ("build_s", "Index build (s)"),
        ("cold_s", "Cold start to first answer (s)"),
        ("peak_mb", "Peak memory, RSS (MB)"),
        ("p95_ms", "Warm query latency p95 (ms)"),
    ]
    for ax, (key, title) in zip([*axes[0][1:], *axes[1]], panels, strict=True):
        values = [results[n].get(key) or 0 for n in names]
        bars = ax.bar(range(len(names)), values, color=colors)
        ax.bar_label(bars, fmt="%.1f" if key != "peak_mb" else "%.0f", fontsize=8)
        ax.set_xticks(range(len(names)), [short[n] for n in names])
        ax.set_title(title + " (lower is better)")
    fig.suptitle(
        f"{run['questions']['answerable']} answerable questions, "
        f"{run['corpus_files']} corpus files, 600-character quotes, top 3",
        fontsize=11,
    )
    fig.text(0.5, 0.01, machine_line(run["machine"]), ha="center", fontsize=7, wrap=True)
    fig.tight_layout(rect=(0, 0.04, 1, 0.96))
    fig.savefig(path, dpi=110)
    plt.close(fig)


# -- main ------------------------------------------------------------------------------------------


def _shown(path: Path) -> str:
    """A path as the reader would type it: relative to the repository when inside it."""
    path = Path(path).resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run(
    questions: Path,
    corpus: Path,
    out: Path,
    systems: tuple[str, ...],
    rounds: int = 1,
    exports: Path | None = None,
) -> dict[str, Any]:
    from bot.config import Config
    from bot.corpus import discover
    from bot.evaluation import load_questions

    items = load_questions(questions)
    files, _ = discover(corpus)
    model_path = Config.load().model_path
    import torch  # noqa: F401  (imported before timing, so no system pays for it alone)

    results: dict[str, dict[str, Any]] = {name: {} for name in systems}
    with tempfile.TemporaryDirectory(prefix="bench-compare-") as tmp:
        work = Path(tmp)
        built: dict[str, Any] = {}
        for name in systems:
            _say(f"[{name}] building the index")
            system = (
                Product(corpus, work, exports)
                if name == "product"
                else LlamaSystem(name, files, model_path, work)
            )
            t0 = time.perf_counter()
            system.build()
            results[name]["build_s"] = round(time.perf_counter() - t0, 2)
            built[name] = system
        _say(f"asking {len(items)} questions x {rounds} rounds, systems interleaved")
        answers, latencies = ask_interleaved(built, items, rounds)
        for name, system in built.items():
            results[name].update(quality(answers[name], latencies[name], items))
            if name == "product":
                results[name].update(re_hit_rate=None, re_mrr=None)
                triage = system.triage_ms([i["question"] for i in items])
                results[name]["triage_p50_ms"] = round(triage, 2)
            else:
                _say(f"[{name}] RetrieverEvaluator")
                results[name].update(retriever_evaluator(system, items))
        for name, system in built.items():
            _say(f"[{name}] cold start in a fresh process")
            results[name].update(cold_start(name, system.state(), questions))
    kinds = [i["kind"] for i in items]
    run_ = {
        "machine": machine(),
        "command": " ".join(["python -m benchmarks.compare", *sys.argv[1:]]),
        "questions": {
            "file": _shown(questions),
            "total": len(items),
            "answerable": kinds.count("answerable"),
            "out_of_scope": kinds.count("out_of_scope"),
        },
        "corpus": _shown(corpus),
        "corpus_files": len(files),
        "rounds": rounds,
        "results": results,
    }
    if BASELINE in results:
        run_["ratios"] = ratios(results)
        run_["targets"] = targets(results) if "product" in results else []
    if "product" in results:
        run_.setdefault("targets", []).append(triage_target(results["product"]))
    out.mkdir(parents=True, exist_ok=True)
    (out / "benchmark.json").write_text(json.dumps(run_, indent=2))
    if "ratios" in run_:
        (out / "benchmark.md").write_text(markdown(run_))
    chart(run_, out / "benchmark.png")
    return run_


def print_summary(run_: dict[str, Any]) -> None:
    results = run_["results"]
    keys = [
        c
        for c in COLUMNS
        if c[0]
        in (
            "hit1",
            "hit3",
            "mrr",
            "re_hit_rate",
            "re_mrr",
            "p50_ms",
            "p95_ms",
            "build_s",
            "cold_s",
            "peak_mb",
        )
    ]
    header = ["system", *[h.replace("RetrieverEvaluator ", "RE ") for _, h, _, _ in keys]]
    rows = [[n, *[_fmt(r.get(k), f) for k, _, f, _ in keys]] for n, r in results.items()]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    for row in [header, *rows]:
        print("  ".join(str(c).rjust(w) for c, w in zip(row, widths, strict=True)))
    if "ratios" in run_:
        print(f"\nRatios against {BASELINE}:")
        for name, rat in run_["ratios"].items():
            print(
                f"  {name:<12}",
                "  ".join(f"{k}={'n/a' if v is None else f'{v:.2f}x'}" for k, v in rat.items()),
            )
    for text, ok in run_.get("targets", []):
        print(f"{'met' if ok else 'NOT MET'}: {text}")
    print(f"\n{machine_line(run_['machine'])}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--questions", type=Path, default=ROOT / "eval" / "questions.jsonl")
    p.add_argument("--corpus", type=Path, default=None, help="default: the configured corpus")
    p.add_argument("--out", type=Path, default=ROOT / "docs")
    p.add_argument(
        "--systems",
        default=",".join(SYSTEMS),
        help=f"comma-separated subset of {','.join(SYSTEMS)}",
    )
    p.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="times each question is asked (default 1; more rounds repeat questions, and the "
        "product's query cache then answers them)",
    )
    p.add_argument("--exports", type=Path, help=EXPORTS_HELP)
    p.add_argument("--child", choices=SYSTEMS, help=argparse.SUPPRESS)
    p.add_argument("--state", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--t0", type=float, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        _child(args.child, args.state, args.result, args.t0)
        return 0
    systems = tuple(s.strip() for s in args.systems.split(",") if s.strip())
    unknown = [s for s in systems if s not in SYSTEMS]
    if unknown or not systems:
        p.error(f"unknown systems: {', '.join(unknown) or '(none)'}")
    from bot.config import Config

    corpus = args.corpus or Config.load().corpus_dir
    if args.rounds < 1:
        p.error("--rounds must be at least 1")
    print_summary(run(args.questions, corpus, args.out, systems, args.rounds, args.exports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
