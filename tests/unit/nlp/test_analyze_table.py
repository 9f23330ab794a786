"""The regression table: every realistic message gets the expected slots."""

from __future__ import annotations

import pytest
from spacy.language import Language

import nlp
from tests.unit.nlp.cases import CASES, Case


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[case.text[:24] for case in CASES])
def test_message(case: Case, pipeline: Language, gazetteer: nlp.Gazetteer) -> None:
    result = nlp.analyze(case.text, pipeline, gazetteer)
    got_locs = tuple((loc.text, loc.kind, loc.municipality) for loc in result.locations)
    assert (
        result.intent,
        set(result.categories),
        set(result.negated),
        result.urgent,
        result.hazard_for_shelter,
        got_locs,
        result.needs_location,
    ) == (
        case.intent,
        set(case.categories),
        set(case.negated),
        case.urgent,
        case.hazard,
        case.locations,
        case.needs_location,
    )
    for loc in result.locations:
        assert case.text[loc.start : loc.end] == loc.text
        if loc.kind in ("address", "station", "municipality"):
            assert loc.lat is not None and loc.lon is not None
            assert loc.municipality_code is not None and len(loc.municipality_code) == 5


@pytest.mark.slow
def test_table_accuracy_report(pipeline: Language, gazetteer: nlp.Gazetteer) -> None:
    """Guard rail on the whole table (individual failures show above)."""
    ok = sum(nlp.analyze(c.text, pipeline, gazetteer).intent == c.intent for c in CASES)
    assert ok / len(CASES) >= 0.9
