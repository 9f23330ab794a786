"""Loading the GiNZA pipeline (done once per process; callers cache and inject it)."""

from __future__ import annotations

import spacy
from spacy.language import Language

__all__ = ["load_pipeline"]

# The NLU reads tokens, lemmas and dependencies only; GiNZA's NER mislabels places
# (小田原駅 as "Lake") and the gazetteer does that job, so skip it for speed. The
# bunsetu recognizer stays: it turns the parser's "nsubj_bunsetu" labels into UD ones.
_EXCLUDE = ("ner",)


def load_pipeline(model: str = "ja_ginza") -> Language:
    """Load the Japanese pipeline without the components the NLU does not use."""
    return spacy.load(model, exclude=list(_EXCLUDE))
