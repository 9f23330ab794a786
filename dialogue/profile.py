"""Residents' registered settings: language, home area, needs, consent to area messages.

Kept in Redis as versioned JSON under a hash of the LINE user id, with a long TTL that is
renewed whenever the resident talks to the bot (an unused profile eventually expires).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

import redis

__all__ = ["NEEDS", "PROFILE_SCHEMA_VERSION", "Profile", "ProfileStore", "language_for"]

PROFILE_SCHEMA_VERSION = 1
#: Needs a resident may register (they change walking-time estimates and officers' priorities).
NEEDS = ("elderly", "wheelchair", "infant", "chronic_illness")


def language_for(line_language: str | None) -> str:
    """The bot language for a LINE profile language (BCP 47, e.g. "ja", "en", "zh-Hant").

    Japanese and English map to themselves. Chinese and Korean readers usually read kanji, so
    they get やさしい日本語; everyone else gets English. Residents can change it in 設定.
    """
    code = (line_language or "ja").lower().split("-")[0]
    if code == "ja":
        return "ja"
    if code in ("zh", "ko"):
        return "easy_ja"
    return "en"


@dataclass
class Profile:
    language: str = "ja"  # ja / easy_ja / en
    #: True once the resident chose a language (else it follows the LINE profile language).
    language_chosen: bool = False
    home_municipality: str | None = None
    home_municipality_code: str | None = None
    home_address: str = ""
    home_lat: float | None = None
    home_lon: float | None = None
    needs: list[str] = field(default_factory=list)
    area_messages: bool = False

    @property
    def slow_walker(self) -> bool:
        return bool({"elderly", "wheelchair", "chronic_illness"} & set(self.needs))

    def to_json(self) -> str:
        return json.dumps({"v": PROFILE_SCHEMA_VERSION, **asdict(self)}, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str | bytes | None) -> Profile | None:
        if not raw:
            return None
        data = json.loads(raw)
        if data.pop("v", None) != PROFILE_SCHEMA_VERSION:
            return None
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


class ProfileStore:
    def __init__(self, client: redis.Redis, prefix: str = "sonae", ttl_s: int = 400 * 86400):
        self.client = client
        self.prefix = prefix
        self.ttl_s = ttl_s

    def key(self, user_id: str) -> str:
        return f"{self.prefix}:profile:{hashlib.blake2b(user_id.encode(), digest_size=16).hexdigest()}"

    def load(self, user_id: str) -> Profile | None:
        return Profile.from_json(self.client.get(self.key(user_id)))

    def area_key(self, municipality_code: str) -> str:
        return f"{self.prefix}:area:{municipality_code}"

    def save(self, user_id: str, profile: Profile, client: Any = None) -> None:
        """Store the profile; ``client`` may be a pipeline to join a transaction.

        Residents who consented to area messages are also listed under their home
        municipality, so officers' campaigns can reach them (and only them).
        """
        old = self.load(user_id)
        writer = client or self.client
        writer.set(self.key(user_id), profile.to_json(), ex=self.ttl_s)
        if (
            old is not None
            and old.home_municipality_code
            and old.home_municipality_code != profile.home_municipality_code
        ):
            writer.srem(self.area_key(old.home_municipality_code), user_id)
        code = profile.home_municipality_code
        if code:
            if profile.area_messages:
                writer.sadd(self.area_key(code), user_id)
                writer.expire(self.area_key(code), self.ttl_s)
            else:
                writer.srem(self.area_key(code), user_id)

    def residents_of(self, municipality_code: str) -> list[str]:
        """LINE user ids of residents of a municipality who consented to area messages.

        Members whose registration has expired (or no longer matches) are dropped on the way.
        """
        area = self.area_key(municipality_code)
        members = sorted(m.decode() if isinstance(m, bytes) else str(m) for m in self.client.sscan_iter(area))
        current = []
        for user_id in members:
            profile = self.load(user_id)
            if profile is not None and profile.area_messages and profile.home_municipality_code == municipality_code:
                current.append(user_id)
            else:
                self.client.srem(area, user_id)
        return current

    def touch(self, user_id: str, client: Any = None) -> None:
        (client or self.client).expire(self.key(user_id), self.ttl_s)

    def forget(self, user_id: str, client: Any = None) -> None:
        old = self.load(user_id)
        writer = client or self.client
        writer.delete(self.key(user_id))
        if old is not None and old.home_municipality_code:
            writer.srem(self.area_key(old.home_municipality_code), user_id)
