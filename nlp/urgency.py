"""Urgency cues: when the bot answers with 119/110 guidance before anything else.

Urgent means life at risk now (issue 3; rules in docs/nlu.md): explicit cues (助けて,
閉じ込め, 意識がない …), or an asserted category with a severity cue (an injury that is
serious, a gas leak with symptoms, a fire burning now near people).
"""

from __future__ import annotations

import re

from nlp.lexicon import NEG as _NEG

__all__ = ["ACTIVE_FIRE", "ACTIVE_FIRE_EXCEPT", "GAS_SYMPTOMS", "SEVERE_INJURY", "URGENT_CUES"]

_PERSON = (
    r"(?:人|子|子ども|子供|母|父|祖母|祖父|妻|夫|主人|家族|娘|息子|高齢者|おじいさん|おばあさん"
    r"|おじいちゃん|おばあちゃん|ばあちゃん|じいちゃん|誰か|方)"
)
URGENT_CUES = re.compile(
    r"助けて|たすけ|助けを|助けが|救助|help|sos|閉じ込め|閉じこめ|とじこめ|生き埋め|下敷き|したじき"
    r"|(?:逃げ|出|降り|おり|にげ)られ"
    + _NEG
    + r"|脱出でき"
    + _NEG
    + r"|(?<!車が)(?<!車は)(?:動け|うごけ)"
    + _NEG
    + r"|意識が(?:ない|無|もうろう|な|あり(?:ませ|まへ))|息を?して(?:い)?"
    + _NEG
    + r"|呼吸が|血が(?:止|と)ま(?:らな|りませ)|大量に?出血|出血が?(?:ひど|多|止)"
    r"|挟ま|はさま|溺れ|おぼれ|逃げ遅れ|取り残され|とりのこされ|救急車|119|死にそう|死んで"
    rf"|{_PERSON}.{{0,6}}(?:流され|ながされ)|中に(?:人|子|母|父|祖|家族|親|まだ)"
    rf"|{_PERSON}が(?:まだ)?(?:中|なか)に|{_PERSON}.{{0,6}}(?:残って|のこって)|{_PERSON}が倒れ"
    r"|屋根の上に(?:い|取)|水が(?:胸|首|腰)|みずが(?:むね|くび|こし)|胸が痛|倒れて動か"
    r"|血を流|血だらけ|血まみれ|頭から血|頭を打|頭.{0,2}(?:けが|怪我|ケガ)|骨折|骨が折れ"
    r"|気分が悪|息苦し|ぐったり|火花|感電|(?:下|中)から.{0,4}声|けいれん|痙攣|苦しん|胸を押さえ|噴石が.{0,2}(?:飛|降|落)|(?:上が|あが)れ"
    + _NEG
    + r"|bleeding a lot|heavily|unconscious|not breathing|can'?t (?:get out|move|escape)|cannot (?:get out|move)"
)

#: An active fire near people: the bot answers with 119 guidance (distant smoke excepted).
#: With an asserted gas leak these make it urgent (someone is feeling its effects).
GAS_SYMPTOMS = re.compile(r"頭が痛|頭痛|気分が悪|めまい|吐き気|息苦し|苦しい")
#: With an asserted injury these make it urgent (serious, not a scratch).
SEVERE_INJURY = re.compile(
    r"骨折|骨が折れ|止まらな|とまらな|(?:歩け|あるけ|動け|うごけ|動か|うごか|立て|たて|起き)(?:な|ませ|ん)|意識|出血|血が(?:止|と)ま"
    r"|頭|息|呼吸|倒れ|大けが|重傷|救急|bleeding|unconscious|broken"
)
ACTIVE_FIRE = re.compile(
    r"火事(?!かも|か[なし?]|でしょ|では|じゃ)|火災(?!かも|の(?:とき|時))|燃え(?!そう)|火が(?:出|上が|つい|うつ)|炎|延焼|出火"
    r"|かじです|(?:煙|けむり)が(?:出|で|上が|あが)(?:て|た|っ)|爆発|\bfire\b(?! (?:alarm|drill))"
)
ACTIVE_FIRE_EXCEPT = re.compile(
    r"山火事|遠く|野焼き|たき火|焚き火|鎮火|消えた|消火(?:済|し(?:た|ました))|消し(?:た|ました)|消火器"
)
