"""``analyze_many``: the NLU over many messages, with one ``nlp.pipe`` call per chunk.

Only the sentence windows that hold a trigger are parsed (most messages need one or two
short windows, many need none), identical windows are parsed once, and repeated
messages (「停電」, 「ひなんじょ どこ」) come from an LRU cache.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator

from spacy.language import Language

from nlp.analyze import finish, prepare
from nlp.gazetteer import Gazetteer
from nlp.result import NluResult

__all__ = ["NluCache", "analyze_many", "iter_analyze"]

_CHUNK = 256  # messages prepared at once; bounds memory on endless streams


class NluCache:
    """A small LRU map from message text to its (immutable) result."""

    def __init__(self, maxsize: int = 4096) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[str, NluResult] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, text: str) -> NluResult | None:
        result = self._items.get(text)
        if result is None:
            self.misses += 1
            return None
        self._items.move_to_end(text)
        self.hits += 1
        return result

    def put(self, text: str, result: NluResult) -> None:
        self._items[text] = result
        self._items.move_to_end(text)
        while len(self._items) > self.maxsize:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


def _chunk(texts: list[str], nlp: Language, gazetteer: Gazetteer, batch_size: int) -> list[NluResult]:
    prepared = {text: prepare(text, nlp) for text in dict.fromkeys(texts)}
    jobs = [(p[1], key) for p in prepared.values() if p is not None for key in p[1].needed()]
    windows = list(dict.fromkeys(parser.text[a:b] for parser, (a, b) in jobs))
    docs = dict(zip(windows, nlp.pipe(windows, batch_size=batch_size), strict=True))
    for parser, (a, b) in jobs:
        parser.cache[(a, b)] = docs[parser.text[a:b]]
    results = {
        text: NluResult(intent="other") if p is None else finish(p[0], p[1], gazetteer) for text, p in prepared.items()
    }
    return [results[text] for text in texts]


def iter_analyze(
    texts: Iterable[object],
    nlp: Language,
    gazetteer: Gazetteer,
    *,
    batch_size: int = 64,
    cache: NluCache | None = None,
    chunk: int = _CHUNK,
) -> Iterator[NluResult]:
    """Yield one result per text, in order, analysing ``chunk`` messages at a time."""
    buffer: list[str] = []

    def flush() -> list[NluResult]:
        known: dict[str, NluResult] = {}
        for text in dict.fromkeys(buffer):
            hit = cache.get(text) if cache is not None else None
            if hit is not None:
                known[text] = hit
        todo = [t for t in dict.fromkeys(buffer) if t not in known]
        fresh = dict(zip(todo, _chunk(todo, nlp, gazetteer, batch_size), strict=True))
        if cache is not None:
            for text, result in fresh.items():
                cache.put(text, result)
        known |= fresh
        out = [known[text] for text in buffer]
        buffer.clear()
        return out

    for text in texts:
        buffer.append(text if isinstance(text, str) else "")
        if len(buffer) >= chunk:
            yield from flush()
    if buffer:
        yield from flush()


def analyze_many(
    texts: Iterable[object],
    nlp: Language,
    gazetteer: Gazetteer,
    *,
    batch_size: int = 64,
    cache: NluCache | None = None,
) -> list[NluResult]:
    """``[analyze(t, nlp, gazetteer) for t in texts]``, several times faster."""
    return list(iter_analyze(texts, nlp, gazetteer, batch_size=batch_size, cache=cache))
