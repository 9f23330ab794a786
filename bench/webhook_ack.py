"""Benchmark: webhook acknowledgement under gunicorn with real Redis vs a bare Flask handler.

Run: .venv/bin/python bench/webhook_ack.py [--seconds 8] [--rate 500] [--redis redis://127.0.0.1:6379/14]

Both apps run under the same gunicorn settings in the same run; the Sonae app verifies the
signature, validates the events with line-bot-sdk, deduplicates and queues them in Redis.
Reports (1) closed-loop throughput of each and their ratio, and (2) acknowledgement latency
percentiles for Sonae at a fixed open-loop rate, measured from each request's scheduled send
time (so a stall is not hidden by the load generator waiting). Every request carries a new
webhookEventId, so nothing is dropped as a duplicate.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-channel-secret"


def body_for(i: int) -> bytes:
    event = {
        "type": "message", "mode": "active", "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": f"U{i % 997:032x}"},
        "webhookEventId": f"01BENCH{uuid.uuid4().hex[:19].upper()}",
        "deliveryContext": {"isRedelivery": False}, "replyToken": uuid.uuid4().hex,
        "message": {"type": "text", "id": str(10**17 + i), "quoteToken": "q" * 20,
                    "text": "藤沢駅の近くで冠水しています"},
    }  # fmt: skip
    return json.dumps({"destination": "U" + "0" * 32, "events": [event]}, ensure_ascii=False).encode()


def sign(body: bytes) -> str:
    return base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(app_spec: str, env: dict[str, str], workers: int, threads: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    cmd = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "gthread", "--threads", str(threads),
           "-b", f"127.0.0.1:{port}", "--log-level", "warning", app_spec]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{app_spec} did not start")


def post(conn: http.client.HTTPConnection, body: bytes) -> int:
    conn.request(
        "POST", "/callback", body=body, headers={"X-Line-Signature": sign(body), "Content-Type": "application/json"}
    )
    response = conn.getresponse()
    response.read()
    return response.status


def closed_loop(port: int, seconds: float, clients: int) -> tuple[float, int]:
    """Requests per second with ``clients`` keep-alive connections sending back to back."""
    bodies = [body_for(i) for i in range(20_000)]
    done, errors = [0] * clients, [0] * clients
    stop_at = time.monotonic() + seconds

    def run(c: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        i = c
        while time.monotonic() < stop_at:
            if post(conn, bodies[i % len(bodies)]) == 200:
                done[c] += 1
            else:
                errors[c] += 1
            i += clients

    threads = [threading.Thread(target=run, args=(c,)) for c in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.monotonic() - started), sum(errors)


def open_loop(port: int, seconds: float, rate: float, senders: int = 32) -> tuple[list[float], int]:
    """Latencies (ms, from scheduled send time) at a fixed arrival rate."""
    total = int(seconds * rate)
    bodies = [body_for(100_000 + i) for i in range(total)]
    latencies: list[list[float]] = [[] for _ in range(senders)]
    errors = [0] * senders
    t0 = time.monotonic() + 0.5

    def run(s: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for i in range(s, total, senders):
            scheduled = t0 + i / rate
            delay = scheduled - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if post(conn, bodies[i]) != 200:
                errors[s] += 1
            latencies[s].append((time.monotonic() - scheduled) * 1000)

    threads = [threading.Thread(target=run, args=(s,)) for s in range(senders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(x for part in latencies for x in part), sum(errors)


def pct(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rate", type=float, default=500.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--redis", default=os.environ.get("SONAE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"))
    args = parser.parse_args()

    data = tempfile.mkdtemp(prefix="sonae-bench-")
    database = os.environ.get("SONAE_BENCH_DATABASE_URL", f"sqlite:///{data}/bench.sqlite3")
    env = {**os.environ, "SONAE_LINE_CHANNEL_SECRET": SECRET, "SONAE_LINE_CHANNEL_ACCESS_TOKEN": "bench",
           "SONAE_PSEUDONYM_KEY": "bench", "SONAE_REDIS_URL": args.redis, "SONAE_LOG_LEVEL": "WARNING",
           "SONAE_DATABASE_URL": database}  # fmt: skip
    import redis

    client = redis.Redis.from_url(args.redis)
    client.flushdb()
    if env["SONAE_DATABASE_URL"].startswith("sqlite"):
        subprocess.run(
            [sys.executable, "-m", "bot.cli", "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True
        )

    results: dict[str, float] = {}
    for name, spec in (("bare", "bench.bare_app:create_bare_app()"), ("sonae", "bot.app:create_app()")):
        proc, port = start(spec, env, args.workers, args.threads)
        try:
            closed_loop(port, 1.0, args.clients)  # warm-up
            rps, errors = closed_loop(port, args.seconds, args.clients)
            results[name] = rps
            print(f"{name:>5}: {rps:8.0f} req/s closed loop ({args.clients} clients), {errors} errors")
            client.flushdb()  # the Redis stream only; the database is not touched by the webhook
            lat, errors = open_loop(port, args.seconds, args.rate)
            print(f"{name} at {args.rate:.0f} events/s for {args.seconds:.0f} s: p50 {pct(lat, 50):.1f} ms, "
                  f"p95 {pct(lat, 95):.1f} ms, p99 {pct(lat, 99):.1f} ms, max {max(lat):.1f} ms, "
                  f"mean {statistics.fmean(lat):.1f} ms, {errors} errors, {len(lat)} requests")  # fmt: skip
            if name == "sonae":
                queued = sum(int(client.xlen(f"sonae:events:{s}")) for s in range(8))
                print(f"sonae queued {queued} events in Redis (no worker runs in this benchmark)")
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    print(f"ratio sonae/bare throughput: {results['sonae'] / results['bare']:.2f} (target >= 0.70)")
    client.flushdb()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
