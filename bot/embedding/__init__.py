"""Sentence embeddings: the indexer's encoder and the query encoder (onnxruntime).

Passages are embedded with the model's transformer when the index is built: its ONNX export with
int8 weights through onnxruntime (bot.embedding.quantise), or torch where that graph is missing.
Questions are encoded with onnxruntime + tokenizers from an ONNX export of the same model, made
once by the index build and cached beside the index: `import sentence_transformers` alone costs
about 5 s on this CPU and a query through torch 7-15 ms, against 0.1 s and about 2-4 ms here.
Only the export and the torch indexer use torch and transformers, and they import them inside
functions, so importing this module and answering a question never loads them.
sentence-transformers is the reference both are tested against, and the fallback for questions.

Modules: `model` (the installed model's files), `pooling` (mean pooling, token-sized batches),
`indexer` (index time), `export` (ONNX, index time), `quantise` (its int8 form, index time),
`query` (onnxruntime, query time).
"""

from bot.embedding.export import export_query_model, query_model_path
from bot.embedding.indexer import IndexEncoder, index_graph, load_index_encoder
from bot.embedding.model import max_seq_length, model_fingerprint
from bot.embedding.pooling import mean_vectors, normalise, padded_batches
from bot.embedding.quantise import export_index_model
from bot.embedding.query import (
    Encoder,
    OnnxEncoder,
    SentenceTransformerEncoder,
    load_query_encoder,
)

__all__ = [
    "Encoder",
    "IndexEncoder",
    "OnnxEncoder",
    "SentenceTransformerEncoder",
    "export_index_model",
    "export_query_model",
    "index_graph",
    "load_index_encoder",
    "load_query_encoder",
    "max_seq_length",
    "mean_vectors",
    "model_fingerprint",
    "normalise",
    "padded_batches",
    "query_model_path",
]
