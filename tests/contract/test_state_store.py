"""The conversation store's contract, on the Redis twin and on real Redis."""

from __future__ import annotations

import json

import redis

from dialogue.store import SCHEMA_VERSION, Conversation, StateStore


def test_state_round_trips_with_schema_version_and_ttl(any_redis: redis.Redis) -> None:
    store = StateStore(any_redis, idle_ttl_s=600)
    key = store.key("Ualice", "Ualice")
    assert "Ualice" not in key  # no LINE id in key names
    conv = Conversation(state="report.place", slots={"categories": ["flooding"]})
    store.commit(key, conv, "E1", [{"type": "text", "text": "どこですか"}])
    raw = json.loads(any_redis.get(key) or b"{}")
    assert raw["v"] == SCHEMA_VERSION
    assert 0 < int(any_redis.ttl(key)) <= 600
    assert int(any_redis.ttl("sonae:done:E1")) > 0
    loaded = store.load(key)
    assert loaded.state == "report.place" and loaded.slots == {"categories": ["flooding"]}
    assert store.applied("E1") == [{"type": "text", "text": "どこですか"}]
    assert store.applied("E2") is None


def test_an_unknown_schema_version_starts_afresh(any_redis: redis.Redis) -> None:
    store = StateStore(any_redis)
    key = store.key("U1", "U1")
    any_redis.set(key, json.dumps({"v": 999, "state": "report.confirm"}), ex=60)
    assert store.load(key).state == "idle"


def test_forgetting_deletes_the_conversation(any_redis: redis.Redis) -> None:
    store = StateStore(any_redis)
    key = store.key("U1", "U1")
    store.commit(key, Conversation(state="report.place"), "E1", [])
    store.commit(key, None, "E2", [])
    assert any_redis.get(key) is None


def test_profiles_round_trip_with_a_long_ttl_and_no_user_id_in_keys(any_redis: redis.Redis) -> None:
    from dialogue.profile import Profile, ProfileStore

    store = ProfileStore(any_redis, ttl_s=3600)
    user = "U" + "e" * 32
    assert store.load(user) is None
    store.save(user, Profile(language="en", needs=["wheelchair"], home_municipality="藤沢市"))
    [key] = [k.decode() for k in any_redis.scan_iter("sonae:profile:*")]
    assert user not in key
    assert 0 < int(any_redis.ttl(key)) <= 3600
    loaded = store.load(user)
    assert loaded is not None and loaded.language == "en" and loaded.slow_walker
    store.forget(user)
    assert store.load(user) is None


def test_state_and_profile_are_written_in_one_transaction(any_redis: redis.Redis) -> None:
    from dialogue.profile import Profile, ProfileStore

    profiles = ProfileStore(any_redis)
    store = StateStore(any_redis)
    key = store.key("U1", "U1")
    store.commit(
        key, Conversation(state="settings.menu"), "E9", [], also=lambda pipe: profiles.save("U1", Profile(), pipe)
    )
    assert store.load(key).state == "settings.menu"
    assert profiles.load("U1") is not None


def test_consenting_residents_are_listed_by_home_municipality(any_redis: redis.Redis) -> None:
    from dialogue.profile import Profile, ProfileStore

    store = ProfileStore(any_redis)
    store.save("Ua", Profile(home_municipality_code="14205", area_messages=True))
    store.save("Ub", Profile(home_municipality_code="14205", area_messages=False))
    store.save("Uc", Profile(home_municipality_code="14100", area_messages=True))
    assert store.residents_of("14205") == ["Ua"]
    store.save("Uc", Profile(home_municipality_code="14205", area_messages=True))  # moved house
    assert store.residents_of("14205") == ["Ua", "Uc"] and store.residents_of("14100") == []
    store.forget("Ua")
    assert store.residents_of("14205") == ["Uc"]
