"""Run files: every evaluation run written as JSON with the commit and settings it ran on, so a
figure can be traced to one run on one commit."""

from __future__ import annotations

import fcntl
import json
import subprocess
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from assistant.settings import REPO_ROOT, get_settings


def provenance() -> dict:
    """The commit (and whether the tree had uncommitted changes), model and time of a run."""

    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    settings = get_settings()
    return {
        "commit": git("rev-parse", "HEAD"),
        "uncommitted_changes": bool(git("status", "--porcelain", "--untracked-files=no")),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "backend": settings.backend,
        "model": settings.model,
        "temperature": settings.temperature,
    }


def write(path: str | Path, meta: dict, summary: dict, results: list[dict]) -> None:
    """Write the run (meta, summary, every result) at once; called after every item, so a run
    that stops keeps what it had."""
    data = {"meta": meta, "summary": summary, "results": results}
    Path(path).write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")


@contextmanager
def cpu_lock(path: str | None):
    """Hold an flock on `path` (when given) so that other heavy jobs on this machine wait:
    on two cores a model run and a test suite slow each other to a crawl."""
    if not path:
        yield
        return
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
