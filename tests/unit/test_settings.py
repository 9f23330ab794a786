from __future__ import annotations

from pathlib import Path

import pytest

from config import ConfigError, load_settings


def test_nothing_configured_is_the_embedded_default(tmp_path: Path) -> None:
    settings = load_settings({"SONAE_DATA_DIR": str(tmp_path)})
    assert settings.embedded and settings.use_standin
    assert settings.database_url.startswith("sqlite:///")
    assert settings.redis_url is None
    again = load_settings({"SONAE_DATA_DIR": str(tmp_path)})
    assert again.line_channel_secret == settings.line_channel_secret  # kept in the data folder


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SONAE_REDIS_URL": "redis://127.0.0.1:6379/0"}, "SONAE_DATABASE_URL"),
        ({"SONAE_DATABASE_URL": "postgresql://x@127.0.0.1/db"}, "SONAE_REDIS_URL"),
        ({"SONAE_REDIS_URL": "redis://h", "SONAE_DATABASE_URL": "postgresql://h/db"}, "SONAE_LINE_CHANNEL_SECRET"),
        ({"SONAE_REDIS_URL": "http://h", "SONAE_DATABASE_URL": "postgresql://h/db",
          "SONAE_LINE_CHANNEL_SECRET": "s", "SONAE_LINE_CHANNEL_ACCESS_TOKEN": "t", "SONAE_PSEUDONYM_KEY": "k"},
         "SONAE_REDIS_URL"),
        ({"SONAE_REDIS_URL": "redis://h", "SONAE_DATABASE_URL": "mysql://h/db",
          "SONAE_LINE_CHANNEL_SECRET": "s", "SONAE_LINE_CHANNEL_ACCESS_TOKEN": "t", "SONAE_PSEUDONYM_KEY": "k"},
         "SONAE_DATABASE_URL"),
        ({"SONAE_LINE_API_BASE": "ftp://x"}, "SONAE_LINE_API_BASE"),
        ({"SONAE_LINE_TIMEOUT_S": "soon"}, "SONAE_LINE_TIMEOUT_S"),
    ],
)  # fmt: skip
def test_misconfiguration_fails_loudly_naming_the_variable(env: dict[str, str], named: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=named):
        load_settings({"SONAE_DATA_DIR": str(tmp_path), **env})


def test_configured_services_never_fall_back_to_twins(tmp_path: Path) -> None:
    settings = load_settings({
        "SONAE_REDIS_URL": "redis://127.0.0.1:6379/3", "SONAE_DATABASE_URL": "postgresql://u@127.0.0.1/sonae",
        "SONAE_LINE_CHANNEL_SECRET": "s", "SONAE_LINE_CHANNEL_ACCESS_TOKEN": "t", "SONAE_PSEUDONYM_KEY": "k",
    })  # fmt: skip
    assert not settings.embedded and not settings.use_standin
    assert settings.database_url == "postgresql+psycopg://u@127.0.0.1/sonae"
    assert settings.line_api_base == "https://api.line.me"
    assert settings.line_data_api_base == "https://api-data.line.me"


def test_api_base_carries_every_line_call(tmp_path: Path) -> None:
    settings = load_settings({"SONAE_DATA_DIR": str(tmp_path), "SONAE_LINE_API_BASE": "http://127.0.0.1:9/"})
    assert settings.line_api_base == settings.line_data_api_base == "http://127.0.0.1:9"
    assert not settings.use_standin


def test_unreachable_redis_is_an_error_at_start_up(tmp_path: Path) -> None:
    from bot.runtime import ServiceUnavailable, connect_redis

    settings = load_settings({
        "SONAE_REDIS_URL": "redis://127.0.0.1:1/0", "SONAE_DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
        "SONAE_LINE_CHANNEL_SECRET": "s", "SONAE_LINE_CHANNEL_ACCESS_TOKEN": "t", "SONAE_PSEUDONYM_KEY": "k",
    })  # fmt: skip
    with pytest.raises(ServiceUnavailable, match="SONAE_REDIS_URL"):
        connect_redis(settings)


def test_unreachable_database_is_an_error_at_start_up(tmp_path: Path) -> None:
    from bot.runtime import ServiceUnavailable, connect_database

    settings = load_settings({
        "SONAE_REDIS_URL": "redis://127.0.0.1:6379/0", "SONAE_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
        "SONAE_LINE_CHANNEL_SECRET": "s", "SONAE_LINE_CHANNEL_ACCESS_TOKEN": "t", "SONAE_PSEUDONYM_KEY": "k",
    })  # fmt: skip
    with pytest.raises(ServiceUnavailable, match="SONAE_DATABASE_URL"):
        connect_database(settings)


def test_an_edited_prompts_folder_is_checked_at_start_up(tmp_path: Path) -> None:
    import shutil
    from importlib import resources

    from bot.runtime import build_runtime

    edited = tmp_path / "prompts"
    with resources.as_file(resources.files("dialogue") / "prompts") as packaged:
        shutil.copytree(packaged, edited)
    ja = edited / "ja.yaml"
    ja.write_text(
        ja.read_text(encoding="utf-8").replace("受付番号は {number} です", "受付番号は {numbr} です"), "utf-8"
    )
    settings = load_settings({"SONAE_DATA_DIR": str(tmp_path / "var"), "SONAE_PROMPTS_DIR": str(edited)})
    with pytest.raises(ConfigError, match="saved must use the placeholders"):
        build_runtime(settings)
    with pytest.raises(ConfigError, match=r"lacks en\.yaml"):
        (edited / "en.yaml").unlink()
        load_settings({"SONAE_DATA_DIR": str(tmp_path / "var"), "SONAE_PROMPTS_DIR": str(edited)})
