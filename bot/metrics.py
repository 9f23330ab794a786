"""Prometheus metrics of the webhook, the workers and LINE delivery (per process).

The web app serves them at ``/metrics``; ``sonae worker`` serves them on
``SONAE_METRICS_PORT`` when set. Labels never carry resident data.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

__all__ = ["DELIVERIES", "EVENTS_APPLIED", "PROCESSING_SECONDS", "WEBHOOK_EVENTS", "WEBHOOK_REQUESTS"]

WEBHOOK_REQUESTS = Counter(
    "sonae_webhook_requests_total", "Webhook requests by outcome", ["outcome"]
)  # outcome: accepted, bad_signature, bad_body, too_large, unavailable
WEBHOOK_EVENTS = Counter("sonae_webhook_events_total", "Webhook events by fate", ["fate"])  # queued, duplicate, standby
EVENTS_APPLIED = Counter("sonae_events_applied_total", "Queue entries finished by workers", ["result"])
PROCESSING_SECONDS = Histogram(
    "sonae_event_processing_seconds",
    "Time to apply one event (dialogue, storage, LINE delivery)",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30),
)
DELIVERIES = Counter("sonae_line_deliveries_total", "Answers sent to LINE by way", ["way"])  # reply, push, rejected
