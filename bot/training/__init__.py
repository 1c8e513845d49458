"""`python -m bot train relevance|unseen|triage|pair|confirm|conversation|sources`: one command
for the learned models.

Each starts from the installed all-MiniLM-L6-v2, trains LoRA adapters (bot.adapter) on the JSON
Lines files of its data folder, and stores what training changed with the data's fingerprint;
the index build (or the next start) merges and exports them to ONNX.
- `relevance` (bot.training.relevance): the retrieval encoder and the relevance judge.
- `unseen` (bot.training.unseen): the ranking offset and the judge's threshold for documents
  the training never saw, cross-fitted by leaving out each document in turn: run it after
  `relevance`.
- `triage` (bot.training.triage): the safety classifier.
- `pair` (bot.training.pair): the pair head, which reads a follow-up after the message before it
  with the safety classifier's encoder: retrain it after `triage`.
- `confirm` (bot.training.confirm): the confirming heads, a second reading over the safety
  classifier's vectors before a refusal or a crisis reply: retrain them after `triage`.
- `conversation` (bot.training.conversation): the follow-up models, two logistic regressions
  over a message's surface, and the follow-up encoder, which starts from the retrieval
  encoder's adapter: retrain it after `relevance`.
- `sources` (bot.training.sources): the head that reads a request for the source ("which
  article says that?") over the same features: retrain it after `relevance`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def add_train_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("train", help="retrain a learned model from its data files")
    parser.add_argument(
        "model",
        choices=["relevance", "unseen", "triage", "pair", "confirm", "conversation", "sources"],
        help="which model to retrain",
    )
    parser.add_argument("--data", type=Path, help="folder of training files (default: its own)")
    parser.add_argument("--out", type=Path, help="where the model is written (default: its own)")
    parser.add_argument("--epochs", type=int, help="passes over the data (default: its own)")
    parser.add_argument("--leave-out", default="", help="relevance: a corpus file left unseen")
    parser.add_argument("--limit", type=int, default=0, help="train on a sample (a quick check)")
    parser.add_argument(
        "--folds", type=Path, help="unseen: keep the folds' models here, reuse those up to date"
    )
    parser.add_argument(
        "--documents", default="", help="unseen: comma-separated corpus files to leave out"
    )
    parser.add_argument(
        "--thresholds-only",
        action="store_true",
        help="triage: choose the stored model's thresholds again on its validation split",
    )
    return parser


def run_train(args: argparse.Namespace) -> int:
    if args.model == "conversation":
        from bot.conversation import MODEL_FILE, TRAIN_DIR
        from bot.training.conversation import EncoderSettings, train_conversation

        settings = EncoderSettings(**({"epochs": args.epochs} if args.epochs else {}))
        record = train_conversation(args.data or TRAIN_DIR, args.out or MODEL_FILE, None, settings)
    elif args.model == "sources":
        from bot.conversation import SOURCES_FILE
        from bot.training import sources

        files = sources.default_files(args.data or sources.SOURCES_DIR)
        record = sources.train_sources(files, args.out or SOURCES_FILE)
    elif args.model == "pair":
        from bot.safety.pair import PAIR_FILE
        from bot.training import pair

        pair_files, conversation_files = pair.default_files()
        if args.data:
            pair_files = pair.data_files(args.data)
        record = pair.train_pair(pair_files, conversation_files, args.out or PAIR_FILE, args.limit)
    elif args.model == "confirm":
        from bot.safety.confirm import CONFIRM_FILE
        from bot.training import confirm

        messages, questions, held = confirm.default_files()
        if args.data:
            held = confirm.data.data_files(args.data)
        out = args.out or CONFIRM_FILE
        record = confirm.train_confirm((messages, questions, held), out, limit=args.limit)
    elif args.model == "triage":
        from bot.safety.classifier import MODEL_DIR, TRAIN_DIR
        from bot.training import triage

        files = triage.data_files(args.data or TRAIN_DIR)
        settings = triage.Settings(**({"epochs": args.epochs} if args.epochs else {}))
        if not files:
            raise SystemExit(f"no training files (*.jsonl) in {args.data or TRAIN_DIR}")
        if args.thresholds_only:
            record = triage.rechoose_thresholds(files, args.out or MODEL_DIR)
        else:
            record = triage.train_triage(files, args.out or MODEL_DIR, settings, args.limit)
    elif args.model == "unseen":
        from bot.training import relevance, unseen

        files = relevance.data_files(args.data or relevance.TRAIN_DIR)
        settings = relevance.Settings(epochs=args.epochs or unseen.FOLD_EPOCHS)
        documents = [d for d in args.documents.split(",") if d]
        record = unseen.train_unseen(
            files, args.out or relevance.DATA_DIR, settings, args.folds, documents, args.limit
        )
    else:
        from bot.training import relevance

        files = relevance.data_files(args.data or relevance.TRAIN_DIR)
        settings = relevance.Settings(**({"epochs": args.epochs} if args.epochs else {}))
        if not files:
            raise SystemExit(f"no training files (*.jsonl) in {args.data or relevance.TRAIN_DIR}")
        record = relevance.train_relevance(
            files, args.out or relevance.DATA_DIR, settings, args.leave_out, args.limit
        )
    print(json.dumps(record, indent=1))
    return 0
