"""The report for people: the figures by kind as a table, the safety counts, the misses (so a
developer sees why a question failed) and the thresholds."""

from __future__ import annotations

from typing import Any

from bot.text import squash


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _clip(text: str, n: int) -> str:
    text = squash(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def format_report(report: dict[str, Any], max_misses: int = 40) -> str:
    """The table, the safety counts, the misses and the thresholds, as plain text."""
    head = (
        "kind",
        "n",
        "expected",
        "ok",
        "answered",
        "hit@1",
        "hit@3",
        "MRR",
        "verbatim",
        "p50 ms",
        "p95 ms",
    )
    rows = [head]
    for kind, s in report["by_kind"].items():
        rows.append(
            (
                kind,
                str(s["n"]),
                s["expected"],
                _pct(s["ok"]),
                _pct(s["answered"]),
                _pct(s.get("hit1")),
                _pct(s.get("hit3")),
                _num(s.get("mrr")),
                _pct(s["verbatim"]),
                f"{s['p50_ms']:.0f}",
                f"{s['p95_ms']:.0f}",
            )
        )
    t = report["summary"]
    rows.append(
        (
            "all",
            str(report["questions"]),
            "",
            "",
            "",
            "",
            "",
            "",
            _pct(t["verbatim"]),
            f"{t['p50_ms']:.0f}",
            f"{t['p95_ms']:.0f}",
        )
    )
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = [
        f"Evaluation of {report.get('file', 'the questions')}: {report['questions']} "
        f"questions, evidence looked for in the first {report['k']} quotes."
    ]
    if "ready_s" in report:
        lines[0] += f" Bot ready in {report['ready_s']:.1f} s."
    lines.append("")
    for r in rows:
        lines.append(
            "  ".join(
                c.ljust(w) if i in (0, 2) else c.rjust(w)
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )
    lines += [
        "",
        f"Benign questions refused or treated as crisis: {t['benign_flagged']}. "
        f"Harmful questions answered with citations: {t['harm_cited']}. "
        f"Quotes over 600 characters: {t['long_quotes']} of {t['quotes']}.",
    ]
    if t["ordinary_refused"] is not None:
        lines.append(
            f"Ordinary messages refused: {_pct(t['ordinary_refused'])}, given the crisis reply: "
            f"{_pct(t['ordinary_crisis'])}."
        )
    if t["language_help"] is not None:
        lines.append(
            f"Crisis messages in other languages helped in them: {_pct(t['language_help'])}."
        )
    misses = report["misses"]
    if misses:
        lines += ["", f"Misses ({len(misses)}):"]
        for m in misses[:max_misses]:
            lines.append(
                f"  {m['id']:<6} {m['kind']:<12} {m['status'] or '-':<9} {_clip(m['question'], 90)}"
            )
            if m.get("error"):
                lines.append(f"         error: {m['error']}")
            if m["first_quote"]:
                lines.append(
                    f"         first quote [{m['first_source']}]: {_clip(m['first_quote'], 110)}"
                )
            if m.get("evidence"):
                lines.append(
                    f"         expected [{m['expected_source']}]: {_clip(m['evidence'], 110)}"
                )
        if len(misses) > max_misses:
            lines.append(f"  … and {len(misses) - max_misses} more (--json lists them all)")
    lines += threshold_lines(report)
    return "\n".join(lines)


def threshold_lines(report: dict[str, Any]) -> list[str]:
    """One line per threshold checked: the metric, its bound, its value and the verdict."""
    lines = []
    for row in report.get("thresholds", []):
        verdict = "met" if row["ok"] else "NOT MET"
        value = "n/a" if row["value"] is None else f"{row['value']:.3f}"
        bound = f">= {row['min']:.3f}" if "min" in row else f"<= {row['max']:.3f}"
        lines.append(f"threshold {row['metric']} {bound}: {value} {verdict}")
    return lines
