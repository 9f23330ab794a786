"""Score NLU output against an annotated corpus (``sonae eval-nlu``).

Gold and predicted records share the CLI's JSON shape. Location spans are compared by
character offsets: gold spans are located in the text in order of appearance. A gold
mention with a municipality is *geocodable*; it counts as correct for municipality
accuracy only if a predicted mention overlaps it and names the same municipality (a
missed mention counts as wrong).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from nlp.lexicon import CATEGORIES, INTENTS

__all__ = ["Report", "gold_spans", "score"]

Record = Mapping[str, Any]


@dataclass
class _Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def prf(self) -> dict[str, float | int]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": p, "recall": r, "f1": f, "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class Report:
    """Every figure ``eval-nlu`` prints, plus the per-message errors."""

    messages: int = 0
    per_code: dict[str, _Counts] = field(default_factory=lambda: {c: _Counts() for c in CATEGORIES})
    intent_ok: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    urgent: _Counts = field(default_factory=_Counts)
    negated_total: int = 0
    negated_asserted: int = 0
    spans: _Counts = field(default_factory=_Counts)
    span_overlap_hits: int = 0
    geocodable: int = 0
    municipality_ok: int = 0
    shelter_total: int = 0
    hazard_ok: int = 0
    needs_ok: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def micro(self) -> dict[str, float | int]:
        total = _Counts()
        for c in self.per_code.values():
            total.tp, total.fp, total.fn = total.tp + c.tp, total.fp + c.fp, total.fn + c.fn
        return total.prf()

    def summary(self) -> dict[str, Any]:
        n = self.messages or 1
        gold_spans = self.spans.tp + self.spans.fn
        return {
            "messages": self.messages,
            "categories_micro": self.micro(),
            "categories_per_code": {c: k.prf() for c, k in self.per_code.items()},
            "intent_accuracy": self.intent_ok / n,
            "intent_confusion": {
                g: {p: self.confusion[(g, p)] for p in INTENTS if self.confusion[(g, p)]} for g in INTENTS
            },
            "urgent": self.urgent.prf(),
            "negated_mentions": self.negated_total,
            "negated_asserted_rate": self.negated_asserted / self.negated_total if self.negated_total else 0.0,
            "location_spans_exact": self.spans.prf(),
            "location_recall_overlap": self.span_overlap_hits / gold_spans if gold_spans else 1.0,
            "geocodable_mentions": self.geocodable,
            "municipality_accuracy": self.municipality_ok / self.geocodable if self.geocodable else 1.0,
            "hazard_for_shelter_accuracy": self.hazard_ok / self.shelter_total if self.shelter_total else 1.0,
            "needs_location_accuracy": self.needs_ok / n,
            "errors": len(self.errors),
        }


def gold_spans(text: str, locations: Sequence[Record]) -> list[tuple[int, int, Record]]:
    """(start, end, location) for annotated mentions, located left to right in ``text``."""
    out: list[tuple[int, int, Record]] = []
    pos = 0
    for loc in locations:
        start = text.find(loc["text"], pos)
        if start < 0:
            start = text.find(loc["text"])
        if start < 0:
            continue
        out.append((start, start + len(loc["text"]), loc))
        pos = start + len(loc["text"])
    return out


def _pred_spans(pred: Record) -> list[tuple[int, int, Record]]:
    if all("start" in loc for loc in pred["locations"]):
        return [(loc["start"], loc["end"], loc) for loc in pred["locations"]]
    return gold_spans(pred["text"], pred["locations"])


def _score_locations(report: Report, gold: Record, pred: Record) -> list[str]:
    wrong: list[str] = []
    g_spans = gold_spans(gold["text"], gold["locations"])
    p_spans = _pred_spans(pred)
    g_keys = {(s, e) for s, e, _ in g_spans}
    p_keys = {(s, e) for s, e, _ in p_spans}
    report.spans.tp += len(g_keys & p_keys)
    report.spans.fp += len(p_keys - g_keys)
    report.spans.fn += len(g_keys - p_keys)
    if g_keys != p_keys:
        wrong.append("locations")
    for gs, ge, gloc in g_spans:
        overlapping = [p for ps, pe, p in p_spans if ps < ge and gs < pe]
        report.span_overlap_hits += bool(overlapping)
        if gloc.get("municipality"):
            report.geocodable += 1
            if any(p.get("municipality") == gloc["municipality"] for p in overlapping):
                report.municipality_ok += 1
            elif "municipality" not in wrong:
                wrong.append("municipality")
    return wrong


def _score_one(report: Report, gold: Record, pred: Record) -> None:
    wrong: list[str] = []
    g_cats, p_cats = set(gold["categories"]), set(pred["categories"])
    for code in CATEGORIES:
        counts = report.per_code[code]
        counts.tp += code in g_cats and code in p_cats
        counts.fp += code in p_cats and code not in g_cats
        counts.fn += code in g_cats and code not in p_cats
    if g_cats != p_cats:
        wrong.append("categories")
    report.confusion[(gold["intent"], pred["intent"])] += 1
    report.intent_ok += gold["intent"] == pred["intent"]
    if gold["intent"] != pred["intent"]:
        wrong.append("intent")
    g_u, p_u = bool(gold["urgent"]), bool(pred["urgent"])
    report.urgent.tp += g_u and p_u
    report.urgent.fp += p_u and not g_u
    report.urgent.fn += g_u and not p_u
    if g_u != p_u:
        wrong.append("urgent")
    for code in gold["negated"]:
        report.negated_total += 1
        report.negated_asserted += code in p_cats
    if set(gold["negated"]) != set(pred["negated"]):
        wrong.append("negated")
    if gold["intent"] == "find_shelter":
        report.shelter_total += 1
        report.hazard_ok += gold["hazard_for_shelter"] == pred["hazard_for_shelter"]
        if gold["hazard_for_shelter"] != pred["hazard_for_shelter"]:
            wrong.append("hazard_for_shelter")
    report.needs_ok += bool(gold["needs_location"]) == bool(pred["needs_location"])
    if bool(gold["needs_location"]) != bool(pred["needs_location"]):
        wrong.append("needs_location")
    wrong += _score_locations(report, gold, pred)
    if wrong:
        report.errors.append({"text": gold["text"], "wrong": wrong, "gold": dict(gold), "predicted": dict(pred)})


def score(golds: Iterable[Record], preds: Iterable[Record]) -> Report:
    """Compare gold and predicted records pairwise (same order, same texts)."""
    report = Report()
    for gold, pred in zip(golds, preds, strict=True):
        report.messages += 1
        _score_one(report, gold, pred)
    return report
