"""Command line: `python -m bot index | ask | eval | train` (see README.md, CONTRACT.md).

Exit codes: 0 success; 1 a check failed (eval thresholds); 2 usage error (for example an empty
question); 3 the corpus or index cannot be used; 130 interrupted; 141 the output's reader went
away early (`| head -1`; what the shell reports for other programs stopped by SIGPIPE).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
from collections.abc import Iterable, Sequence

from bot.console import quiet_libraries
from bot.evaluation import add_eval_parser, run_eval
from bot.training import add_train_parser, run_train

EXIT_OK, EXIT_USAGE, EXIT_DATA, EXIT_INTERRUPTED, EXIT_PIPE = 0, 2, 3, 130, 141


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", dest="corpus_dir", help="folder of documents (BOT_CORPUS_DIR)")
    parser.add_argument("--index", dest="index_dir", help="folder of the index (BOT_INDEX_DIR)")
    parser.add_argument("--chroma-url", help="use a Chroma server instead (BOT_CHROMA_URL)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Questions about cyber trafficking, answered only with cited quotes.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    index = sub.add_parser("index", help="build or update the index (incremental)")
    _common(index)
    index.add_argument("--quiet", action="store_true", help="no progress bar")

    ask = sub.add_parser("ask", help="ask a question (or read one per line from stdin)")
    _common(ask)
    ask.add_argument("question", nargs="*", help="the question; omit to read stdin")
    ask.add_argument("--json", action="store_true", help="print the contract's JSON object")
    ask.add_argument("--region", help="hotline region, e.g. US, UK, CA, AU, MY, EU")
    ask.add_argument(
        "--log-questions",
        action="store_true",
        default=None,
        help="keep a local log of questions (off by default; nothing is ever sent anywhere)",
    )
    _common(add_eval_parser(sub))
    add_train_parser(sub)
    return parser


def _bot(args: argparse.Namespace, progress: bool = True):
    from bot import Bot

    overrides = {
        "corpus_dir": args.corpus_dir,
        "index_dir": args.index_dir,
        "chroma_url": args.chroma_url,
        "log_questions": getattr(args, "log_questions", None),
    }
    return Bot(progress=progress, **overrides)


def _say_skipped(item) -> None:
    """Each unusable file as soon as it is found (the summary lists them again)."""
    from tqdm import tqdm

    tqdm.write(f"skipped {item.name}: {item.reason}", file=sys.stderr)


def run_index(args: argparse.Namespace) -> int:
    from bot.config import Config
    from bot.index import build, yield_to_questions

    config = Config.load(
        corpus_dir=args.corpus_dir, index_dir=args.index_dir, chroma_url=args.chroma_url
    )
    yield_to_questions()  # questions asked meanwhile keep their speed
    report = build(config, progress=not args.quiet, on_skip=_say_skipped)
    print(report.summary())
    return EXIT_OK


def _request(line: str, region: str | None) -> tuple[str, list[str], str | None]:
    """A line of input: a question, or a JSON object {"question", "history", "region"} (the
    history being the earlier messages of a chat, oldest first, for follow-ups)."""
    if line.lstrip().startswith("{"):
        try:
            data = json.loads(line)
        except ValueError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("question"), str):
            history = data.get("history")
            history = (
                [m for m in history if isinstance(m, str)] if isinstance(history, list) else []
            )
            return data["question"], history, data.get("region") or region
    return line, [], region


def run_ask(args: argparse.Namespace) -> int:
    lines: Iterable[str] = (
        [" ".join(args.question).strip()]
        if args.question
        else (line.rstrip("\n") for line in sys.stdin)  # answered as each line arrives
    )
    questions = (q for q in lines if q.strip())  # blank lines are not questions
    first = next(questions, None)
    if first is None:
        print(
            'Please type a question, for example: python -m bot ask "How do traffickers '
            'use social media?" (or give one question per line on standard input)',
            file=sys.stderr,
        )
        return EXIT_USAGE
    bot = _bot(args)
    if bot.stale:
        from bot import wording

        print(wording.INDEX_OUT_OF_DATE.format(corpus=bot.config.corpus_dir), file=sys.stderr)
    for line in itertools.chain([first], questions):
        q, history, region = _request(line, args.region)
        answer = bot.ask(q, region=region, history=history)
        if args.json:
            print(json.dumps(answer.to_dict(), ensure_ascii=False), flush=True)
        else:
            from bot.present import plain

            print(plain(answer))
            if not args.question:
                print("\n" + "-" * 40, flush=True)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from bot.corpus import CorpusError
    from bot.index import IndexUnusable, VectorStoreUnavailable

    runners = {
        "index": run_index,
        "ask": run_ask,
        "eval": run_eval,
        "train": run_train,
    }
    try:
        code = runners[args.command](args)
        sys.stdout.flush()  # a reader gone early shows here, where it is caught, not at exit
        return code
    except BrokenPipeError:
        # Python's recipe: stdout points at devnull, so the flush at exit cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PIPE
    except (CorpusError, IndexUnusable, VectorStoreUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        print("Interrupted; the previous index is still in place.", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    quiet_libraries()
    sys.exit(main())
