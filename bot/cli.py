"""The ``sonae`` command: serve, worker, chat, token, db, shelters."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence

from config import ConfigError, Settings, load_settings

__all__ = ["main"]

log = logging.getLogger("sonae")


def _settings() -> Settings:
    return load_settings(os.environ)


def cmd_serve(args: argparse.Namespace) -> int:
    settings = _settings()
    if not settings.embedded:
        from bot.app import create_app
        from bot.runtime import build_runtime
        from bot.serving import run_gunicorn

        checked = build_runtime(settings)  # fail loudly here, before forking, if misconfigured
        checked.close()  # no connection may be inherited by the forked web processes
        checked.redis.close()
        run_gunicorn(lambda: create_app(settings, start_worker=False), f"{args.host}:{args.port}", args.workers)
        return 0
    from bot.embedded import EmbeddedStack

    with EmbeddedStack(settings, host=args.host, port=args.port) as stack:
        print(f"Sonae (embedded default) listening on {stack.url}")
        print(f"  LINE webhook:   POST {stack.url}/callback")
        print(f"  Officers' API:  GET  {stack.url}/api/v1/reports  (token: sonae token create --role viewer)")
        if stack.standin is not None:
            print(f"  LINE stand-in:  {stack.standin.base_url}  (replies are recorded there)")
        print("Press Ctrl+C to stop.")
        _wait_for_signal()
    return 0


def _wait_for_signal() -> None:
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()


def cmd_worker(args: argparse.Namespace) -> int:
    settings = _settings()
    if settings.embedded:
        print("sonae worker needs SONAE_REDIS_URL and SONAE_DATABASE_URL; "
              "the embedded default runs its worker inside `sonae serve`.", file=sys.stderr)  # fmt: skip
        return 2
    from bot.runtime import build_runtime

    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    runtime = build_runtime(settings)
    runtime.processor()  # load the language model before taking any work
    if port := os.environ.get("SONAE_METRICS_PORT"):
        from prometheus_client import start_http_server

        start_http_server(int(port), addr=os.environ.get("SONAE_METRICS_HOST", "127.0.0.1"))
    signal.signal(signal.SIGTERM, lambda *_: runtime.stop.set())
    runtime.start_workers(args.threads)
    try:
        while not runtime.stop.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    runtime.close()
    return 0


def cmd_chat(_args: argparse.Namespace) -> int:
    from bot.chat import run_chat

    return run_chat(_settings())


def cmd_token_create(args: argparse.Namespace) -> int:
    from bot.runtime import connect_database
    from reports_api import create_token

    settings = _settings()
    engine = connect_database(settings)
    try:
        token = create_token(engine, args.role, tuple(args.municipality or ()), label=args.label or "")
    finally:
        engine.dispose()
    print(token)
    scope = ", ".join(args.municipality) if args.municipality else "all municipalities"
    print(f"# role {args.role}, scope {scope}. Shown once: store it safely.", file=sys.stderr)
    return 0


def cmd_campaign_safety(args: argparse.Namespace) -> int:
    from bot.campaigns import send_safety_check
    from bot.runtime import build_runtime
    from dialogue.profile import ProfileStore

    settings = _settings()
    if settings.embedded:
        print("sonae campaign needs SONAE_REDIS_URL: the embedded default keeps residents in one process",
              file=sys.stderr)  # fmt: skip
        return 2
    runtime = build_runtime(settings)
    try:
        profiles = ProfileStore(runtime.redis)
        residents = sorted({u for code in args.municipality for u in profiles.residents_of(code)})
        campaign_id = args.id or f"safety-{int(time.time())}"
        result = send_safety_check(runtime, residents, campaign_id, args.title)
    finally:
        runtime.close()
        runtime.redis.close()
    summary = {"campaign": campaign_id, "asked": result.asked, "already_asked": result.already_asked}
    print(json.dumps(summary | {"failed": result.failed}, ensure_ascii=False))
    return 0 if result.failed == 0 else 1


def cmd_campaign_results(args: argparse.Namespace) -> int:
    from bot.runtime import connect_database
    from reports_api.safety import SafetyAnswerStore

    engine = connect_database(_settings())
    try:
        counts = SafetyAnswerStore(engine).counts(args.id)
    finally:
        engine.dispose()
    print(json.dumps({"campaign": args.id, "answers": counts}, ensure_ascii=False))
    return 0


def cmd_db_upgrade(_args: argparse.Namespace) -> int:
    from bot.runtime import connect_database

    connect_database(_settings(), migrate=True).dispose()
    print("database schema is up to date")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sonae", description="Sonae (備え): disaster-response chatbot for LINE")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the web app (embedded default: also the worker and LINE stand-in)")
    serve.add_argument("--host", default=os.environ.get("SONAE_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("SONAE_PORT", "8080")))
    serve.add_argument("--workers", type=int, default=2, help="gunicorn processes (real services only)")
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser("worker", help="process queued LINE events (real services only)")
    worker.add_argument("--threads", type=int, default=1)
    worker.set_defaults(func=cmd_worker)

    chat = sub.add_parser("chat", help="talk to the bot from the terminal through the signed-webhook path")
    chat.set_defaults(func=cmd_chat)

    token = sub.add_parser("token", help="officers' API tokens").add_subparsers(dest="token_command", required=True)
    create = token.add_parser("create", help="create a bearer token (printed once)")
    create.add_argument("--role", choices=("viewer", "moderator", "admin"), required=True)
    create.add_argument("--municipality", action="append", metavar="CODE", help="JIS code; repeat; omit for all")
    create.add_argument("--label", help="who holds it, e.g. 'Fujisawa duty officer'")
    create.set_defaults(func=cmd_token_create)

    campaign = sub.add_parser("campaign", help="safety checks (安否確認)").add_subparsers(
        dest="campaign_command", required=True
    )
    safety = campaign.add_parser("safety", help="ask consenting residents of municipalities 「ご無事ですか？」")
    safety.add_argument("--title", required=True, help="shown in the question, e.g. '藤沢市 大雨'")
    safety.add_argument("--municipality", action="append", required=True, metavar="CODE", help="JIS code; repeat")
    safety.add_argument("--id", help="campaign id (default: safety-<unix time>); re-running with it asks no one twice")
    safety.set_defaults(func=cmd_campaign_safety)
    results = campaign.add_parser("results", help="latest answer per resident, counted")
    results.add_argument("--id", required=True)
    results.set_defaults(func=cmd_campaign_results)

    db = sub.add_parser("db", help="database schema").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="apply Alembic migrations").set_defaults(func=cmd_db_upgrade)

    from bot.evaluation.cli import register as register_eval
    from evacuation.cli import register as register_shelters
    from nlp.cli import register as register_nlu

    register_shelters(sub)
    register_nlu(sub)
    register_eval(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"sonae: configuration error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
