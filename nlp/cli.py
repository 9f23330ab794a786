"""``sonae nlu`` and ``sonae eval-nlu``.

``register(subparsers)`` adds both commands; each sets ``func(args) -> int``. The command
functions also take their streams and the loaded model as keyword arguments, so tests call
them with ``StringIO`` and the session's pipeline instead of spawning processes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from spacy.language import Language

from nlp.batch import NluCache, iter_analyze
from nlp.evaluate import score
from nlp.gazetteer import Gazetteer
from nlp.pipeline import load_pipeline
from nlp.report_text import format_summary
from nlp.result import NluResult

__all__ = ["cmd_eval_nlu", "cmd_nlu", "output_record", "register"]

Resources = tuple[Language, Gazetteer]


def register(subparsers: Any) -> None:
    """Add ``nlu`` and ``eval-nlu`` to an argparse subparsers object."""
    nlu = subparsers.add_parser("nlu", help="analyse messages read from stdin, one JSON object per line out")
    nlu.add_argument("--batch-size", type=int, default=32, help="messages analysed together (1 = interactive)")
    nlu.set_defaults(func=cmd_nlu)

    ev = subparsers.add_parser("eval-nlu", help="score the NLU against an annotated JSONL corpus")
    ev.add_argument("corpus", type=Path, metavar="FILE.jsonl")
    ev.add_argument("--errors", type=Path, metavar="OUT.jsonl", help="write the misanalysed messages here")
    ev.add_argument("--json", action="store_true", help="print the summary as JSON")
    ev.set_defaults(func=cmd_eval_nlu)


def output_record(text: str, result: NluResult) -> dict[str, Any]:
    """The CLI's JSON shape: exactly the contract fields of issue 3."""
    data = result.to_dict()
    data["locations"] = [
        {k: loc[k] for k in ("text", "kind", "municipality", "municipality_code", "lat", "lon")}
        for loc in data["locations"]
    ]
    return {"text": text, **data}


def _lines(stream: TextIO) -> Iterator[str]:
    for line in stream:
        yield line.rstrip("\n").rstrip("\r")


def _chunks(lines: Iterable[str], size: int) -> Iterator[list[str]]:
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _stdin() -> TextIO:
    # Undecodable bytes must not kill a batch run: they become U+FFFD.
    return open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)


def cmd_nlu(
    args: argparse.Namespace,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    resources: Resources | None = None,
) -> int:
    """Read messages one per line, write one JSON result per line (flushed per batch)."""
    pipeline, gazetteer = resources or (load_pipeline(), Gazetteer.load_default())
    source = stdin or _stdin()
    out = stdout or sys.stdout
    size = max(1, getattr(args, "batch_size", 32))
    cache = NluCache()
    for chunk in _chunks(_lines(source), size):
        for text, result in zip(chunk, iter_analyze(chunk, pipeline, gazetteer, cache=cache), strict=True):
            out.write(json.dumps(output_record(text, result), ensure_ascii=False) + "\n")
        out.flush()
    return 0


def _load_corpus(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def cmd_eval_nlu(
    args: argparse.Namespace,
    *,
    stdout: TextIO | None = None,
    resources: Resources | None = None,
) -> int:
    """Analyse every corpus message, print the scores and optionally write the errors."""
    pipeline, gazetteer = resources or (load_pipeline(), Gazetteer.load_default())
    out = stdout or sys.stdout
    golds = _load_corpus(args.corpus)
    texts = [g["text"] for g in golds]
    preds = []
    for text, result in zip(texts, iter_analyze(texts, pipeline, gazetteer), strict=True):
        record = output_record(text, result)
        record["locations"] = [loc.to_dict() for loc in result.locations]  # keep offsets for scoring
        preds.append(record)
    report = score(golds, preds)
    summary = report.summary()
    if args.errors:
        with args.errors.open("w", encoding="utf-8") as fh:
            for error in report.errors:
                fh.write(json.dumps(error, ensure_ascii=False) + "\n")
    out.write((json.dumps(summary, ensure_ascii=False, indent=2) if args.json else format_summary(summary)) + "\n")
    return 0
