"""`python -m bot train relevance`: adapt the encoder to the domain, then fit the relevance judge.

Training data are the JSON Lines files in `bot/data/relevance/train/`, each opening with an
`_about` line that says who wrote it and how. Answerable lines name the evidence (verbatim
strings of a corpus file); out-of-scope lines name none.

1. Split: a quarter of the answerable questions and half of the out-of-scope ones (by a hash of
   their text) are kept from the encoder, so the judge learns from similarities the encoder was
   not fitted to; the rest teach the encoder.
2. The encoder: LoRA adapters (bot.adapter) on all-MiniLM-L6-v2, trained as a bi-encoder with
   in-batch negatives plus one hard negative per question, mined from the base model's nearest
   sentences outside the evidence's passage, and a learned "no answer" line that out-of-scope
   questions must stay under. Questions and sentences share the adapter, because sentences are
   embedded with it at index time.
3. The judge (bot.judge): a throw-away index of the corpus is built with the new adapter, the
   judge's questions are retrieved through the product's own code, and two logistic models are
   fitted: the ranker on candidate passages (does its quote hold the evidence?), then the
   answerability model on questions. The threshold is the highest that still answers
   `ANSWER_RATE` of answerable questions under 5-fold cross-validation.

Everything is seeded, and the files written record the data's fingerprint (bot.adapter).
"""

from __future__ import annotations

import math
import random
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.adapter import data_fingerprint, mean_pool, new_lora_model, save_adapter, warmup_then_decay
from bot.config import ROOT, Config
from bot.judge import CANDIDATE_FEATURES, QUESTION_FEATURES, Judge, Logistic
from bot.training.data import data_files as files_in
from bot.training.data import fit_logistic, rows, text_byte

DATA_DIR = ROOT / "bot" / "data" / "relevance"
TRAIN_DIR = DATA_DIR / "train"
JUDGE_SHARE = 0.25  # answerable questions kept from the encoder for the judge
OUT_OF_SCOPE_JUDGE_SHARE = 0.5  # out-of-scope ones: the rest teach the encoder where to stop
ANSWER_RATE = 0.96  # share of answerable questions the threshold must still answer
SEED = 13


@dataclass(frozen=True)
class Example:
    question: str
    kind: str  # "answerable" or "out_of_scope"
    source: str = ""
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    epochs: int = 4
    batch_size: int = 32
    learning_rate: float = 2e-4
    rank: int = 16
    alpha: int = 32
    dropout: float = 0.1
    scale: float = 20.0  # inverse temperature of the contrastive softmax
    hard_negatives: int = 8  # nearest non-evidence sentences to sample one negative from
    max_tokens: int = 128
    null_cosine: float = 0.5  # where the learned "no answer" line starts


def data_files(folder: Path = TRAIN_DIR) -> list[Path]:
    return files_in(folder)


def read_examples(paths: list[Path]) -> list[Example]:
    """Every data line of the files, checked enough to fail loudly."""
    out = []
    for where, row in rows(paths):
        kind = row["kind"]
        if kind not in ("answerable", "out_of_scope"):
            raise ValueError(f"{where}: unknown kind {kind!r}")
        evidence = tuple(row.get("evidence", ()))
        if kind == "answerable" and not (row.get("source") and evidence):
            raise ValueError(f"{where}: an answerable line needs source and evidence")
        out.append(Example(row["question"], kind, row.get("source", ""), evidence))
    return out


def for_judge(example: Example) -> bool:
    """Deterministic split by a hash of the question: a quarter of the answerable and half of
    the out-of-scope questions go to the judge, the rest teach the encoder."""
    share = JUDGE_SHARE if example.kind == "answerable" else OUT_OF_SCOPE_JUDGE_SHARE
    return text_byte(example.question) / 256 < share


# -- the corpus as sentences -----------------------------------------------------------------------


@dataclass
class Sentences:
    texts: list[str]
    passage: list[int]  # the passage each sentence belongs to
    by_source: dict[str, list[tuple[int, int, int]]]  # source -> (start, end, sentence index)
    source_texts: dict[str, str]

    def positives(self, example: Example) -> set[int]:
        """The sentences an example's evidence overlaps (most of the sentence or the evidence)."""
        found: set[int] = set()
        text = self.source_texts.get(example.source, "")
        for ev in example.evidence:
            at = text.find(ev)
            if at < 0:
                continue
            lo, hi = at, at + len(ev)
            for start, end, i in self.by_source.get(example.source, []):
                overlap = min(hi, end) - max(lo, start)
                if overlap > 0.5 * min(end - start, hi - lo):
                    found.add(i)
        return found


def corpus_sentences(config: Config) -> Sentences:
    """The corpus cut exactly as the index cuts it (bot.corpus, bot.chunking)."""
    from bot.chunking import passages
    from bot.corpus import Skipped, discover, iter_sources

    files, _ = discover(config.corpus_dir)
    texts: list[str] = []
    owner: list[int] = []
    by_source: dict[str, list[tuple[int, int, int]]] = {}
    raw: dict[str, str] = {}
    n_passages = 0
    for source in iter_sources(files, config.corpus_dir):
        if isinstance(source, Skipped):
            continue
        raw[source.name] = source.text
        for p in passages(source, config.max_passage_chars, config.max_quote_chars):
            for span in p.sentences:
                by_source.setdefault(source.name, []).append((span.start, span.end, len(texts)))
                texts.append(source.text[span.start : span.end])
                owner.append(n_passages)
            n_passages += 1
    return Sentences(texts, owner, by_source, raw)


# -- the encoder -----------------------------------------------------------------------------------


def mine_hard_negatives(
    config: Config,
    questions: list[str],
    sentences: Sentences,
    positives: list[set[int]],
    n: int,
    unseen: frozenset[int] = frozenset(),
) -> list[list[int]]:
    """For each question, the base model's nearest sentences outside its evidence's passages
    (for an out-of-scope question, with no evidence, simply its nearest sentences), never one
    of the `unseen` sentences."""
    from bot.embedding import IndexEncoder

    encoder = IndexEncoder(config.model_path, config.batch_tokens, config.index_bf16)
    sims = encoder.encode(questions) @ encoder.encode(sentences.texts).T
    out = []
    for row, pos in zip(sims, positives, strict=True):
        banned = {sentences.passage[i] for i in pos}
        ranked = [
            int(i)
            for i in np.argsort(-row)
            if sentences.passage[int(i)] not in banned and int(i) not in unseen
        ]
        out.append(ranked[:n])
    return out


def train_encoder(
    config: Config,
    examples: list[Example],
    sentences: Sentences,
    settings: Settings,
    out: Path,
    record: dict[str, Any],
    log: Any = print,
    unseen: frozenset[int] = frozenset(),
) -> None:
    """Fit LoRA adapters with a contrastive loss and store them in `out` (bot.adapter).

    Each question's softmax runs over the batch's sentences plus a "no answer" column at a
    learned cosine: an answerable question must rank its evidence above every other sentence
    and above that line, an out-of-scope question must keep every sentence below it. The
    cosine of the best sentence then says more about whether the sources answer at all.
    """
    import torch
    from transformers import AutoTokenizer

    rng = random.Random(SEED)
    torch.manual_seed(SEED)
    items = [(e.question, sentences.positives(e)) for e in examples]
    items = [
        (q, pos)
        for (q, pos), e in zip(items, examples, strict=True)
        if pos or e.kind != "answerable"
    ]
    negatives = mine_hard_negatives(
        config,
        [q for q, _ in items],
        sentences,
        [p for _, p in items],
        settings.hard_negatives,
        unseen,
    )
    tokenizer = AutoTokenizer.from_pretrained(config.model_path, local_files_only=True)
    model = new_lora_model(config.model_path, settings.rank, settings.alpha, settings.dropout)
    null = torch.nn.Parameter(torch.tensor(settings.null_cosine))
    params = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(
        [{"params": params}, {"params": [null], "weight_decay": 0.0}],
        lr=settings.learning_rate,
        weight_decay=0.01,
    )
    steps = settings.epochs * math.ceil(len(items) / settings.batch_size)
    schedule = warmup_then_decay(optimiser, steps)
    model.train()
    t0, step = time.perf_counter(), 0
    for epoch in range(settings.epochs):
        order = list(range(len(items)))
        rng.shuffle(order)
        total = 0.0
        for lo in range(0, len(order), settings.batch_size):
            batch = order[lo : lo + settings.batch_size]
            chosen = [rng.choice(sorted(items[i][1])) if items[i][1] else None for i in batch]
            hard = [rng.choice(negatives[i]) for i in batch if negatives[i]]
            units = list(dict.fromkeys([u for u in chosen if u is not None] + hard))
            column = {u: c for c, u in enumerate(units)}
            # A sentence that is evidence for a question is no negative for it, even when it
            # came into the batch as another question's positive.
            mask = torch.zeros(len(batch), len(units) + 1, dtype=torch.bool)
            for row, i in enumerate(batch):
                for u in items[i][1]:
                    if u in column and u != chosen[row]:
                        mask[row, column[u]] = True
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=config.index_bf16):
                q = mean_pool(model, tokenizer, [items[i][0] for i in batch], settings.max_tokens)
                s = mean_pool(
                    model, tokenizer, [sentences.texts[u] for u in units], settings.max_tokens
                )
            cosines = torch.cat([q @ s.T, null.expand(len(batch), 1)], dim=1)
            logits = (cosines * settings.scale).masked_fill(mask, -1e4)
            target = torch.tensor([len(units) if u is None else column[u] for u in chosen])
            loss = torch.nn.functional.cross_entropy(logits, target)
            loss.backward()
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            total += float(loss.detach()) * len(batch)
            step += 1
        log(
            f"encoder epoch {epoch + 1}/{settings.epochs}: loss {total / len(items):.3f}, "
            f"no-answer cosine {float(null):.3f} ({step}/{steps} steps, "
            f"{time.perf_counter() - t0:.0f} s)"
        )
    model.eval()
    answerable = sum(bool(pos) for _, pos in items)
    extra = {
        "answerable": answerable,
        "out_of_scope": len(items) - answerable,
        "no_answer_cosine": round(float(null), 4),
        "settings": settings.__dict__,
        "seconds": round(time.perf_counter() - t0),
    }
    save_adapter(model, out, record | extra)


# -- the judge -------------------------------------------------------------------------------------


def as_searched(index: Any, examples: list[Example]) -> list[str]:
    """The questions as the product searches them: misspelt words read as the index's texts
    spell them (bot.spelling), so the judge learns from what it will be shown."""
    from bot.spelling import Speller

    speller = Speller(index.words)
    return [speller.correct(e.question) for e in examples]


def _retrievals(retriever: Any, questions: list[str], vectors: np.ndarray) -> list[Any]:
    """Each question through the product's own retrieval (bot.retrieve)."""
    return [retriever.search(q, v) for q, v in zip(questions, vectors, strict=True)]


def _listwise(groups: list[tuple[np.ndarray, np.ndarray]], l2: float = 1e-2) -> Logistic:
    """A linear ranker fitted listwise: per question, the softmax over its candidates should put
    its weight on those that hold the evidence (a better fit to "which one first" than scoring
    each candidate alone; on a held-out writer's questions it tied the encoder's cosine where a
    pointwise fit fell below it)."""
    import torch

    x = np.concatenate([f for f, _ in groups])
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    data = [(torch.tensor((f - mean) / scale), torch.tensor(y)) for f, y in groups if y.any()]
    w = torch.zeros(x.shape[1], dtype=torch.float64, requires_grad=True)
    optimiser = torch.optim.LBFGS([w], max_iter=200)

    def closure() -> Any:
        optimiser.zero_grad()
        nll = sum(torch.logsumexp(f @ w, 0) - torch.logsumexp((f @ w)[y], 0) for f, y in data)
        loss = nll / len(data) + l2 * (w * w).sum()
        loss.backward()
        return loss

    optimiser.step(closure)
    return Logistic(mean, scale, w.detach().numpy().astype(np.float64), 0.0)


def fit_judge(
    config: Config, examples: list[Example], record: dict[str, Any], log: Any = print
) -> Judge:
    """The ranker, then the answerability model and its threshold (see the module docstring)."""
    from sklearn.model_selection import StratifiedKFold

    from bot.embedding import load_index_encoder
    from bot.evaluation import covers
    from bot.index import IndexReader
    from bot.retrieve import Retriever

    index = IndexReader.open(config)
    questions = as_searched(index, examples)
    vectors = load_index_encoder(config).encode(questions)
    kept = [i for i, e in enumerate(examples) if e.kind == "answerable"]
    answerable = [examples[i] for i in kept]
    retriever = Retriever(index, config, _CANDIDATES_ONLY)
    results = _retrievals(retriever, [questions[i] for i in kept], vectors[kept])
    groups = []
    for e, r in zip(answerable, results, strict=True):
        labels = [any(covers(retriever.quote_text(h), ev) for ev in e.evidence) for h in r.ranked]
        groups.append((np.stack([h.features for h in r.ranked]), np.array(labels, dtype=bool)))
    ranker = _listwise(groups)
    found = sum(bool(y.any()) for _, y in groups)
    log(f"ranker: {len(groups)} questions, the evidence among the candidates for {found}")

    staged = Judge(ranker, _placeholder(len(QUESTION_FEATURES)), 0.0, {})
    results = _retrievals(Retriever(index, config, staged), questions, vectors)
    x = np.array([r.question_features for r in results])
    y = np.array([e.kind == "answerable" for e in examples], dtype=int)
    # Out-of-fold probabilities choose the threshold; the final model sees every question.
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    held = np.zeros(len(y))
    for fit, rest in folds.split(x, y):
        held[rest] = fit_logistic(x[fit], y[fit], c=1.0).probability(x[rest])
    threshold = answer_threshold(held[y == 1])
    answered = float((held[y == 1] >= threshold).mean())
    abstained = float((held[y == 0] < threshold).mean())
    log(
        f"judge: threshold {threshold:.3f}; cross-validated, {answered:.3f} of answerable "
        f"questions answered and {abstained:.3f} of out-of-scope ones abstained"
    )
    validation = {"answered": round(answered, 4), "out_of_scope_abstained": round(abstained, 4)}
    return Judge(
        ranker,
        fit_logistic(x, y, c=1.0),
        threshold,
        record | {"questions": len(examples), "cross_validated": validation},
    )


def answer_threshold(answerable: np.ndarray) -> float:
    """The judge's rule: the highest confidence threshold that still answers ANSWER_RATE of
    these answerable questions' confidences."""
    scores = np.sort(answerable)
    return float(scores[math.floor((1 - ANSWER_RATE) * len(scores))])


def _placeholder(n: int) -> Logistic:
    return Logistic(np.zeros(n), np.ones(n), np.zeros(n), 0.0)


# A judge whose ranker scores nothing: retrieval then returns the candidates and their features
# as the product would give them to the real judge (the extra passages nearest by the encoder).
_CANDIDATES_ONLY = Judge(
    _placeholder(len(CANDIDATE_FEATURES)), _placeholder(len(QUESTION_FEATURES)), 0.0, {}
)


# -- the command -----------------------------------------------------------------------------------


def train_relevance(
    data: list[Path],
    out: Path,
    settings: Settings,
    leave_out: str = "",
    limit: int = 0,
    log: Any = print,
) -> dict[str, Any]:
    """Train the adapter and the judge from `data` into `out` (adapter/ and judge.json)."""
    base = Config.load()
    examples = read_examples(data)
    if leave_out:  # for the leave-one-document-out measure: none of its questions are seen
        examples = [e for e in examples if e.source != leave_out]
    if limit:
        rng = random.Random(SEED)
        examples = rng.sample(examples, min(limit, len(examples)))
    record = {
        "data_files": [p.name for p in data],
        "data_fingerprint": data_fingerprint(data),
        "left_out": leave_out,
    }
    sentences = corpus_sentences(base)
    encoder_part = [e for e in examples if not for_judge(e)]
    judge_part = [e for e in examples if for_judge(e)]
    log(f"{len(encoder_part)} questions teach the encoder, {len(judge_part)} the judge")
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".training.", dir=out))
    try:
        # A left-out document stands for a file a user adds after training: its sentences are
        # not even negatives, or the encoder would learn to rank that one document down.
        unseen = frozenset(i for _, _, i in sentences.by_source.get(leave_out, []))
        train_encoder(
            base, encoder_part, sentences, settings, staging / "adapter", record, log, unseen
        )
        config = Config.load(
            index_dir=staging / "index", adapter_dir=staging / "adapter", judge_file=""
        )
        from bot.index import build

        build(config, progress=False, export_encoder=False)
        judge = fit_judge(config, judge_part, record, log)
        judge.save(staging / "judge.json")
        shutil.rmtree(out / "adapter", ignore_errors=True)
        (staging / "adapter").rename(out / "adapter")
        (staging / "judge.json").replace(out / "judge.json")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return judge.record
