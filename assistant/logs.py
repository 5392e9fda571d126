"""MentorPrep's own log on stderr: retries, rule violations, stopped loops and failures."""

from __future__ import annotations

import logging


def log_to_stderr() -> None:
    """One line per event, with the time (the server log, and the evaluation runs' log)."""
    logger = logging.getLogger("assistant")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
