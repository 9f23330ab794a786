"""Intent from cue words plus what the category and urgency extraction already found.

Order of precedence (see docs/nlu.md, "Annotation guide"): urgent → report; a request for
*where* to evacuate → find_shelter; an asserted hazard → report (except an outage asked
about: いつ復旧?); being safe / evacuated → safety; a question → ask_info; a worry → report;
short greetings and cancellations; everything else → other.
"""

from __future__ import annotations

import re

__all__ = ["asks_where_to_go", "classify_intent"]

_CANCEL = re.compile(
    r"やめ(?:る|ます|て|た|たい)|止めます|中止|キャンセル|取り?消し?|とりけし|終わり|おわり|終了"
    r"|もういい|もう大丈夫|いいです|最初から|やり直|リセット|間違い|まちがい|cancel|stop|quit"
)
_GREETING = re.compile(
    r"こんにち[はわ]|こんばん[はわ]|おはよう|はじめまして|初めまして|よろしく|もしもし|ありがと"
    r"|お疲れ|おつかれ|お世話に|助かりました|やあ"
    r"|^\s*(?:hello|hi|hey|good (?:morning|evening|afternoon)|thanks?\b|thank you)"
)
_SAFETY = re.compile(
    r"無事|ぶじ|避難(?:しました|した(?![いらり方ほ])|済|完了|して(?:い)?ます|している|してる|中です)"
    r"|避難所に(?:いま|いる|来|着|つ)|安全(?:です|な場所に|なところに)|大丈夫(?:です|やで|だよ)(?!か)"
    r"|だいじょうぶ(?:です|だよ|やで)?(?!か)|元気(?:です|にして)|心配しないで|車中泊"
    r"|みんな(?:元気|大丈夫)|家族.{0,4}(?:無事|大丈夫)|i'?m (?:safe|ok|fine)|we(?: are|'re) (?:safe|ok|fine)"
    r"|all safe|evacuated|^大丈夫|(?:に|へ)(?:逃げ|にげ)(?:ました|てきました|た$)"
    r"|(?:けが|怪我|ケガ)(?:は|も)(?:ない|なく|なし|ありません|して(?:い)?(?:ない|ません))"
)
_SHELTER = re.compile(
    r"避難(?:所|場所|先|できる|する場所|ビル|タワー|したい|しないと|しなきゃ|する)"
    r"|ひなん(?:じょ|ばしょ|さき|したい|できる)|にげ(?:る|れる)?(?:ばしょ|ところ|さき)"
    r"|逃げ(?:る|れる)?(?:場所|ところ|先)|(?:どこ|何処)(?:に|へ|で)?(?:逃げ|にげ|避難|ひなん|行け|いけ)"
    r"|逃げたい|(?:高い|たかい)(?:ところ|場所|所|ばしょ)|避難.{0,15}どこ|どこ.{0,10}避難"
    r"|shelter|evacuat\w* (?:where|to)|where .*evacuat|where to go"
)
_REQUEST = re.compile(
    r"どこ|教えて|おしえて|近く|探|ありますか|行けば|[?？]|知りたい|ですか|開いて|どっち|which|where|ほしい"
)
#: Questions about a shelter's services or status, not about where one is.
_SHELTER_INFO = re.compile(
    r"避難所(?:は|に|で|には|では|って)(?!どこ).{0,12}(?:開いて|開設|何時|食べ物|食料|物資|薬|毛布|泊ま|もらえ|入れ"
    r"|使え|混ん|なって|指定)|避難所に(?:なって|指定)|(?:避難|ひなん)(?:した|する)?(?:方|ほう)が|べき|しなくても"
)
_QUESTION = re.compile(
    r"[?？]|ですか|ますか|でしょうか|教えて|知りたい|どうなって|どうすれば|どうしたら|いつ(?!も)"
    r"|何時|大丈夫か|わかりますか|ますかね|(?:ます|です|ました|でした|れる|える|ない|た|の|る)か(?:[。!]|$)"
    r"|^\s*(?:what|when|where|how|is|are|can|do|will)\b"
)
_OUTAGES = {"power_outage", "water_outage", "gas_outage", "telecom_outage"}
_OUTAGE_INFO = re.compile(r"いつ|復旧|見通し|給水|直り|なおり|直る|どこで|だけ|周り|近所|地域|他の|come back|when")
_INFO = re.compile(
    r"避難指示|避難勧告|警報|注意報|運行|運休|電車|バス|給水|配給|炊き出し|ニュース|情報|開通|復旧"
    r"|見通し|再開|状況|ハザードマップ|高齢者等避難"
)
#: A maybe about the future heard or prepared for, not a report: 明日停電するかもと聞いた.
_PREPARING = re.compile(
    r"ておきます|ておいた|準備|用意|と聞いた|と聞きました|らしい|予定|明日|見張|見て(?:い)?ます|様子を見|確認し"
)
_FEAR = re.compile(r"怖い|こわい|恐い|不安|心配で")
_MISSING = re.compile(r"連絡が(?:取れ|とれ|つか)(?:ない|ません)|帰って(?:こない|きません)|行方不明|見つからない")


def asks_where_to_go(text: str) -> bool:
    """Does the message ask where to evacuate (not about a shelter's services)?"""
    shelter_info = _SHELTER_INFO.search(text) and not re.search(r"どこ|where", text)
    return bool(_SHELTER.search(text) and _REQUEST.search(text) and not shelter_info)


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
    stripped = text.strip()
    if urgent:
        return "report"
    if len(stripped) <= 14 and not categories and _CANCEL.search(text) and not _QUESTION.search(text):
        return "cancel"
    shelter = _SHELTER.search(text)
    safety = _SAFETY.search(text)
    question = _QUESTION.search(text) and len(re.sub(r"[\W_]", "", stripped)) >= 2
    shelter_info = _SHELTER_INFO.search(text) and not re.search(r"どこ|where", text)
    if shelter and not shelter_info and (_REQUEST.search(text) or not safety):
        return "find_shelter"
    if categories and not (set(categories) <= _OUTAGES and question and _OUTAGE_INFO.search(text)):
        return "report"
    if safety:
        return "safety"
    if question or (_INFO.search(text) and len(stripped) <= 15) or shelter_info:
        return "ask_info"
    if (worried and not _PREPARING.search(text)) or _MISSING.search(text) or _FEAR.search(text):
        return "report"
    if len(stripped) <= 20 and not negated and _GREETING.search(text):
        return "greeting"
    return "other"
