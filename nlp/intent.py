"""Intent from cue words plus what the category and urgency extraction already found."""

from __future__ import annotations

import re

__all__ = ["classify_intent"]

_CANCEL = re.compile(
    r"やめ(?:る|ます|て|た|たい)|止めます|中止|キャンセル|取り?消し?|とりけし|終わり|おわり|終了"
    r"|もういい|もう大丈夫|いいです|最初から|リセット|cancel|stop|quit"
)
_GREETING = re.compile(
    r"こんにち[はわ]|こんばん[はわ]|おはよう|はじめまして|初めまして|よろしく|もしもし|ありがと"
    r"|^(?:hello|hi|hey|good (?:morning|evening))\b|やあ"
)
_SAFETY = re.compile(
    r"無事|ぶじ|避難(?:しました|した(?![いらり])|済|完了|して(?:い)?ます|している|してる|中です)"
    r"|避難所に(?:いま|い る|来|着|つ)|安全(?:です|な場所に|なところに)|大丈夫です|元気です"
    r"|みんな(?:元気|大丈夫)|家族.{0,4}(?:無事|大丈夫)|i'?m (?:safe|ok)|we are (?:safe|ok)"
    r"|evacuated|^大丈夫|(?:けが|怪我|ケガ)(?:は|も)?(?:ない|なし|ありません|して(?:い)?(?:ない|ません))"
)
_SHELTER = re.compile(
    r"避難(?:所|場所|先|できる|する場所|ビル|タワー|したい|すべき|した方が|しないと|しなきゃ|する)"
    r"|逃げ(?:る|れる)?(?:場所|ところ|先)|どこ(?:に|へ)(?:逃げ|避難|行け)|逃げたい|shelter"
    r"|evacuat\w* (?:where|to)|where .*evacuat"
)
_REQUEST = re.compile(r"どこ|教えて|近く|探|ありますか|行けば|[?？]|知りたい|ですか|開いて|どっち|which|where")
_QUESTION = re.compile(
    r"[?？]|ですか|ますか|でしょうか|教えて|知りたい|どうなって|どうすれば|どうしたら|いつ"
    r"|何時|大丈夫か|わかりますか|ますかね|かな$|^(?:what|when|where|how|is|are|can|do)\b"
)
_OUTAGES = {"power_outage", "water_outage", "gas_outage", "telecom_outage"}
_INFO = re.compile(
    r"避難指示|避難勧告|警報|注意報|運行|運休|電車|バス|給水|配給|炊き出し|ニュース|情報|開通|復旧"
    r"|見通し|再開|状況|ハザードマップ|高齢者等避難"
)


def classify_intent(
    text: str,
    categories: tuple[str, ...],
    negated: tuple[str, ...],
    urgent: bool,
    worried: bool = False,
) -> str:
    """Pick one intent; ``text`` is normalised (NFKC, lower-case ASCII).

    A message that only worries about a hazard (土砂崩れが心配) is a report without an
    asserted category; one that only denies hazards (停電はしていません) is ``other``.
    """
    short = len(text.strip()) <= 20
    if urgent:
        return "report"
    if len(text.strip()) <= 12 and not categories and _CANCEL.search(text) and not _QUESTION.search(text):
        return "cancel"
    shelter = _SHELTER.search(text)
    safety = _SAFETY.search(text)
    if shelter and (_REQUEST.search(text) or not safety):
        return "find_shelter"
    if categories and not (set(categories) <= _OUTAGES and _QUESTION.search(text)):
        return "report"  # an outage plus a question (いつ復旧? どこで水が?) asks for info
    if safety:
        return "safety"
    if _QUESTION.search(text) or _INFO.search(text):
        return "ask_info"
    if worried:
        return "report"
    if short and not negated and _GREETING.search(text):
        return "greeting"
    return "other"
