"""Loading the GiNZA pipeline (done once per process; callers cache and inject it)."""

from __future__ import annotations

import spacy
from spacy.language import Language

__all__ = ["load_pipeline"]

# The NLU reads tokens, POS, lemmas and dependencies only. GiNZA's NER mislabels places
# (小田原駅 as "Lake") and the gazetteer does that job; the compound splitter only matters
# for other split modes; the bunsetu recognizer only renames labels ("nsubj" for
# "nsubj_bunsetu"), which ``modality._dep`` strips anyway. The same slots come out on the
# corpora with and without them (bench/nlu_throughput.py, docs/nlu.md).
_EXCLUDE = ("ner", "compound_splitter", "bunsetu_recognizer")


def load_pipeline(model: str = "ja_ginza") -> Language:
    """Load the Japanese pipeline without the components the NLU does not use."""
    return spacy.load(model, exclude=list(_EXCLUDE))
