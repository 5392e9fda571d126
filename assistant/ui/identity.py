"""Who is asking: identities the server issues, and the sessions and events each one owns.

An anonymous visitor gets a random token (`secrets.token_urlsafe(32)`) with an HMAC tag under a
key that never leaves the server (`identity_key` in the data home, 0600), in an HttpOnly,
SameSite=Lax cookie. A page script cannot read it, another site's form cannot send it, and a
value the server did not issue fails its tag. The store never holds the token itself: the user id
is a digest of it, so a copy of the database hands out no sessions.

Gradio knows a visitor's page by its session hash and a job by its event id, both sent in URLs,
so both are bound to the identity that first used them (`Owners`): another identity presenting
them is refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

COOKIE = "mentorprep_id"
KEY_FILE = "identity_key"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Identities:
    """Issue and check identity cookies under one server key."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 32:
            raise ValueError("the identity key must have at least 32 bytes")
        self._key = key

    @classmethod
    def from_home(cls, home: Path) -> Identities:
        """The key kept in the data home (made on first use), so that browsers are recognised
        again after a restart."""
        path = home / KEY_FILE
        if not path.is_file():
            home.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
        return cls(bytes.fromhex(path.read_text().strip()))

    def _tag(self, token: str) -> str:
        return _b64(hmac.new(self._key, token.encode(), hashlib.sha256).digest())

    def issue(self) -> str:
        """A new cookie value: `token.tag`."""
        token = secrets.token_urlsafe(32)
        return f"{token}.{self._tag(token)}"

    def user_id(self, cookie: str | None) -> str | None:
        """The user id a cookie value stands for, or None when the server did not issue it."""
        token, _, tag = (cookie or "").partition(".")
        if not token or not tag or not hmac.compare_digest(tag.encode(), self._tag(token).encode()):
            return None
        return "browser:" + hashlib.sha256(token.encode()).hexdigest()[:32]


@lru_cache(maxsize=8)
def identities_for(home: Path) -> Identities:
    """One `Identities` per data home in this process (the app and its server share it)."""
    return Identities.from_home(home)


class Owners:
    """Which user first used a session hash or an event id (the most recent `capacity` kept)."""

    def __init__(self, capacity: int = 100_000) -> None:
        self.capacity = capacity
        self._owners: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def claim(self, key: str, user: str) -> bool:
        """True when `key` is `user`'s (now or from before); False when another user has it."""
        with self._lock:
            owner = self._owners.setdefault(key, user)
            self._owners.move_to_end(key)
            while len(self._owners) > self.capacity:
                self._owners.popitem(last=False)
            return owner == user

    def allowed(self, key: str, user: str) -> bool:
        """True unless `key` belongs to another user (an unknown key is left to Gradio)."""
        with self._lock:
            return self._owners.get(key, user) == user
