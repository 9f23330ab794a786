"""Typed settings read from ``SONAE_*`` variables and validated when the app is built.

Two deployments share this code. With neither ``SONAE_REDIS_URL`` nor
``SONAE_DATABASE_URL`` set, Sonae runs on the *embedded default* (SQLite file,
in-process Redis twin, in-process worker, local LINE stand-in). With both set it
runs on real services; a half-configured deployment is an error, never a silent
fallback to the twins.
"""

from __future__ import annotations

import dataclasses
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["ConfigError", "Settings", "load_settings"]

LINE_API_DEFAULT = "https://api.line.me"
LINE_DATA_API_DEFAULT = "https://api-data.line.me"


class ConfigError(RuntimeError):
    """A setting is missing or invalid; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """Everything Sonae reads from its environment, already validated."""

    line_channel_secret: str
    line_channel_access_token: str
    line_api_base: str = LINE_API_DEFAULT
    line_data_api_base: str = LINE_DATA_API_DEFAULT
    redis_url: str | None = None
    database_url: str = ""
    data_dir: Path = Path("var")
    pseudonym_key: str = ""
    #: True when no service is configured: SQLite + Redis twin + in-process worker.
    embedded: bool = True
    #: True when the embedded default must also start the local LINE stand-in.
    use_standin: bool = False
    log_level: str = "INFO"
    line_timeout_s: float = 5.0
    #: A reply token is used only while younger than this; else the answer is pushed.
    reply_token_max_age_s: float = 50.0
    #: The loading animation is shown when an answer takes longer than this.
    loading_after_s: float = 1.0
    dialogue_idle_timeout_s: int = 1800
    stream_shards: int = 8
    max_body_bytes: int = 1_000_000
    dedup_ttl_s: int = 7 * 24 * 3600
    drill_mode: bool = False
    #: A folder with edited copies of dialogue/prompts/{ja,easy_ja,en}.yaml (officers' wording).
    prompts_dir: str | None = None
    #: CAP 1.2 <sender> of exported advisories (e.g. bousai@pref.kanagawa.lg.jp).
    cap_sender: str = "sonae@localhost"
    #: Officers' API rate limit per token, flask-limiter syntax.
    api_rate_limit: str = "600 per minute"
    #: How often workers send due deliveries to subscribed systems.
    outbox_interval_s: float = 15.0
    extra: Mapping[str, str] = field(default_factory=dict)

    def replace(self, **changes: object) -> Settings:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


def _get(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def _number(env: Mapping[str, str], name: str, default: float, cast: type) -> float:
    raw = _get(env, name)
    if raw is None:
        return default
    try:
        value = cast(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from exc
    if value <= 0:
        raise ConfigError(f"{name} must be positive, got {raw!r}")
    return float(value)


def _check_http_url(name: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{name} must be an http(s) URL, got {value!r}")
    return value.rstrip("/")


def normalise_database_url(url: str, name: str = "SONAE_DATABASE_URL") -> str:
    """Accept ``postgresql://`` and ``sqlite:///`` URLs; use the psycopg 3 driver."""
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme in ("postgres", "postgresql"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if scheme in ("postgresql+psycopg", "sqlite", "sqlite+pysqlite"):
        return url
    raise ConfigError(f"{name} must be a postgresql:// or sqlite:/// URL, got scheme {scheme or '(none)'!r}")


def _check_redis_url(value: str) -> str:
    if urlsplit(value).scheme not in ("redis", "rediss", "unix"):
        raise ConfigError(f"SONAE_REDIS_URL must be a redis://, rediss:// or unix:// URL, got {value!r}")
    return value


def _embedded_secrets(data_dir: Path) -> dict[str, str]:
    """Secrets for the embedded default, created once and kept in the data folder."""
    path = data_dir / "embedded-secrets.json"
    if path.exists():
        loaded: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        return loaded
    data_dir.mkdir(parents=True, exist_ok=True)
    made = {
        "line_channel_secret": secrets.token_hex(16),
        "line_channel_access_token": "embedded-" + secrets.token_urlsafe(24),
        "pseudonym_key": secrets.token_urlsafe(32),
    }
    path.write_text(json.dumps(made), encoding="utf-8")
    path.chmod(0o600)
    return made


def load_settings(env: Mapping[str, str]) -> Settings:
    """Build validated settings from an environment mapping (``os.environ`` in production)."""
    redis_url = _get(env, "SONAE_REDIS_URL")
    database_url = _get(env, "SONAE_DATABASE_URL")
    if (redis_url is None) != (database_url is None):
        missing = "SONAE_REDIS_URL" if redis_url is None else "SONAE_DATABASE_URL"
        present = "SONAE_DATABASE_URL" if redis_url is None else "SONAE_REDIS_URL"
        raise ConfigError(
            f"{present} is set but {missing} is not: set both to run on real services, "
            "or neither for the embedded default"
        )
    embedded = redis_url is None
    data_dir = Path(_get(env, "SONAE_DATA_DIR") or "var")

    secret = _get(env, "SONAE_LINE_CHANNEL_SECRET")
    token = _get(env, "SONAE_LINE_CHANNEL_ACCESS_TOKEN")
    api_base_raw = _get(env, "SONAE_LINE_API_BASE")
    pseudonym_key = _get(env, "SONAE_PSEUDONYM_KEY")

    if embedded:
        made = _embedded_secrets(data_dir)
        use_standin = api_base_raw is None and secret is None
        secret = secret or made["line_channel_secret"]
        token = token or made["line_channel_access_token"]
        pseudonym_key = pseudonym_key or made["pseudonym_key"]
        database_url = f"sqlite:///{(data_dir / 'sonae.sqlite3').as_posix()}"
    else:
        use_standin = False
        for name, value in (
            ("SONAE_LINE_CHANNEL_SECRET", secret),
            ("SONAE_LINE_CHANNEL_ACCESS_TOKEN", token),
            ("SONAE_PSEUDONYM_KEY", pseudonym_key),
        ):
            if value is None:
                raise ConfigError(f"{name} is required when SONAE_REDIS_URL and SONAE_DATABASE_URL are set")
        assert redis_url is not None and database_url is not None
        redis_url = _check_redis_url(redis_url)
        database_url = normalise_database_url(database_url)
    assert secret is not None and token is not None and pseudonym_key is not None

    if api_base_raw is not None:
        api_base = _check_http_url("SONAE_LINE_API_BASE", api_base_raw)
        data_api_base = api_base  # every LINE call, content downloads included, goes there
    else:
        api_base, data_api_base = LINE_API_DEFAULT, LINE_DATA_API_DEFAULT

    log_level = (_get(env, "SONAE_LOG_LEVEL") or "INFO").upper()
    if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError(f"SONAE_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {log_level!r}")

    return Settings(
        line_channel_secret=secret,
        line_channel_access_token=token,
        line_api_base=api_base,
        line_data_api_base=data_api_base,
        redis_url=redis_url,
        database_url=database_url,
        data_dir=data_dir,
        pseudonym_key=pseudonym_key,
        embedded=embedded,
        use_standin=use_standin,
        log_level=log_level,
        line_timeout_s=_number(env, "SONAE_LINE_TIMEOUT_S", 5.0, float),
        dialogue_idle_timeout_s=int(_number(env, "SONAE_DIALOGUE_IDLE_TIMEOUT_S", 1800, int)),
        stream_shards=int(_number(env, "SONAE_STREAM_SHARDS", 8, int)),
        drill_mode=(_get(env, "SONAE_DRILL_MODE") or "0").lower() in ("1", "true", "yes"),
        prompts_dir=_prompts_dir(env),
        cap_sender=_get(env, "SONAE_CAP_SENDER") or "sonae@localhost",
        api_rate_limit=_get(env, "SONAE_API_RATE_LIMIT") or "600 per minute",
        outbox_interval_s=_number(env, "SONAE_OUTBOX_INTERVAL_S", 15.0, float),
    )


def _prompts_dir(env: Mapping[str, str]) -> str | None:
    raw = _get(env, "SONAE_PROMPTS_DIR")
    if raw is None:
        return None
    folder = Path(raw)
    missing = [f"{lang}.yaml" for lang in ("ja", "easy_ja", "en") if not (folder / f"{lang}.yaml").is_file()]
    if missing:
        raise ConfigError(f"SONAE_PROMPTS_DIR {raw!r} lacks {', '.join(missing)}")
    return str(folder)
