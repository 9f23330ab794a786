"""Is a hazard mention asserted, denied, worried about, hypothetical or a question?

Works on the GiNZA dependency parse: from the trigger's last token climb to its predicate
(停電 →nsubj→ し), then read the predicate's auxiliaries and markers (ない/ぬ/ず, たら/ば,
か/?) and the nouns or adjectives it hangs from (心配, 大丈夫, 警報, 避難場所).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

__all__ = [
    "ASSERTED",
    "HYPOTHETICAL",
    "NEGATED",
    "QUALIFIER",
    "QUESTION",
    "WORRY",
    "english_modality",
    "modality",
    "needs_parse",
]

ASSERTED, NEGATED, WORRY, HYPOTHETICAL, QUESTION, QUALIFIER = (
    "asserted", "negated", "worry", "hypothetical", "question", "qualifier",
)  # fmt: skip

_CLIMB_DEPS = {"compound", "nsubj", "obj", "obl", "nmod", "iobj", "dislocated", "csubj", "advmod"}
_CLIMB_POS = {"NOUN", "PROPN", "PRON", "NUM", "SYM"}
_CUE_DEPS = {"aux", "mark", "cop", "fixed", "punct", "advmod", "case"}
_NEG_LEMMAS = {"ない", "ぬ", "ず", "無い", "なし", "無し", "大丈夫", "平気", "無事", "ん"}
_WORRY_LEMMAS = {
    "心配", "不安", "怖い", "こわい", "恐い", "恐れ", "おそれ", "懸念", "かも", "可能", "可能性",
    "予想", "予報", "警報", "注意報", "特別警報", "警戒", "そう", "そうだ", "気", "危険性", "危険",
}  # fmt: skip
_HYP_TEXTS = {"たら", "だら", "なら", "ば", "れば", "場合", "とき", "時", "もし"}
_QUESTION_TEXTS = {"か", "?", "かな", "かしら", "の?"}
_QUALIFIER_LEMMAS = {
    "場所", "避難所", "避難場所", "避難先", "所", "対策", "備え", "備える", "そなえる", "マップ", "ハザードマップ",
    "区域", "訓練", "ビル", "タワー", "情報", "警戒区域",
}  # fmt: skip
_RESTORED_LEMMAS = {"復旧", "直る", "なおる", "治る", "回復", "解除", "解消", "おさまる", "収まる"}
_AFTER_WORRY = re.compile(
    r"^(?:[^、,。!?]{0,3}?(?:かも|かもしれ|おそれ|恐れ|心配|不安)|の?(?:警報|注意報|警戒|予報|危険|おそれ|恐れ))"
)
_HEARSAY = re.compile(r"[たるいだ]そう(?:です|だ|で|な)")  # 超えたそうです: reported, not a guess
_CAUSE = re.compile(r"^(?:で(?![はもすし])|のため|により|によって|のせいで)")
_FLEE_FROM = re.compile(r"^(?:から)?(?:逃げ|にげ|避難|ひなん|身を守)|^に(?:備え|そなえ)")
#: Denials the parse can miss: 浸水まではしていません, ケガ人はゼロ, 閉じ込められている人はいません.
_DENIED = re.compile(
    r"^[^、,。!?]{0,4}?(?:して(?:い)?(?:ない|ません|なかった)|しなかった|起きて(?:い)?(?:ない|ません)"
    r"|来て(?:い)?(?:ない|ません)|ではな|じゃな|ではありません)"
    r"|^[^、,。!?]{0,8}?(?:人|方|者)?(?:は|も)(?:いません|いない|おりません|ゼロ|0人|なし|一人もいな)"
    r"|^(?:か|かな)と思った"
)
_ASKED = re.compile(r"^[^、,。!?]{0,6}?(?:って|と)(?:本当|ほんと)")
_WORRY_NEG = re.compile(r"^[^、,。!?]{0,8}?(?:じゃないか|のではないか|ないか)(?![?？。]|$)")
_SAFE_QUESTION = re.compile(r"大丈夫(?:か|やろか|だろうか|でしょうか|ですか)")
# English: negation just before the trigger, or a warning / question / shelter qualifier around it.
_EN_NEG = re.compile(r"\b(?:no|not|isn'?t|wasn'?t|aren'?t|don'?t|didn'?t|without)\b[^.!?]{0,20}$")
_EN_WORRY = re.compile(r"^[^.!?]{0,12}\b(?:warning|alert|forecast|risk)\b|\b(?:if|might|may|could|afraid|worried)\b")
_EN_QUALIFIER = re.compile(r"\b(?:shelter|evacuation site|place)s? (?:for|from)\b[^.!?]{0,10}$")
_EN_QUESTION = re.compile(r"^\s*(?:is|are|was|will|do|does|has|have)\b[^.!]*\?")
_ONLY = re.compile(r"しか")
_FALLBACK_NEG = re.compile(r"^[^、,。!?]{0,6}?(?:ない|ません|ず|なし|大丈夫)")
_FALLBACK_HYP = re.compile(r"^[^、,。!?]{0,4}?(?:たら|れば|なら|場合|心配|かも|そう)")


def _dep(token: Token) -> str:
    """UD label without GiNZA's ``_bunsetu`` suffix (present if that component is off)."""
    return token.dep_.split("_")[0]


def _headline_noun(node: Token) -> bool:
    """A bare noun with no particle far from its head, or a space before the head.

    (「道路冠水 車が動けない」: 冠水 is not what 動けない denies.)

    Headline-style mentions are assertions; climbing to a distant predicate would borrow
    its negation.
    """
    lo, hi = sorted((node.i, node.head.i))
    if any(t.whitespace_ for t in node.doc[lo:hi]):
        return True  # a space is a phrase break in chat text; the parser ignores it
    has_particle = any(c.pos_ == "ADP" for c in node.children)
    return not has_particle and _dep(node) != "compound" and abs(node.head.i - node.i) > 1


def _chain(last: Token) -> list[Token]:
    """The trigger's last token and the heads it attaches to, up to the first predicate."""
    chain = [last]
    node = last
    for _ in range(4):
        if node.pos_ not in _CLIMB_POS or _dep(node) not in _CLIMB_DEPS or node.head is node:
            break
        if _headline_noun(node):
            break
        node = node.head
        chain.append(node)
    if node.pos_ == "AUX" and node.head is not node:
        chain.append(node.head)
    return chain


def _cues(chain: list[Token], end_i: int) -> list[Token]:
    cues = [t for t in chain if t.i >= end_i]
    for node in chain:
        cues += [c for c in node.children if c.i >= end_i and _dep(c) in _CUE_DEPS]
    # 火事ではなかった: ない hangs from で as "fixed", not from 火事.
    cues += [f for c in list(cues) for f in c.children if _dep(f) == "fixed" and f.i >= end_i]
    top = chain[-1]
    if top.pos_ == "VERB" and _dep(top) == "acl" and top.head.i > top.i:
        cues.append(top.head)  # 氾濫するおそれ, 崩れる心配: the noun the clause describes
    return cues


#: A superset of the surface forms ``modality`` reacts to after a trigger. When the rest of
#: the sentence holds none of them (and no もし before it), the parse cannot change the
#: answer, ASSERTED, so the caller may skip GiNZA for that sentence.
_CUE_HINT = re.compile(
    r"な[いかくしけ]|無|ませ|ず|ぬ|ん|ねえ|大丈夫|平気|無事|たら|だら|なら|ば|場合|とき|時|もし|心配|不安"
    r"|怖|こわ|恐|おそれ|懸念|かも|可能|予想|予報|警報|注意報|警戒|そう|気|危|か|[?？]|場|所|先|対策|備"
    r"|マップ|区域|訓練|ビル|タワー|情報|復旧|直|治|回復|解除|解消|おさま|収ま|しか"
    r"|ゼロ|0人|いな|おりませ|思っ|本当|ほんと|逃げ|にげ|避難|ひなん|守|備|そなえ"
)


def needs_parse(sentence: str, start: int, end: int) -> bool:
    """False when ``modality`` would say ASSERTED whatever the parse (see ``_CUE_HINT``)."""
    if sentence.isascii():
        return False  # english_modality reads the words, not a parse
    return bool(_CUE_HINT.search(sentence, end)) or "もし" in sentence[:start]


def english_modality(text: str, start: int, end: int) -> str:
    """The same classes for an English message, from the words around the trigger."""
    before, after = text[:start], text[end:]
    if _EN_NEG.search(before):
        return NEGATED
    if _EN_QUALIFIER.search(before):
        return QUALIFIER
    if _EN_WORRY.search(after) or _EN_WORRY.search(before[-30:]):
        return WORRY
    if _EN_QUESTION.search(text):
        return QUESTION
    return ASSERTED


def modality(doc: Doc, start: int, end: int) -> str:
    """Classify the mention at character span ``[start, end)`` of ``doc.text``."""
    if doc.text.isascii():
        return english_modality(doc.text, start, end)
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return _fallback(doc.text, end)
    chain = _chain(span[-1])
    cues = _cues(chain, span.end)
    lemmas = {t.lemma_ for t in cues} | {t.text for t in cues}
    if any(t.lemma_ == "もし" for t in doc[max(0, span.start - 8) : span.start]):
        return HYPOTHETICAL
    after = doc.text[end:]
    clause = re.split(r"[、,。!?]", after, maxsplit=1)[0]
    if _CAUSE.match(after):
        return ASSERTED  # 浸水で出られない, 崖崩れで通れない: the negation belongs to the effect
    if _FLEE_FROM.match(after):
        return QUALIFIER  # 津波からにげる
    if re.match(r"^[^、,。!?]{0,4}?かもしれ", after) or _WORRY_NEG.match(after):
        return WORRY  # 来るかもしれない, 浸水するんじゃないか: the ない is not a denial
    if _DENIED.match(after):
        return NEGATED
    if _ASKED.match(after):
        return QUESTION
    if lemmas & _NEG_LEMMAS and not _ONLY.search(clause) and not _SAFE_QUESTION.search(clause):
        return NEGATED
    if lemmas & _RESTORED_LEMMAS and "た" in lemmas:
        return NEGATED  # 停電は直りました
    if any(t.lemma_ in _QUALIFIER_LEMMAS and t.i >= span.end for t in chain[1:]):
        return QUALIFIER
    if lemmas & _HYP_TEXTS:
        return HYPOTHETICAL
    hearsay = _HEARSAY.search(clause) and not lemmas & (_WORRY_LEMMAS - {"そう", "そうだ"})
    if (lemmas & _WORRY_LEMMAS and not hearsay) or _AFTER_WORRY.match(doc.text[end:]):
        return WORRY
    if lemmas & _QUESTION_TEXTS:
        return QUESTION
    return ASSERTED


def _fallback(text: str, end: int) -> str:
    rest = text[end:]
    if _FALLBACK_NEG.match(rest):
        return NEGATED
    if _FALLBACK_HYP.match(rest):
        return HYPOTHETICAL
    return ASSERTED
