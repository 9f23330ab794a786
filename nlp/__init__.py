"""Japanese NLU for residents' messages: intent, hazard categories, negation, urgency, places.

Typical use (load once per process, then inject)::

    pipeline = nlp.load_pipeline()
    gazetteer = nlp.Gazetteer.load_default()
    result = nlp.analyze("ふじさわえきの近く冠水", pipeline, gazetteer)

This package never imports linebot, flask or redis.
"""

from nlp.analyze import MAX_CHARS, analyze
from nlp.gazetteer import Gazetteer, Municipality
from nlp.lexicon import CATEGORIES, CATEGORY_TO_HAZARD, HAZARDS, INTENTS
from nlp.normalize import Normalized, normalize
from nlp.pipeline import load_pipeline
from nlp.result import Location, NluResult

__all__ = [
    "CATEGORIES",
    "CATEGORY_TO_HAZARD",
    "HAZARDS",
    "INTENTS",
    "MAX_CHARS",
    "Gazetteer",
    "Location",
    "Municipality",
    "NluResult",
    "Normalized",
    "analyze",
    "load_pipeline",
    "normalize",
]
