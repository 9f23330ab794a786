"""Realistic resident messages with the slots we expect (the NLU regression table).

Each case: text, intent, categories, negated, urgent, hazard_for_shelter, locations as
(text, kind, municipality or None), needs_location.
"""

from __future__ import annotations

from typing import NamedTuple


class Case(NamedTuple):
    text: str
    intent: str
    categories: frozenset[str] = frozenset()
    negated: frozenset[str] = frozenset()
    urgent: bool = False
    hazard: str | None = None
    locations: tuple[tuple[str, str, str | None], ...] = ()
    needs_location: bool = False


def c(text: str, intent: str, cats: str = "", neg: str = "", urgent: bool = False,
      hazard: str | None = None, locs: tuple[tuple[str, str, str | None], ...] = (),
      needs: bool = False) -> Case:  # fmt: skip
    return Case(text, intent, frozenset(cats.split()), frozenset(neg.split()), urgent, hazard,
                locs, needs)  # fmt: skip


CASES: list[Case] = [
    # the brief's examples
    c(
        "藤沢市辻堂元町3丁目で電柱が倒れて道がふさがってる",
        "report",
        "fallen_object road_blocked",
        locs=(("藤沢市辻堂元町3丁目", "address", "藤沢市"),),
    ),
    c(
        "ふじさわえきの近く冠水",
        "report",
        "flooding",
        locs=(("ふじさわえき", "station", "藤沢市"),),
    ),
    c("停電はしてないけど水が出ない", "report", "water_outage", "power_outage", needs=True),
    c("助けて 母が家具の下敷き", "report", "trapped", urgent=True, needs=True),
    c("家の前の道路が冠水して通れません", "report", "flooding road_blocked", needs=True),
    c("津波の避難場所はどこ", "find_shelter", hazard="tsunami", needs=True),
    c("無事です", "safety"),
    c("やめる", "cancel"),
    c("こんにちは", "greeting"),
    c(
        "横浜市港北区で川が増水している",
        "report",
        "river_rising",
        locs=(("横浜市港北区", "municipality", "横浜市港北区"),),
    ),
    # negation, worry, hypothetical
    c("停電はしていません", "other", neg="power_outage"),
    c("土砂崩れが心配です", "report", neg="landslide", needs=True),
    c("浸水したらどうすればいいですか", "ask_info", neg="flooding"),
    c("けがはありません", "safety", neg="injury"),
    c(
        "もし津波が来たらどこに逃げればいい？",
        "find_shelter",
        neg="tsunami",
        hazard="tsunami",
        needs=True,
    ),
    c("ガス漏れはないです、でも停電してます", "report", "power_outage", "gas_leak", needs=True),
    # reports with places
    c(
        "茅ヶ崎市東海岸北五丁目3-12で床上浸水",
        "report",
        "flooding",
        locs=(("茅ヶ崎市東海岸北五丁目3-12", "address", "茅ヶ崎市"),),
    ),
    c(
        "茅ケ崎駅前の道路が陥没してる",
        "report",
        "road_blocked",
        locs=(("茅ケ崎駅", "station", "茅ヶ崎市"),),
    ),
    c(
        "鶴見川が氾濫しそう",
        "report",
        "river_rising",
        "flooding",
        locs=(("鶴見川", "river", None),),
        needs=True,
    ),
    c(
        "鎌倉市で土砂崩れ、道路が通行止めです",
        "report",
        "landslide road_blocked",
        locs=(("鎌倉市", "municipality", "鎌倉市"),),
    ),
    c(
        "ひよし駅のそばで倒木",
        "report",
        "fallen_object",
        locs=(("ひよし駅", "station", "横浜市港北区"),),
    ),
    c("小田原駅の近くで火事です", "report", "fire", urgent=True, locs=(("小田原駅", "station", "小田原市"),)),
    c(
        "川崎市中原区、停電と断水が続いています",
        "report",
        "power_outage water_outage",
        locs=(("川崎市中原区", "municipality", "川崎市中原区"),),
    ),
    c(
        "厚木市で屋根が飛ばされた",
        "report",
        "building_damage",
        locs=(("厚木市", "municipality", "厚木市"),),
    ),
    c(
        "ﾌｼﾞｻﾜｴｷ周辺で看板が落ちてきた",
        "report",
        "fallen_object",
        locs=(("ﾌｼﾞｻﾜｴｷ", "station", "藤沢市"),),
    ),
    c(
        "つじどうえき北口が水没",
        "report",
        "flooding",
        locs=(("つじどうえき", "station", "藤沢市"),),
    ),
    c(
        "辻堂小学校の体育館の窓ガラスが割れています",
        "report",
        "building_damage",
        locs=(("辻堂小学校", "facility", "藤沢市"),),
    ),
    # urgent
    c("エレベーターに閉じ込められました", "report", "trapped", urgent=True, needs=True),
    c("火事です！中にまだ人がいます", "report", "fire", urgent=True, needs=True),
    c("水が胸まで来て逃げられない", "report", "flooding trapped", urgent=True, needs=True),
    c("祖父が倒れて意識がない", "report", "injury", urgent=True, needs=True),
    c(
        "家が倒壊して父が生き埋めになっている",
        "report",
        "building_damage trapped",
        urgent=True,
        needs=True,
    ),
    c("足を骨折して動けない、助けてください", "report", "injury", urgent=True, needs=True),
    c("孤立しています。食料がありません", "report", "trapped", urgent=True, needs=True),
    # outages and other categories
    c("ガス臭いです", "report", "gas_leak", needs=True),
    c("携帯がつながらない", "report", "telecom_outage", needs=True),
    c("都市ガスが止まってお湯が出ない", "report", "gas_outage", needs=True),
    c(
        "箱根町で噴煙が上がっている",
        "report",
        "volcano",
        locs=(("箱根町", "municipality", "箱根町"),),
    ),
    c("海岸に高潮が来ている", "report", "storm_surge", needs=True),
    c("裏山のがけが崩れて家が半壊した", "report", "landslide building_damage", needs=True),
    # shelters
    c("近くの避難所を教えて", "find_shelter", needs=True),
    c(
        "土砂災害のときの避難所はどこですか",
        "find_shelter",
        hazard="landslide",
        needs=True,
    ),
    c(
        "平塚市で洪水のとき逃げる場所は？",
        "find_shelter",
        neg="flooding",
        hazard="flood",
        locs=(("平塚市", "municipality", "平塚市"),),
    ),
    c(
        "地震で家が傾いた、避難所はどこ？",
        "find_shelter",
        "building_damage",
        hazard="earthquake",
        needs=True,
    ),
    # safety, ask_info, cancel, greeting, other
    c("家族全員無事です。小学校に避難しました", "safety"),
    c("避難指示は出ていますか", "ask_info"),
    c("電車は動いていますか？", "ask_info"),
    c("給水所はどこにありますか", "ask_info"),
    c("キャンセル", "cancel"),
    c("おはようございます", "greeting"),
    c("ありがとう", "greeting"),
    c("了解です", "other"),
    # dialect, やさしい日本語, headline style, enumerations, second-round messages
    c("うちの前の川、水がだいぶ増えてきとる", "report", "river_rising", needs=True),
    c(
        "ばあちゃんが二階から降りられんのです、水が一階まで来とる",
        "report",
        "flooding trapped",
        urgent=True,
        needs=True,
    ),
    c("電気もガスも水道もぜんぶとまっています", "report", "power_outage gas_outage water_outage", needs=True),
    c("すいどうの みずが でません", "report", "water_outage", needs=True),
    c("じしん で いえ が こわれました", "report", "building_damage", needs=True),
    c(
        "ちがさき駅南口 道路冠水 車が動けない",
        "report",
        "flooding road_blocked",  # the car is stuck, nobody said to be at risk (docs/nlu.md)
        locs=(("ちがさき駅", "station", "茅ヶ崎市"),),
    ),
    c("電話もネットもつながりません、停電中", "report", "telecom_outage power_outage", needs=True),
    c("隣の家から火が出てる！", "report", "fire", urgent=True, needs=True),
    c("雨漏りがひどい", "report", "building_damage", needs=True),
    c("平塚の避難所どこ？", "find_shelter", locs=(("平塚", "municipality", "平塚市"),)),
    c("うちは大丈夫です、ありがとう", "safety"),
    c(
        "逗子市桜山2丁目、裏の斜面から土が流れてきています",
        "report",
        "landslide",
        locs=(("逗子市桜山2丁目", "address", "逗子市"),),
    ),
    c("大船駅の東口、道が水につかってます", "report", "flooding", locs=(("大船駅", "station", "鎌倉市"),)),
    c("停電してるのはうちだけ？", "ask_info", "power_outage"),  # outage + question
    c("主人が瓦礫に挟まれて出られません", "report", "trapped", urgent=True, needs=True),
    c("煙のにおいがする", "report", "fire", needs=True),
    c("ガスは大丈夫、電気が来ない", "report", "power_outage", "gas_outage", needs=True),
    c("高潮が心配なので避難所を教えて", "find_shelter", neg="storm_surge", hazard="storm_surge", needs=True),
    c("子どもが熱を出した", "other"),
    c("近所の家の塀が崩れて道に広がってる", "report", "fallen_object", needs=True),
    c(
        "みなとみらい駅周辺、停電してるみたい",
        "report",
        "power_outage",
        locs=(("みなとみらい駅", "station", "横浜市西区"),),
    ),
    c(
        "川崎市麻生区で地すべりが起きた",
        "report",
        "landslide",
        locs=(("川崎市麻生区", "municipality", "川崎市麻生区"),),
    ),
    c("すみません、もういいです", "cancel"),
    c("さがみおおのえき 浸水", "report", "flooding", locs=(("さがみおおのえき", "station", "相模原市南区"),)),
    c("避難所に着きました", "safety"),
    c("台風で木が倒れて電線が切れてる", "report", "fallen_object", needs=True),
    c("おじいちゃんがころんで頭から血がでてる", "report", "injury", urgent=True, needs=True),
    c("相模川の水位がかなり上がっています", "report", "river_rising", locs=(("相模川", "river", None),), needs=True),
    c("津波警報が出たけど、どこに逃げたらいい？", "find_shelter", neg="tsunami", hazard="tsunami", needs=True),
    # third round
    c(
        "伊勢原市の山の方で土砂崩れがあったらしい",
        "report",
        "landslide",
        locs=(("伊勢原市", "municipality", "伊勢原市"),),
    ),
    c("秦野駅前のビルの壁が剥がれ落ちています", "report", "building_damage", locs=(("秦野駅", "station", "秦野市"),)),
    c("電気はついてるけど、ガスが使えない", "report", "gas_outage", "power_outage", needs=True),
    c("夫が屋根から落ちて動かない！救急車呼んだけど来ない", "report", "injury", urgent=True, needs=True),
    c("アパートの一階が浸水、2階に避難してる", "report", "flooding", needs=True),
    c("地震の避難所ってどこですか", "find_shelter", hazard="earthquake", needs=True),
    c("海老名市で噴火の影響はありますか", "ask_info", neg="volcano", locs=(("海老名市", "municipality", "海老名市"),)),
    c("みんな避難所にいます。ありがとう", "safety"),
    c("水がでないです。どこで水がもらえますか", "ask_info", "water_outage"),
    c(
        "横浜市中区本町の交差点で信号が消えてる",
        "report",
        "power_outage",
        locs=(("横浜市中区本町", "address", "横浜市中区"),),
    ),
    c("道に大きな穴があいて車が通れない", "report", "road_blocked", needs=True),
    c("けむりがすごい、火事かも", "report", "fire", needs=True),
    c("川があふれた！家に水が入ってきた", "report", "flooding", needs=True),
    c("もうやめます", "cancel"),
    c("はじめまして", "greeting"),
    c("がけ崩れの危険があるので避難したい", "find_shelter", neg="landslide", hazard="landslide", needs=True),
    c("向かいの家に人が閉じ込められているみたい", "report", "trapped", urgent=True, needs=True),
    c("鎌倉駅の近くの避難所を教えてください", "find_shelter", locs=(("鎌倉駅", "station", "鎌倉市"),)),
    c("停電中。スマホの充電がなくなりそう", "report", "power_outage", needs=True),
    c("津波が来てる！高台に逃げてる", "report", "tsunami", needs=True),
    # fourth round: English, emoji, half-width, town halls
    c("保土ヶ谷区で停電😢", "report", "power_outage", locs=(("保土ヶ谷区", "municipality", "横浜市保土ケ谷区"),)),
    c(
        "There is a fire near Yokohama station",
        "report",
        "fire",
        urgent=True,
        locs=(("Yokohama station", "station", "横浜市西区"),),
    ),
    c("Where is the nearest shelter?", "find_shelter", needs=True),
    c("ｶﾞｽくさい！", "report", "gas_leak", needs=True),
    c("藤沢駅南口、冠水してて歩けません", "report", "flooding road_blocked", locs=(("藤沢駅", "station", "藤沢市"),)),
    c("母と二人、家から出られない。水がどんどん上がってる", "report", "trapped flooding", urgent=True, needs=True),
    c("雷がすごい", "other"),
    c(
        "横浜駅の西口でガラスが割れて散乱してます",
        "report",
        "building_damage",
        locs=(("横浜駅", "station", "横浜市西区"),),
    ),
    c("座間市役所のあたり、電柱が傾いてる", "report", "fallen_object", locs=(("座間市役所", "facility", "座間市"),)),
    c("停電も断水もしていません。大丈夫です", "safety", neg="power_outage water_outage"),
    c("避難した方がいいですか？", "ask_info"),  # advice, not where (docs/nlu.md)
    c(
        "土砂崩れで道路が寸断され、集落が孤立しています",
        "report",
        "landslide road_blocked trapped",
        urgent=True,
        needs=True,
    ),
    c("家のブレーカーが落ちた", "other"),
    c("おなかがすいた", "other"),
    c("終了", "cancel"),
    c("こんばんは、よろしくお願いします", "greeting"),
    c("川の水があふれそうで怖い", "report", "river_rising", "flooding", needs=True),
    c(
        "小田原市の早川が増水中",
        "report",
        "river_rising",
        locs=(("小田原市", "municipality", "小田原市"), ("早川", "river", None)),
    ),
    c("子供がけがをしました、血がとまりません", "report", "injury", urgent=True, needs=True),
    c(
        "鵠沼海岸駅の近くの道路、通行止めになってる",
        "report",
        "road_blocked",
        locs=(("鵠沼海岸駅", "station", "藤沢市"),),
    ),
    # けが right after the particle が, and 助けが (not an injury)
    c("母がけがをした", "report", "injury", needs=True),
    c("がけがくずれた", "report", "landslide", needs=True),
    c("助けが必要です", "report", urgent=True, needs=True),
    # English place names, typos, a town named after its municipality elsewhere in the message
    c("Flooding near Chigasaki station", "report", "flooding", locs=(("Chigasaki station", "station", "茅ヶ崎市"),)),
    c("茅ケ先市で冠水", "report", "flooding", locs=(("茅ケ先市", "municipality", "茅ヶ崎市"),)),
    c(
        "ひらつかしの須賀あたり、浸水",
        "report",
        "flooding",
        locs=(("ひらつかし", "municipality", "平塚市"), ("須賀", "address", "平塚市")),
    ),
]
