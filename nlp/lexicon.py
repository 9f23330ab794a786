"""Code lists and the trigger lexicon (regexes over normalised text, see ``normalize``).

Triggers whose hazard *is* a negation (水が出ない, 通れません) include that negation in the
pattern, so only what follows the match can deny them.
"""

from __future__ import annotations

import re

__all__ = [
    "CATEGORIES",
    "CATEGORY_TO_HAZARD",
    "ENUMERATED_OUTAGE",
    "HAZARDS",
    "HAZARD_WORDS",
    "INTENTS",
    "NEG",
    "ROAD_FINE",
    "TRIGGERS",
    "UTILITY_CATEGORY",
    "UTILITY_FINE",
    "UTILITY_WORD",
]

INTENTS = ("report", "find_shelter", "safety", "ask_info", "cancel", "greeting", "other")
CATEGORIES = (
    "flooding", "river_rising", "landslide", "fire", "building_damage", "road_blocked",
    "fallen_object", "power_outage", "water_outage", "gas_outage", "gas_leak",
    "telecom_outage", "injury", "trapped", "tsunami", "storm_surge", "volcano",
)  # fmt: skip
HAZARDS = (
    "flood", "landslide", "storm_surge", "earthquake", "tsunami", "large_fire",
    "inland_flood", "volcano",
)  # fmt: skip

#: Category → GSI 指定緊急避難場所 hazard type used for the shelter search.
#: Categories without an entry (outages, injury, trapped …) imply no particular hazard.
CATEGORY_TO_HAZARD: dict[str, str] = {
    "flooding": "flood",
    "river_rising": "flood",
    "landslide": "landslide",
    "fire": "large_fire",
    "building_damage": "earthquake",
    "tsunami": "tsunami",
    "storm_surge": "storm_surge",
    "volcano": "volcano",
}

NEG = r"(?:ない|ません|なく|ず|ねえ|へん|ん)"
_NEG = NEG
#: Room for an adverb between a utility and its verb: 電気がまったくつかない, 水が全然でない.
_GAP = r"[^、。!?\s]{0,2}(?:まったく|全く|全然|ぜんぜん|ほとんど|ちっとも|完全に)?"
_RAW: dict[str, list[str]] = {
    "flooding": [
        r"(?:あふれ|溢れ)(?=そう|ない|ません)",
        r"overflow",
        r"しんすい",
        r"かんすい",
        r"(?:水|みず)が.{0,6}(?:まで|に)(?:来|き|上が|あが|入|はい|つか|浸)",
        r"(?:水|みず)が.{0,2}(?:溜ま|たま)って",
        r"(?:水|みず)が.{0,6}(?:流れ込|ながれこ)",
        r"(?:水|みず)が(?:胸|首|腰|膝|ひざ|くび|こし|むね)",
        r"(?:家|いえ)さ?.{0,2}(?:水|みず)(?:が)?(?:入|はい)",
        r"(?:道|みち|道路).{0,8}川(?:みたい|のよう|になっ|んなっ)",
        r"(?:あふれ|溢れ)(?:ま|る|ている|てる)",
        r"flooded|water is rising|water rising",
        r"(?:水|みず)に(?:沈|しず)",
        r"(?:湖|池|海|プール)(?:みたい|のよう)",
        r"(?:道|みち|道路|家|庭|玄関|床).{0,3}まで(?:水|みず)が",
        r"(?:水|みず)が(?:引か|ひか)(?:な|ず)",
        r"(?:床|一階|1階|家の中|部屋).{0,3}(?:まで|に)?(?:水|みず)(?:が|に)?(?:入|はい|来|き|つか|浸)",
        r"(?<!防波)(?:堤防|護岸).{0,4}(?:越え|こえ)(?!そう)",
        r"(?:水|みず)が(?:来|き)(?:た|て)",
        r"浸水",
        r"冠水",
        r"氾濫",
        r"はんらん",
        r"水没",
        r"床上",
        r"床下",
        r"水[にが]?[浸つ]か",
        r"水浸し",
        r"水びたし",
        r"洪水",
        r"決壊",
        r"(?:あふれ|溢れ)(?:て|た|出|だ)",
        r"水が.{0,5}(?:入って|入り|入っ|来て|きて|上が)",
        r"道路?が川",
        r"flood",
    ],
    "river_rising": [
        r"(?:川|水|かわ|みず).{0,6}(?:増え|ふえ)",
        r"堤防.{0,6}(?:越え|こえ)そう",
        r"(?:土手|堤防|河川敷|橋).{0,6}(?:まで|に)(?:来|き)",
        r"(?:川|かわ)の(?:水|みず)が.{0,8}(?:多い|多く|おおい|おおく)",
        r"増水",
        r"水位",
        r"水かさ",
        r"水嵩",
        r"濁流",
        r"川の水(?:が|かさ)?(?:増|多|上)",
        r"(?:氾濫|はんらん|あふれ|溢れ)しそう|(?:あふれ|溢れ)そう",
        r"river (?:is )?rising",
    ],
    "landslide": [
        r"どしゃ",
        r"がけくずれ",
        r"(?:石|岩|小石).{0,8}(?:落ち|転が)",
        r"(?<![a-z])土(?:砂)?が.{0,3}(?:流れ|崩れ|くずれ)",
        r"土砂(?!災害警戒)",
        r"(?:がけ|崖|山|斜面|のり面|法面)(?:が)?(?:崩|くず)れ",
        r"土石流",
        r"地すべり",
        r"地滑り",
        r"落石",
        r"landslide",
        r"mudslide",
    ],
    "fire": [
        r"火が(?:出|上が|つい)",
        r"かじ(?:です|だ|が|に)",
        r"火事",
        r"火災",
        r"燃え",
        r"(?<!噴)煙",
        r"けむり",
        r"炎",
        r"出火",
        r"ぼや|ボヤ",
        r"延焼",
        r"fire",
        r"smoke",
    ],
    "building_damage": [
        r"雨漏り",
        r"(?:(?<!電)柱|梁|天井|床)が?.{0,3}(?:折れ|落ち|抜け|崩|傾)",
        r"(?:窓|ガラス).{0,12}(?:割れ|破れ|われ)",
        r"(?:崩れ|くずれ|壊れ|こわれ|潰れ|つぶれ|倒れ)た(?:家|建物|ビル|住宅|家屋)",
        r"(?:門|壁|天井|家屋|建物|外壁).{0,3}(?:崩れ|くずれ)",
        r"(?:家|建物|住宅|家屋)が?.{0,2}(?:流さ|ながさ|埋ま|うま)",
        r"(?:瓦|かわら).{0,4}(?:落ち|おち|飛|ずれ|割れ)",
        r"(?:house|building|home)\b.{0,20}damaged|damaged.{0,10}(?:house|building|home)",
        r"(?:家|いえ|建物|ビル)が?.{0,2}(?:こわれ|こわさ)",
        r"倒壊",
        r"損壊",
        r"全壊",
        r"半壊",
        r"(?<!土砂)崩壊",
        r"屋根.{0,5}(?:飛|壊|はが|剥が|めく|破|穴|なくな|無くな)",
        r"(?:ドア|扉|戸)が?.{0,2}(?:ゆがん|歪ん)",
        r"壁.{0,6}(?:崩|壊|ひび|亀裂|割れ|穴|剥が|はが|落ち)",
        r"窓.{0,4}(?:割|破)",
        r"ガラスが割れ",
        r"(?:家|建物|ビル|住宅|瓦)が?.{0,2}(?:傾|潰|つぶ|壊|崩れ|落ち|倒れ)",
    ],
    "road_blocked": [
        r"(?:冠水|かんすい|水|道|みち|道路).{0,8}(?:歩け|あるけ)" + _NEG,
        r"(?:とおれ|渡れ|わたれ)" + _NEG,
        r"立ち往生",
        r"(?:道路|道|路面)に?.{0,2}穴",
        r"(?:線路|道|道路|県道|国道).{0,3}(?:埋ま|うま)",
        r"(?:橋|道路|線路)(?:が|は)?.{0,4}(?:流さ|ながさ|崩落|落ち)",
        r"(?:道|道路|路面).{0,4}(?:亀裂|ひび)",
        r"車が.{0,2}(?:動け|うごけ)" + _NEG,
        r"\bblocked\b",
        r"通行止め",
        r"陥没",
        r"寸断",
        r"通れ" + _NEG,
        r"通行でき" + _NEG,
        r"進め" + _NEG,
        r"(?:ふさ|塞)が",
        r"(?:ふさ|塞)い",
        r"道路?が?.{0,2}(?:割れ|崩れ|ひび|陥)",
        r"road (?:is )?(?:blocked|closed)",
    ],
    "fallen_object": [
        r"倒木",
        r"(?:木|樹)(?:が|も|は)?.{0,5}(?:倒れ|折れ|たお)",
        r"きが.{0,2}たお",
        r"でんちゅう",
        r"(?:でんせん|電線).{0,4}(?:きれ|たれ|おち)",
        r"tree fell|fallen tree|power line",
        r"電柱",
        r"電線.{0,4}(?:切|垂|落|たれ|引っかか)",
        r"看板.{0,3}(?:落|飛|倒)",
        r"ブロック塀",
        r"塀.{0,2}(?:倒|崩)",
    ],
    "power_outage": [
        r"ていでん|テイデン",
        r"(?:電気|でんき).{0,2}(?:き|こ)(?:とら|て|ー|てい)?" + _NEG,
        r"(?:電気|でんき)の?復旧",
        r"no electricity|power.{0,20}come back|power (?:went|is) (?:out|off)",
        r"でんき.{0,2}(?:つか|こ|来)" + _NEG,
        r"停電",
        r"信号.{0,3}(?:消え|止ま|つかな|ついてな|ついていな)",
        r"電気" + _GAP + r"(?:来|こ|つか|点か|使え)" + _NEG,
        r"(?:電気|でんき)" + _GAP + r"(?:つき|点き)ません",
        r"電気.{0,2}(?:止ま|とま|消え|止められ)",
        r"blackout",
        r"power (?:is )?(?:out|cut)",
        r"no power",
    ],
    "water_outage": [
        r"だんすい|ダンスイ",
        r"(?:水|みず).{0,2}(?:出|で)(?:え|ー)?(?:へん|ひん)",
        r"(?:水|みず).{0,2}(?:流れ|ながれ)" + _NEG,
        r"(?:水|みず).{0,10}しか(?:出|で)" + _NEG,
        r"(?:水|みず)が(?:止ま|とま)っ",
        r"(?:水道|すいどう)の?復旧",
        r"water (?:is )?(?:stopped|out)|water stopped|no water",
        r"みず.{0,2}(?:出|で)" + _NEG,
        r"すいどう.{0,4}(?:止ま|とま)",
        r"すいどう.{0,4}(?:出|で)" + _NEG,
        r"断水",
        r"水" + _GAP + r"(?:出|で)" + _NEG,
        r"水道.{0,2}(?:止ま|とま|止められ|とめられ)",
        r"水道.{0,2}(?:出|で|使え)" + _NEG,
        r"no water",
    ],
    "gas_outage": [
        r"ガス.{0,2}(?:止ま|とま|止められ)",
        r"ガス.{0,2}(?:出|で|使え|つか|点か|来|き)(?:て|てい)?" + _NEG,
        r"ガス(?:メーター)?.{0,2}止ま",
        r"ガス停止",
        r"ガス.{0,4}(?:供給停止|停止)",
        r"(?:コンロ|ガス).{0,6}(?:火が|ひが)(?:つか|点か)" + _NEG,
        r"ガスの?復旧",
    ],
    "gas_leak": [
        r"(?:ガス|gas).{0,4}(?:臭|くさ|クサ|にお|匂)",
        r"smell (?:of )?gas|gas smell",
        r"ガスの(?:におい|臭い|匂い)",
        r"ガス漏れ",
        r"ガスもれ",
        r"gas leak",
        r"smell of gas",
    ],
    "telecom_outage": [
        r"(?:電話|でんわ|携帯|スマホ|ネット|回線|wi-?fi|ドコモ|docomo|\bau\b|ソフトバンク|softbank|楽天)"
        + _GAP
        + r"(?:つながら|つながり|繋がら|繋がり|通じ|使え|つかえ)"
        + _NEG,
        r"(?:つながり|繋がり)にく",
        r"不通",
        r"(?:ネット|回線|サーバ|wi-?fi).{0,2}(?:落ち|おち)",
        r"電波.{0,2}(?:入ら|はいら)" + _NEG,
        r"圏外",
        r"通信(?:障害|が)",
        r"電波.{0,2}(?:ない|悪)",
        r"no signal",
    ],
    "injury": [
        r"(?:落ち|転ん|ころん|倒れ)て.{0,3}(?:動かな|動けな|立てな|起きな)",
        r"転落",
        r"すりむ|擦りむ|ねんざ|捻挫|くじ(?:い|き)",
        r"骨が折れ",
        r"(?:起き上が|立ち上が|おきあが|たちあが)れ" + _NEG,
        r"(?:腰|頭|胸|背中|足|腕|膝)を?(?:強く)?(?:打|う)っ",
        r"(?:転ん|ころん|転倒|落ち).{0,8}(?:痛|いた)",
        r"痛が(?:って|る)",
        r"(?:落ち|転ん|ころん|倒れ|けがし|怪我し)た(?:人|方|子)",
        r"(?:手|指|足|腕|頭|顔).{0,2}切(?:っ|れ)",
        r"(?:人|母|父|祖母|祖父|おじいさん|おばあさん|おじいちゃん|おばあちゃん|子|妻|夫|主人|誰か|方)が倒れ",
        r"息を?して(?:い)?" + _NEG,
        r"(?:痛|いた|骨折|けが|ケガ|怪我).{0,10}(?:歩け|あるけ|立て|たて|動け|うごけ)" + _NEG,
        r"(?:足|腰)(?:が|を)(?:痛|いた|動か|うごか)",
        r"fell and|hurt|broken",
        r"(?<![助す])けが(?![崩くず])",  # not 助けが (asking for help), not がけが崩れ (a cliff)
        r"ケガ",
        r"怪我",
        r"負傷",
        r"骨折",
        r"出血",
        r"血が",
        r"血を",
        r"頭を打",
        r"意識が",
        r"(?<![んだやけ])やけど",
        r"火傷",
        r"injur",
        r"bleeding",
    ],
    "trapped": [
        r"閉じ込め",
        r"閉じこめ",
        r"とじこめ",
        r"生き埋め",
        r"取り残され",
        r"とりのこされ",
        r"孤立",
        r"下敷き",
        r"したじき",
        r"(?:逃げ|出|降り|おり|にげ)られ" + _NEG,
        r"脱出でき" + _NEG,
        r"挟まれ",
        r"はさまれ",
        r"身動き",
        r"(?:挟ま|はさま)(?:っ|れ)",
        r"(?<!起き)(?<!立ち)(?<!おき)(?<!たち)(?:上が|あが|のぼ|登)れ" + _NEG,
        r"(?:家|建物|がれき|瓦礫|ガレキ).{0,3}(?:下|した)に(?:人|.{0,6}が)",
        r"(?:家|建物|がれき|瓦礫|ガレキ|土砂).{0,4}(?:下|中|なか)から.{0,4}(?:声|音)",
        r"(?:人|子|子ども|子供|母|父|家族|祖母|祖父|妻|夫).{0,6}(?:残って|のこって)",
        r"(?:人|子ども|子供|母|父|家族|祖母|祖父|妻|夫|おばあちゃん|おじいちゃん)が(?:まだ)?(?:中|なか)に",
        r"中に(?:人|家族|子|母|父)(?:が)?(?:いる|います|い|残)",
        r"屋根の上に(?:い|取)",
        r"trapped",
        r"stuck",
    ],
    "tsunami": [r"津波", r"つなみ", r"tsunami"],
    "storm_surge": [r"高潮", r"たかしお", r"高波", r"潮位.{0,3}(?:上が|あが)", r"storm surge"],
    "volcano": [r"噴火", r"噴煙", r"火山", r"降灰", r"噴石", r"灰が.{0,2}(?:降|ふ)", r"eruption", r"volcan"],
}

TRIGGERS: dict[str, re.Pattern[str]] = {c: re.compile("|".join(_RAW[c])) for c in CATEGORIES}

_UTILITY = r"電気|でんき|ガス|水道|すいどう|水|みず|電話|携帯|スマホ|ネット"
#: Several utilities sharing one predicate: 電気もガスも水道も止まっています.
ENUMERATED_OUTAGE = re.compile(
    rf"(?:(?:{_UTILITY})(?:も|と|や|、|,|・)){{1,4}}(?:{_UTILITY})?(?:も|が)?"
    r"(?:ぜんぶ|全部|すべて|全て|どれも|みんな)?"
    r"(?:止ま|とま|出な|出ま|でな|でま|使えな|使えま|来な|来ま|つかな|つながら|つながり)"
)
UTILITY_CATEGORY = {
    "電気": "power_outage", "でんき": "power_outage", "ガス": "gas_outage",
    "水道": "water_outage", "すいどう": "water_outage", "水": "water_outage",
    "みず": "water_outage", "電話": "telecom_outage", "携帯": "telecom_outage",
    "スマホ": "telecom_outage", "ネット": "telecom_outage",
}  # fmt: skip
UTILITY_WORD = re.compile(_UTILITY)
#: A utility said to be fine (ガスは大丈夫): a denial even without an outage word.
UTILITY_FINE = re.compile(
    rf"(?<!まで)(?:(?:{_UTILITY})(?:も|と|、|,|・))*(?:{_UTILITY})(?:は|も|が)(?:普通に|ちゃんと|まだ)?(?:大丈夫|平気|問題な"
    r"|使え(?:る|ます|て)|出(?:る|ます|て)|来て(?:る|ます|い)|きて(?:る|ます|い)|(?:つい|点い)て(?:る|ます|い)"
    r"|つながって|つながり(?:ます)|復旧し)"
)
#: A road said to be passable: a denial of road_blocked.
ROAD_FINE = re.compile(r"(?:道|道路|みち)(?:は|も)(?:普通に|まだ)?(?:通れ|とおれ)(?:る|ます)")

#: Explicit hazard words for shelter requests, checked before the category mapping.
HAZARD_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("tsunami", re.compile(r"津波|つなみ|tsunami")),
    ("storm_surge", re.compile(r"高潮|たかしお|高波")),
    ("inland_flood", re.compile(r"内水|下水.{0,2}(?:あふれ|溢れ)|マンホール")),
    ("volcano", re.compile(r"噴火|火山|噴石|降灰")),
    ("landslide", re.compile(r"土砂|がけ|崖|土石流|地すべり|地滑り|山崩れ")),
    ("large_fire", re.compile(r"火事|火災|大火|延焼")),
    ("earthquake", re.compile(r"地震|揺れ|余震|じしん|earthquake")),
    ("flood", re.compile(r"洪水|浸水|冠水|氾濫|大雨|増水|水害|台風|川|flood")),
)
