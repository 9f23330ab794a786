"""Plain-text rendering of an ``eval-nlu`` summary (see ``nlp.evaluate``)."""

from __future__ import annotations

from typing import Any

from nlp.lexicon import INTENTS

__all__ = ["format_summary"]


def _prf(name: str, d: dict[str, Any]) -> str:
    return (
        f"{name:<22} P {d['precision']:.3f}  R {d['recall']:.3f}  F1 {d['f1']:.3f}"
        f"   (tp {d['tp']}, fp {d['fp']}, fn {d['fn']})"
    )


def _confusion(matrix: dict[str, dict[str, int]]) -> list[str]:
    short = {i: i[:7] for i in INTENTS}
    lines = ["intent confusion (rows gold, columns predicted):", " " * 13 + "".join(f"{short[p]:>8}" for p in INTENTS)]
    for gold in INTENTS:
        row = matrix.get(gold, {})
        lines.append(f"{gold:<13}" + "".join(f"{row.get(p, 0) or '.':>8}" for p in INTENTS))
    return lines


def format_summary(s: dict[str, Any]) -> str:
    """The human-readable report printed by ``sonae eval-nlu``."""
    lines = [f"messages: {s['messages']}", "", "categories (per code):"]
    lines += [_prf(code, d) for code, d in s["categories_per_code"].items()]
    lines += [_prf("MICRO", s["categories_micro"]), ""]
    lines.append(f"intent accuracy:            {s['intent_accuracy']:.3f}")
    u = s["urgent"]
    lines.append(
        f"urgent recall / precision:  {u['recall']:.3f} / {u['precision']:.3f}"
        f"  (tp {u['tp']}, fp {u['fp']}, fn {u['fn']})"
    )
    lines.append(
        f"negated asserted:           {s['negated_asserted_rate']:.3f}  of {s['negated_mentions']} negated mentions"
    )
    sp = s["location_spans_exact"]
    lines.append(f"location spans (exact):     P {sp['precision']:.3f}  R {sp['recall']:.3f}  F1 {sp['f1']:.3f}")
    lines.append(f"location recall (overlap):  {s['location_recall_overlap']:.3f}")
    lines.append(
        f"municipality accuracy:      {s['municipality_accuracy']:.3f}"
        f"  of {s['geocodable_mentions']} geocodable mentions"
    )
    lines.append(f"hazard_for_shelter acc.:    {s['hazard_for_shelter_accuracy']:.3f}")
    lines.append(f"needs_location accuracy:    {s['needs_location_accuracy']:.3f}")
    lines.append("")
    lines += _confusion(s["intent_confusion"])
    lines.append("")
    lines.append(f"messages with at least one error: {s['errors']}")
    return "\n".join(lines)
