"""Limits that hold: one long job per user at a time, and failed logins per address."""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from assistant.errors import MentorPrepError

T = TypeVar("T")


class Busy(MentorPrepError):
    """The user (or the server) already has as much work as it takes."""


class UserJobs:
    """At most one long job (a model answer, a draft, an upload…) per user at a time."""

    def __init__(self) -> None:
        self._running: set[str] = set()
        self._freed = threading.Condition()

    @contextmanager
    def slot(self, user_id: str, wait: float = 0.0) -> Iterator[None]:
        """The user's slot; when it is taken, wait up to `wait` seconds for it, then refuse."""
        with self._freed:
            if not self._freed.wait_for(lambda: user_id not in self._running, timeout=wait):
                raise Busy(
                    "You already have a request running.",
                    fix="wait for it to finish (or press Stop), then try again",
                )
            self._running.add(user_id)
        try:
            yield
        finally:
            with self._freed:
                self._running.discard(user_id)
                self._freed.notify_all()

    def run(self, user_id: str, steps: Iterator[T], wait: float = 0.0) -> Iterator[T]:
        """Run a streaming handler as the user's one job; the slot is freed when it ends, fails
        or is stopped (a stopped generator is closed, which runs the `finally`)."""
        with self.slot(user_id, wait):
            yield from steps

    def running(self, user_id: str) -> bool:
        with self._freed:
            return user_id in self._running


class LoginLimiter:
    """Failed logins per address: after `max_failures` within `window` seconds, the address waits
    until the oldest of them is `window` seconds old. A successful login clears its record."""

    def __init__(
        self, max_failures: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_failures, self.window, self.clock = max_failures, window, clock
        self._failures: defaultdict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, address: str) -> deque[float]:
        failures, cutoff = self._failures[address], self.clock() - self.window
        while failures and failures[0] <= cutoff:
            failures.popleft()
        if not failures:
            del self._failures[address]  # forgotten addresses take no memory
            return deque()
        return failures

    def wait_seconds(self, address: str) -> float:
        """0 when `address` may try to log in; else how long it must wait."""
        with self._lock:
            failures = self._recent(address)
            if len(failures) < self.max_failures:
                return 0.0
            return max(failures[-self.max_failures] + self.window - self.clock(), 0.001)

    def failed(self, address: str) -> None:
        with self._lock:
            self._recent(address)
            self._failures[address].append(self.clock())

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._failures.pop(address, None)

    def message(self, wait: float) -> str:
        minutes = max(math.ceil(wait / 60), 1)
        return (
            f"Too many failed logins from your address ({self.max_failures} within "
            f"{self.window / 60:.0f} minutes). Try again in {minutes} minute"
            f"{'s' if minutes > 1 else ''}."
        )
