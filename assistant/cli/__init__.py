"""The `mentorprep` command line: every capability of the app, scriptable. One module per
command group (knowledge, coaching, evaluation, admin); each registers its own sub-commands."""

from __future__ import annotations

import argparse
import os
import sys

from assistant.errors import MentorPrepError

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.cli import admin, coaching, evaluation, knowledge  # noqa: E402  (after the env)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mentorprep", description="Prepare to work with a mentor, offline."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    for group in (knowledge, evaluation, coaching, admin):
        group.add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from pydantic import ValidationError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ValidationError as exc:
        if exc.title != "Settings":  # a workflow's own output type: a bug, not a setting
            raise
        problems = "; ".join(
            f"MENTORPREP_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()
        )
        print(
            f"Error: invalid setting ({problems}).\n  To fix: correct it in the environment "
            "or .env",
            file=sys.stderr,
        )
        return 2
    except MentorPrepError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130
