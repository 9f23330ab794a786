"""The composition root: builds every client and component once, from settings.

A configured service that cannot be reached is an error here, at start-up; the
in-process twins are used only when nothing is configured (the embedded default).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import fakeredis
import redis
from sqlalchemy.engine import Engine

from bot.outbound import LineSender
from bot.processor import Processor
from bot.queue import EventQueue
from bot.wiring import PhotoKeeper, ReportSaver, SafetyRecorder, ShelterFinder, Understander, locator
from bot.worker import Worker
from config import ConfigError, Settings
from dialogue import DialogueEngine, Services, StateStore
from dialogue.profile import ProfileStore
from dialogue.prompts import check_prompts
from evacuation.live import LiveShelters
from nlp import Gazetteer, load_pipeline
from reports_api import ReportStore, check_connection, make_engine, upgrade
from reports_api.delivery import start_outbox_scheduler
from reports_api.photos import PhotoStore
from reports_api.safety import SafetyAnswerStore

__all__ = ["Runtime", "ServiceUnavailable", "build_runtime", "connect_database", "connect_redis"]

log = logging.getLogger(__name__)


class ServiceUnavailable(ConfigError):
    """A configured service (Redis, the database) cannot be reached or is not ready."""


def connect_redis(settings: Settings) -> redis.Redis:
    if settings.embedded:
        # One in-process twin per runtime: the embedded default is one process with one runtime,
        # and separate runtimes (tests, scenarios) never see each other's queue or state.
        return fakeredis.FakeRedis(server=fakeredis.FakeServer())
    assert settings.redis_url is not None
    client = redis.Redis.from_url(
        settings.redis_url, socket_timeout=5, socket_connect_timeout=5, health_check_interval=30
    )
    try:
        client.ping()
    except redis.RedisError as exc:
        where = urlsplit(settings.redis_url).hostname or settings.redis_url.split("://")[0]
        raise ServiceUnavailable(f"SONAE_REDIS_URL: cannot reach Redis at {where}: {exc}") from None
    return client


def connect_database(settings: Settings, migrate: bool | None = None) -> Engine:
    """Connect and, on the embedded default (or when asked), bring the schema to head."""
    engine = make_engine(settings.database_url)
    try:
        check_connection(engine)
    except Exception as exc:
        raise ServiceUnavailable(f"SONAE_DATABASE_URL: {exc}") from None
    if migrate if migrate is not None else settings.embedded:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        upgrade(engine)
    return engine


@cache
def shared_nlp() -> tuple[Any, Gazetteer]:
    """The GiNZA pipeline and gazetteer, loaded once per process."""
    return load_pipeline(), Gazetteer.load_default()


@cache
def _pipeline_lock() -> threading.Lock:
    """One lock for the one shared pipeline: its tokenizer must not run in two threads at once."""
    return threading.Lock()


@dataclass
class Runtime:
    settings: Settings
    redis: redis.Redis
    engine: Engine
    queue: EventQueue
    wake: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)
    #: Time as the dialogue and the processor see it (scenarios advance a fake clock).
    clock: Callable[[], float] = time.time
    _processor: Processor | None = None
    _scheduler: Any = None

    def processor(self) -> Processor:
        """Built on first use: web-only processes never load the language model."""
        if self._processor is None:
            s = self.settings
            pipeline, gazetteer = shared_nlp()
            nlp_lock = _pipeline_lock()
            sender = LineSender(s.line_api_base, s.line_data_api_base, s.line_channel_access_token, s.line_timeout_s)
            services = Services(
                understand=Understander(pipeline, gazetteer, nlp_lock),
                save_report=ReportSaver(ReportStore(self.engine), s.pseudonym_key, "drill" if s.drill_mode else "line"),
                find_shelters=ShelterFinder(LiveShelters(self.engine), gazetteer),
                locate=locator(gazetteer),
                record_safety=SafetyRecorder(SafetyAnswerStore(self.engine), s.pseudonym_key),
                store_photo=PhotoKeeper(PhotoStore(self.engine), sender.content),
            )
            self._processor = Processor(
                DialogueEngine(services, s.prompts_dir),
                StateStore(self.redis, idle_ttl_s=s.dialogue_idle_timeout_s, clock=self.clock),
                ProfileStore(self.redis),
                sender,
                reply_token_max_age_s=s.reply_token_max_age_s,
                loading_after_s=s.loading_after_s,
                clock=self.clock,
            )
        return self._processor

    def new_worker(self, name: str | None = None) -> Worker:
        return Worker(self.queue, self.processor(), name=name)

    def start_workers(self, count: int = 1) -> None:
        """Event workers on threads, plus the delivery of the outbox to subscribed systems."""
        if self._scheduler is None:
            self._scheduler = start_outbox_scheduler(self.engine, interval_s=self.settings.outbox_interval_s)
        for i in range(count):
            worker = self.new_worker()
            thread = threading.Thread(
                target=worker.run, args=(self.stop, self.wake), name=f"sonae-worker-{i}", daemon=True
            )
            thread.start()
            self.threads.append(thread)

    def close(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=True)
            self._scheduler = None
        self.stop.set()
        self.wake.set()
        for thread in self.threads:
            thread.join(timeout=10)
        self.engine.dispose()


def build_runtime(settings: Settings, migrate: bool | None = None, clock: Callable[[], float] = time.time) -> Runtime:
    if settings.prompts_dir and (problems := check_prompts(settings.prompts_dir)):
        raise ConfigError("SONAE_PROMPTS_DIR: " + "; ".join(problems[:5]))
    client = connect_redis(settings)
    engine = connect_database(settings, migrate)
    queue = EventQueue(client, shards=settings.stream_shards, dedup_ttl_s=settings.dedup_ttl_s)
    queue.ensure_groups()
    return Runtime(settings, client, engine, queue, clock=clock)
