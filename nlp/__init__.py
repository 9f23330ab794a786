"""Japanese NLU for residents' messages: intent, hazard categories, negation, urgency, places.

Typical use (load once per process, then inject)::

    pipeline = nlp.load_pipeline()
    gazetteer = nlp.Gazetteer.load_default()
    result = nlp.analyze("ふじさわえきの近く冠水", pipeline, gazetteer)
    results = nlp.analyze_many(messages, pipeline, gazetteer, cache=nlp.NluCache())

The ``sonae nlu`` / ``sonae eval-nlu`` commands live in ``nlp.cli`` (``register``).

This package never imports linebot, flask or redis.
"""

from nlp.analyze import MAX_CHARS, analyze
from nlp.batch import NluCache, analyze_many, iter_analyze
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
    "NluCache",
    "NluResult",
    "Normalized",
    "analyze",
    "analyze_many",
    "iter_analyze",
    "load_pipeline",
    "normalize",
]
