"""A local stand-in for the LINE platform: the Messaging API and the webhook sender.

``LineStandin`` answers the real line-bot-sdk over HTTP and records what the bot sent;
``WebhookDriver`` builds, signs and posts webhook events to the bot, with reply tokens
issued by the stand-in; ``LineUser`` wraps both as one person chatting. Used by the
tests, the embedded default and ``sonae chat``.
"""

from bot.standin.driver import DEFAULT_DESTINATION, WebhookDriver
from bot.standin.server import LineStandin
from bot.standin.state import RecordedCall
from bot.standin.user import LineUser

__all__ = ["DEFAULT_DESTINATION", "LineStandin", "LineUser", "RecordedCall", "WebhookDriver"]
