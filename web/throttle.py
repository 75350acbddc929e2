"""Abuse limits, counted in one store every worker shares (the database, or Redis when
``COACH_REDIS_URL`` is set), with the ``limits`` library's fixed windows:

- sign-in, per account: 5 failures a minute, then a wait until the minute ends (backoff); 10 in
  15 minutes or 20 in a day lock the account until that window ends. Per network address: 20
  failures in 10 minutes, 100 a day. A success clears the account's failures.
- chat: at most ``COACH_CHAT_CONCURRENT`` answers (2) being written for one person at once, and
  ``COACH_MODEL_PER_MINUTE`` (10) answers or drafts per person per minute.

Over a limit, :class:`Limited` carries a plain message and the seconds to wait; the API answers
429 with ``Retry-After``, pages show the message.
"""
from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerDay, RateLimitItemPerMinute
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import Engine

from tools.store.throttle import SqlStorage

ACCOUNT_BACKOFF = RateLimitItemPerMinute(5)
ACCOUNT_LOCKS = (RateLimitItemPerMinute(10, 15), RateLimitItemPerDay(20))
ADDRESS_LIMITS = (RateLimitItemPerMinute(20, 10), RateLimitItemPerDay(100))
CHAT_SLOT_SECONDS = 600  # a slot held longer (a worker that died mid-answer) frees itself


class Limited(Exception):
    def __init__(self, message: str, retry_after: float):
        super().__init__(message)
        self.message, self.retry_after = message, max(1, math.ceil(retry_after))

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


def wait_text(seconds: float) -> str:
    seconds = max(1, math.ceil(seconds))
    if seconds < 90:
        return f"{seconds} seconds"
    if seconds < 5400:
        return f"{math.ceil(seconds / 60)} minutes"
    return f"{math.ceil(seconds / 3600)} hours"


@dataclass
class Throttle:
    storage: Storage
    chat_concurrent: int = 2
    model_per_minute: int = 10

    @classmethod
    def build(cls, engine: Engine, redis_url: str | None, chat_concurrent: int, model_per_minute: int) -> Throttle:
        storage = storage_from_string(redis_url) if redis_url else SqlStorage(engine)
        return cls(storage, chat_concurrent, model_per_minute)

    @property
    def limiter(self) -> FixedWindowRateLimiter:
        return FixedWindowRateLimiter(self.storage)

    def _wait(self, item: RateLimitItem, *key: str) -> float:
        return self.limiter.get_window_stats(item, *key).reset_time - time.time()

    # -- sign-in ---------------------------------------------------------------------------

    def check_signin(self, email: str, address: str) -> None:
        """:class:`Limited` if this account or address may not try a password now."""
        account = email.strip().casefold()
        for item in ACCOUNT_LOCKS:
            if not self.limiter.test(item, "signin-account", account):
                wait = self._wait(item, "signin-account", account)
                raise Limited(f"Too many failed sign-ins for this account: it is locked for {wait_text(wait)}. "
                              "Try again then, or ask an administrator to set a new password.", wait)
        if not self.limiter.test(ACCOUNT_BACKOFF, "signin-account", account):
            wait = self._wait(ACCOUNT_BACKOFF, "signin-account", account)
            raise Limited(f"Too many failed sign-ins for this account: wait {wait_text(wait)} before trying again.",
                          wait)
        for item in ADDRESS_LIMITS:
            if not self.limiter.test(item, "signin-address", address):
                wait = self._wait(item, "signin-address", address)
                raise Limited(f"Too many failed sign-ins from your network: try again in {wait_text(wait)}.", wait)

    def signin_failed(self, email: str, address: str) -> None:
        account = email.strip().casefold()
        for item in (ACCOUNT_BACKOFF, *ACCOUNT_LOCKS):
            self.limiter.hit(item, "signin-account", account)
        for item in ADDRESS_LIMITS:
            self.limiter.hit(item, "signin-address", address)

    def signin_succeeded(self, email: str) -> None:
        account = email.strip().casefold()
        for item in (ACCOUNT_BACKOFF, *ACCOUNT_LOCKS):
            self.limiter.clear(item, "signin-account", account)

    # -- model work ------------------------------------------------------------------------

    def model_work(self, person_id: str) -> None:
        """Count one answer or draft for ``person_id``; :class:`Limited` past the per-minute limit."""
        item = RateLimitItemPerMinute(self.model_per_minute)
        if not self.limiter.hit(item, "model", person_id):
            wait = self._wait(item, "model", person_id)
            raise Limited(f"You have asked Coach for {self.model_per_minute} answers in the last minute: "
                          f"wait {wait_text(wait)}, then ask again.", wait)

    @contextmanager
    def chat_slot(self, person_id: str) -> Iterator[None]:
        """Hold one of ``person_id``'s concurrent chat slots; :class:`Limited` when all are taken."""
        key = f"chat-slots/{person_id}"
        if self.storage.incr(key, CHAT_SLOT_SECONDS, 1) > self.chat_concurrent:
            self.storage.incr(key, CHAT_SLOT_SECONDS, -1)
            raise Limited(f"Coach is already writing {self.chat_concurrent} answers for you: wait for one to "
                          "finish, or stop it, then ask again.", 5)
        try:
            yield
        finally:
            self.storage.incr(key, CHAT_SLOT_SECONDS, -1)
