"""Login passwords: argon2id hashes in the auth file, checked in constant time.

An auth file has one `name:secret` per line; the secret is an argon2id hash written by
`mentorprep passwd NAME`. A plain-text secret is still accepted (so an old file keeps working)
but compared as UTF-8 bytes with `hmac.compare_digest`, and the server warns about it at start.
Passwords are NFC-normalised first, so "é" typed as one or two code points is the same password.
"""

from __future__ import annotations

import hmac
import os
import tempfile
import unicodedata
from pathlib import Path

from assistant.errors import BadInput

HASH_PREFIX = "$argon2"
MIN_LENGTH = 8


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id, RFC 9106 low-memory profile (64 MiB, t=3)


def _normal(password: str) -> str:
    return unicodedata.normalize("NFC", password)


def hash_password(password: str) -> str:
    return _hasher().hash(_normal(password))


def is_hashed(secret: str) -> bool:
    return secret.startswith(HASH_PREFIX)


_DUMMY: str | None = None


def verify(secret: str | None, password: str) -> bool:
    """Does `password` match the stored `secret` (a hash, or plain text in an old file)? An
    unknown user (`secret` None) costs the same hash check, so timing does not tell names."""
    global _DUMMY
    from argon2.exceptions import InvalidHashError, VerificationError

    password = _normal(password)
    if secret is None or is_hashed(secret):
        if secret is None:
            _DUMMY = _DUMMY or hash_password("no such user")
        try:
            return _hasher().verify(secret or _DUMMY, password) and secret is not None
        except (VerificationError, InvalidHashError):
            return False
    return hmac.compare_digest(_normal(secret).encode(), password.encode())


def parse_entries(lines: list[str]) -> dict[str, str]:
    """`name:secret` lines (blank lines and # comments skipped) as {name: secret}."""
    entries = {}
    for line in lines:
        name, sep, secret = line.strip().partition(":")
        if sep and name and secret and not name.startswith("#"):
            entries[name.strip()] = secret.strip()
    return entries


def check_name(name: str) -> str:
    name = name.strip()
    if not name or any(c in name for c in ":,#") or any(c.isspace() for c in name):
        raise BadInput(
            f"'{name}' cannot be a login name.",
            fix="use letters, digits, dots, dashes or @, with no spaces, ':', ',' or '#'",
        )
    return name


def set_password(path: Path, name: str, password: str | None) -> None:
    """Write `name`'s hashed password into the auth file (or remove `name` when `password` is
    None). The file is rewritten atomically and readable by its owner only (0600)."""
    name = check_name(name)
    if password is not None and len(password) < MIN_LENGTH:
        raise BadInput(
            f"The password is shorter than {MIN_LENGTH} characters.",
            fix="choose a longer one (any characters, any language)",
        )
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    kept = [line for line in lines if line.strip().partition(":")[0].strip() != name]
    if password is not None:
        kept.append(f"{name}:{hash_password(password)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, staging = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("".join(f"{line}\n" for line in kept))
        os.replace(staging, path)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise


class Logins:
    """The web app's login check (Gradio calls it with the name and password typed)."""

    def __init__(self, entries: dict[str, str]) -> None:
        self.entries = dict(entries)

    @property
    def plain_text_names(self) -> list[str]:
        return sorted(name for name, secret in self.entries.items() if not is_hashed(secret))

    def check(self, name: str, password: str) -> bool:
        return verify(self.entries.get(name), password)

    async def login(self, name: str, password: str) -> bool:
        """For Gradio's `auth`: a coroutine function (Gradio awaits only those; an object with
        an async `__call__` would hand it a coroutine, which is truthy: anyone could log in)."""
        import asyncio

        # a hash check takes tens of milliseconds: off the event loop, so other users go on
        return await asyncio.to_thread(self.check, name, password)
