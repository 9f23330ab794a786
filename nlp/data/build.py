"""Rebuild the gazetteer CSVs in this folder from the shared data folder (run by hand).

Not imported at runtime. Usage: ``python -m nlp.data.build [/path/to/shared/data]`` (default:
``../shared/data`` beside the project root).
Station readings come from SudachiPy (installed with GiNZA); review them after a rebuild.
"""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).parent


def _write(name: str, header: list[str], rows: list[list[str]]) -> None:
    with (HERE / name).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"{name}: {len(rows)} rows")


def _municipalities(src: Path) -> list[list[str]]:
    rows = []
    with (src / "localgovjp" / "localgovjp-utf8.csv").open(encoding="utf-8-sig") as fh:
        for r in csv.DictReader(fh):
            rows.append(
                [
                    r["pref"],
                    r["city"].replace(" ", ""),
                    r["citykana"].replace(" ", ""),
                    r["cid"].zfill(5),
                    r["lgcode"].zfill(6),
                    r["lat"],
                    r["lng"],
                ]
            )
    return rows


def _to_hiragana(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def _stations(src: Path) -> list[list[str]]:
    from sudachipy import Dictionary

    tok = Dictionary(dict="core").create()
    seen: dict[str, list[str]] = {}
    path = src / "mlit_n02_stations_kanagawa" / "kanagawa_stations_n02_2023.csv"
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            name = r["station_name"]
            if name in seen:
                continue
            reading = "".join(m.reading_form() for m in tok.tokenize(name))
            seen[name] = [name, _to_hiragana(reading), r["lat"], r["lon"]]
    return list(seen.values())


def _towns(src: Path) -> list[list[str]]:
    rows = []
    path = src / "geolonia_addresses_kanagawa" / "kanagawa_machichome.csv"
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if not r["lat"]:
                continue
            city = re.sub(r"^.+?郡", "", r["city"])
            rows.append([city, r["town"], r["koaza"], r["lat"], r["lng"]])
    return rows


def _facilities(src: Path, munis: list[str]) -> list[list[str]]:
    folder = src / "gsi_shelters_kanagawa"
    seen: dict[tuple[str, str], list[str]] = {}
    by_len = sorted(munis, key=len, reverse=True)
    for name in ("kanagawa_shitei_kinkyu_hinan_basho.csv", "kanagawa_shitei_hinanjo.csv"):
        with (folder / name).open(encoding="utf-8-sig") as fh:
            for r in csv.DictReader(fh):
                if not r["緯度"]:
                    continue
                label = unicodedata.normalize("NFKC", r["施設・場所名"]).split(" ")[0]
                label = re.sub(r"[(（].*$", "", label).strip()
                address = re.sub(r"^神奈川県", "", unicodedata.normalize("NFKC", r["住所"]))
                address = re.sub(r"^.+?郡", "", address)
                city = next((m for m in by_len if address.startswith(m)), "")
                if len(label) < 3 or not city:
                    continue
                seen.setdefault((label, city), [label, city, r["緯度"], r["経度"]])
    return list(seen.values())


def main(src: Path) -> None:
    munis = _municipalities(src)
    _write(
        "municipalities.csv",
        ["prefecture", "name", "kana", "code", "lgcode", "lat", "lon"],
        munis,
    )
    _write("stations_kanagawa.csv", ["name", "kana", "lat", "lon"], _stations(src))
    _write("towns_kanagawa.csv", ["municipality", "town", "koaza", "lat", "lon"], _towns(src))
    kanagawa = [m[1] for m in munis if m[0] == "神奈川県"]
    _write(
        "facilities_kanagawa.csv",
        ["name", "municipality", "lat", "lon"],
        _facilities(src, kanagawa),
    )


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[2].parent / "shared" / "data"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
