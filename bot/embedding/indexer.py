"""The indexer: passages through the model's transformer when the index is built, in int8 through
onnxruntime where the build made that graph (bot.embedding.quantise), else in torch."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from bot.config import Config
from bot.embedding.model import input_names, tokenizer, uses_mean_pooling
from bot.embedding.pooling import batches, mean_vectors, token_sums


class IndexEncoder:
    """The indexer: the model's transformer, mean pooled here; through onnxruntime when `graph`
    (the int8 export) is given, else through torch.

    Not sentence-transformers' `encode`, for two reasons. The index needs each text's token
    sums, not only its vector: a passage's vector is pooled from its sentences' token states
    (see bot.index.write). And it is faster here: batches sized in tokens (`padded_batches`)
    with the whole transformer in bfloat16 embed the sentences of 1,000 synthetic passages at
    169 passages/s against 93 for sentence-transformers' `encode` of the same bfloat16 model in
    batches of 16 (median of 3 alternating runs on this 2-core CPU; docs/scale.md has the current
    figures). Each text's vector is then cached (bot.index.cache): in bfloat16 it depends
    slightly on the batch it was padded in, so the cache keeps the first one.

    `bf16` runs the transformer in bfloat16, where the CPU does it natively (AVX512-BF16/AMX),
    and pools in float32: about 2.5x the speed of float32, vectors at cosine >= 0.9998 to float32
    ones (tests/test_embedding.py) and the same retrieval on both question sets. In bfloat16 a
    text's vector depends slightly on the batch it is padded in; float32 (`BOT_INDEX_BF16=0`)
    makes vectors independent of their batch. The int8 graph is faster again (1.3-1.5x bfloat16);
    its activations are quantised per batch, so it too depends slightly on the batch.
    """

    def __init__(
        self,
        model_path: str,
        batch_tokens: int = 2048,
        bf16: bool = False,
        graph: Path | None = None,
    ) -> None:
        if not uses_mean_pooling(model_path):
            raise ValueError(f"{model_path} does not use plain mean pooling")
        self.tokenizer = tokenizer(model_path)
        self.batch_tokens = batch_tokens
        self.model = self.session = None
        if graph is not None:
            import onnxruntime as ort

            self.session = ort.InferenceSession(str(graph), providers=["CPUExecutionProvider"])
            self.input_names = [i.name for i in self.session.get_inputs()]
            self.dimension = int(self.session.get_outputs()[0].shape[-1])
        else:
            import torch
            from transformers import AutoModel

            model = AutoModel.from_pretrained(model_path, local_files_only=True).eval()
            self.model = model.to(torch.bfloat16) if bf16 else model
            self.input_names = input_names(model)
            self.dimension = int(model.config.hidden_size)

    def _hidden(self, arrays: dict[str, np.ndarray]) -> np.ndarray:
        """The last hidden states of one padded batch, as float32."""
        if self.session is not None:
            return self.session.run(None, {n: arrays[n] for n in self.input_names})[0]
        import torch

        inputs = {n: torch.from_numpy(arrays[n]) for n in self.input_names}
        with torch.inference_mode():
            return self.model(**inputs).last_hidden_state.float().numpy()

    def token_sums(
        self,
        texts: Sequence[str],
        progress: bool = False,
        pause: Callable[[], None] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per text, the sum of its tokens' final states (float32) and its number of tokens.
        `pause` is called before each batch (a build keeps still while a question is asked)."""
        sums = np.zeros((len(texts), self.dimension), dtype=np.float32)
        counts = np.zeros(len(texts), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(list(texts)) if texts else []
        # Filled to full rows: a build meets few batch shapes, so its memory stays flat.
        for rows, arrays in batches(encodings, self.batch_tokens, progress, fill=True):
            if pause is not None:
                pause()
            hidden = self._hidden(arrays)[: len(rows)]
            sums[rows], counts[rows] = token_sums(hidden, arrays["attention_mask"][: len(rows)])
        return sums, counts

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        return mean_vectors(*self.token_sums(texts, progress))


def index_graph(config: Config) -> Path | None:
    """The int8 graph the indexer runs, when `index_int8` is on and the build made it; None:
    torch. Its vectors differ slightly from torch's, so the vector cache keys on it."""
    from bot.embedding.export import index_model_path

    graph = index_model_path(config)
    return graph if config.index_int8 and graph.exists() else None


def load_index_encoder(config: Config) -> IndexEncoder:
    """The indexer (the retrieval model, adapter merged in), loaded only to embed passages."""
    from bot.adapter import model_path

    return IndexEncoder(
        model_path(config), config.batch_tokens, config.index_bf16, index_graph(config)
    )
