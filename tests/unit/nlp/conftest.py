"""Load GiNZA and the gazetteer once for the whole NLU test session."""

from __future__ import annotations

import pytest
from spacy.language import Language

import nlp


@pytest.fixture(scope="session")
def pipeline() -> Language:
    return nlp.load_pipeline()


@pytest.fixture(scope="session")
def gazetteer() -> nlp.Gazetteer:
    return nlp.Gazetteer.load_default()
