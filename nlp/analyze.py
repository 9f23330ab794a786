"""``analyze``: one resident message → intent, categories, negation, urgency and places."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from nlp.gazetteer import Gazetteer
from nlp.intent import asks_where_to_go, classify_intent
from nlp.lexicon import (
    CATEGORIES,
    CATEGORY_TO_HAZARD,
    ENUMERATED_OUTAGE,
    HAZARD_WORDS,
    ROAD_FINE,
    TRIGGERS,
    UTILITY_CATEGORY,
    UTILITY_FINE,
    UTILITY_WORD,
)
from nlp.modality import (
    ASSERTED,
    HYPOTHETICAL,
    NEGATED,
    QUALIFIER,
    QUESTION,
    WORRY,
    english_modality,
    modality,
    needs_parse,
)
from nlp.normalize import Normalized, normalize
from nlp.places import Match, find_places
from nlp.result import Location, NluResult
from nlp.urgency import ACTIVE_FIRE, ACTIVE_FIRE_EXCEPT, GAS_SYMPTOMS, SEVERE_INJURY, URGENT_CUES

__all__ = ["MAX_CHARS", "analyze", "finish", "prepare"]

log = logging.getLogger(__name__)

MAX_CHARS = 5000  # longer messages are cut; nobody reports a hazard in the 5001st character
_WINDOW = 200  # characters of context parsed around a trigger in very long sentences
_MAX_PARSES = 24
_OUTAGES = {"power_outage", "water_outage", "gas_outage", "telecom_outage"}
_RESTORATION = re.compile(r"いつ|復旧|見通し|直り|なおり|直る|come back|when")
_SENTENCE = re.compile(r"[^。!?\n]+[。!?\n]*|[。!?\n]+")


class _Parser:
    """Parses, once each, only the sentences that hold a trigger (GiNZA is the slow part).

    ``analyze_many`` fills ``cache`` in advance with one ``nlp.pipe`` call over many
    messages; ``analyze`` lets ``classify`` parse lazily.
    """

    def __init__(self, text: str, nlp: Language) -> None:
        self.text = text
        self.nlp = nlp
        self.bounds = [(m.start(), m.end()) for m in _SENTENCE.finditer(text)]
        self.cache: dict[tuple[int, int], Doc] = {}

    def window(self, start: int, end: int) -> tuple[int, int]:
        s, e = next(((s, e) for s, e in self.bounds if s <= start < e), (start, end))
        return max(s, start - _WINDOW), min(max(e, end), end + _WINDOW)

    def needed(self) -> list[tuple[int, int]]:
        """The windows ``analyze`` will ask about, in order, at most ``_MAX_PARSES``."""
        keys: dict[tuple[int, int], None] = {}
        spans = [(s, e) for _, s, e in _mentions(self.text)]
        spans += [(m.start(), m.end()) for m in URGENT_CUES.finditer(self.text)]
        for start, end in spans:
            key = self.window(start, end)
            if needs_parse(self.text[key[0] : key[1]], start - key[0], end - key[0]):
                keys.setdefault(key)
            if len(keys) >= _MAX_PARSES:
                break
        return list(keys)

    def classify(self, start: int, end: int) -> str:
        key = self.window(start, end)
        sentence = self.text[key[0] : key[1]]
        if sentence.isascii():
            return english_modality(sentence, start - key[0], end - key[0])
        if not needs_parse(sentence, start - key[0], end - key[0]):
            return ASSERTED
        if key not in self.cache:
            if len(self.cache) >= _MAX_PARSES:
                return ASSERTED  # recall first for pathological inputs
            self.cache[key] = self.nlp(self.text[key[0] : key[1]])
        return modality(self.cache[key], start - key[0], end - key[0])


def _mentions(text: str) -> Iterator[tuple[str, int, int]]:
    for category in CATEGORIES:
        for m in TRIGGERS[category].finditer(text):
            yield category, m.start(), m.end()
    for m in ENUMERATED_OUTAGE.finditer(text):
        for word in UTILITY_WORD.findall(m.group()):
            yield UTILITY_CATEGORY[word], m.start(), m.end()


def _categories(text: str, parser: _Parser) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """(asserted, negated, whether some negated mention was a worry rather than a denial)."""
    asserted: set[str] = set()
    denied: set[str] = set()
    worried = False
    for category, start, end in _mentions(text):
        if category in asserted:
            continue
        mood = parser.classify(start, end)
        if mood == QUESTION and category in _OUTAGES and _RESTORATION.search(text):
            mood = ASSERTED  # 停電の復旧はいつ? asks about an outage that is happening
        if mood == ASSERTED:
            asserted.add(category)
        elif mood != QUALIFIER:
            denied.add(category)
            worried = worried or mood == WORRY
    if ROAD_FINE.search(text):
        denied.add("road_blocked")
    for m in UTILITY_FINE.finditer(text):
        denied.update(UTILITY_CATEGORY[w] for w in UTILITY_WORD.findall(m.group()))
    ordered = tuple(c for c in CATEGORIES if c in asserted)
    return ordered, tuple(c for c in CATEGORIES if c in denied - asserted), worried


def _active_fire(text: str) -> bool:
    """A fire burning now near people (not smoke far away, not a bonfire, not a maybe)."""
    return bool(ACTIVE_FIRE.search(text)) and not ACTIVE_FIRE_EXCEPT.search(text)


def _urgent(text: str, parser: _Parser, categories: tuple[str, ...]) -> bool:
    if "trapped" in categories:
        return True
    if "gas_leak" in categories and GAS_SYMPTOMS.search(text):
        return True
    if "injury" in categories and SEVERE_INJURY.search(text):
        return True
    if "fire" in categories and _active_fire(text) and not asks_where_to_go(text):
        return True  # a burning building nearby; someone asking where to flee gets the shelter answer
    return any(parser.classify(m.start(), m.end()) not in (NEGATED, HYPOTHETICAL) for m in URGENT_CUES.finditer(text))


def _hazard(text: str, categories: tuple[str, ...], negated: tuple[str, ...]) -> str | None:
    for hazard, pattern in HAZARD_WORDS:
        if pattern.search(text):
            return hazard
    return next((CATEGORY_TO_HAZARD[c] for c in categories + negated if c in CATEGORY_TO_HAZARD), None)


def _to_location(norm: Normalized, match: Match, context: set[str]) -> Location:
    start, end = norm.span(match.start, match.end)
    entry = match.entry
    if entry is not None and len(match.candidates) > 1:
        munis = {c.municipality.name for c in match.candidates if c.municipality}
        preferred = [c for c in match.candidates if c.municipality and c.municipality.name in context]
        if preferred:
            entry = preferred[0]
        elif len(munis) > 1:
            entry = None  # 本町, 緑区 …: several municipalities and nothing to choose by
    muni = entry.municipality if entry else None
    return Location(
        text=norm.original[start:end],
        start=start,
        end=end,
        kind=match.kind,
        municipality=muni.name if muni else None,
        municipality_code=muni.code if muni else None,
        lat=entry.lat if entry else None,
        lon=entry.lon if entry else None,
    )


def _locations(norm: Normalized, gazetteer: Gazetteer) -> tuple[Location, ...]:
    matches = find_places(norm, gazetteer)
    context = {
        m.entry.municipality.name for m in matches if m.entry and m.entry.municipality and len(m.candidates) == 1
    }
    return tuple(_to_location(norm, m, context) for m in matches)


def prepare(text: object, nlp: Language) -> tuple[Normalized, _Parser] | None:
    """Normalise one message; None when nothing is left to analyse."""
    if not isinstance(text, str):
        text = ""
    norm = normalize(text[:MAX_CHARS])
    if not norm.text.strip():
        return None
    return norm, _Parser(norm.text, nlp)


def finish(norm: Normalized, parser: _Parser, gazetteer: Gazetteer) -> NluResult:
    """Run the extractors on a prepared message (parsing whatever is not cached yet)."""
    categories, negated, worried = _categories(norm.text, parser)
    urgent = _urgent(norm.text, parser, categories)
    intent = classify_intent(norm.text, categories, negated, urgent, worried)
    locations = _locations(norm, gazetteer)
    hazard = _hazard(norm.text, categories, negated) if intent == "find_shelter" else None
    needs = intent in ("report", "find_shelter") and not any(loc.geocoded for loc in locations)
    log.debug("nlu intent=%s categories=%s urgent=%s", intent, categories, urgent)
    return NluResult(intent, categories, negated, urgent, hazard, locations, needs)


def analyze(text: str, nlp: Language, gazetteer: Gazetteer) -> NluResult:
    """Extract the NLU slots of issue 3 from one message. Never raises on odd input."""
    prepared = prepare(text, nlp)
    if prepared is None:
        return NluResult(intent="other")
    return finish(*prepared, gazetteer)
