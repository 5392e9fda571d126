"""MentorPrep's own log on stderr: retries, rule violations, stopped loops and failures."""

from __future__ import annotations

import logging
import re


def log_to_stderr() -> None:
    """One line per event, with the time (the server log, and the evaluation runs' log)."""
    logger = logging.getLogger("assistant")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


# what users wrote stays out of the log: messages quote it, so quoted spans are dropped
_QUOTED = re.compile(
    r"“[^”]*”|‘[^’]*’|«[^»]*»|`[^`]*`|\"[^\"]*\"|(?<![\w'])'[^'\n]*'(?![\w'])", re.S
)
_PATH = re.compile(r"(?<![\w:/.~-])/(?:[^\s/'\"`]+/)+([^\s/'\"`,;:)]*)")


def redact_paths(text: str) -> str:
    """Absolute paths shortened to their last part (`/home/ann/.local/x/chroma` → `…/chroma`),
    so errors shown to users give away no server paths."""
    return _PATH.sub(lambda m: "…/" + m.group(1), text)


def redact(text: str) -> str:
    """A message fit for the log: quoted text (the user's words, a file's name) and paths
    removed, so it names the rule or problem and not what was written."""
    return redact_paths(_QUOTED.sub("“…”", text))
