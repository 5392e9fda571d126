"""Admin commands: doctor, the database, the web server and its logins."""

from __future__ import annotations

import argparse
import sys


def cmd_doctor(args: argparse.Namespace) -> int:
    from assistant.services.doctor import run_checks

    failed = 0
    for check in run_checks():
        mark = "ok  " if check.ok else "FAIL"
        print(f"[{mark}] {check.name}: {check.detail}")
        if not check.ok:
            failed += 1
            if check.fix:
                print(f"       fix: {check.fix}")
    print("all checks passed" if not failed else f"{failed} check(s) failed")
    return 1 if failed else 0


def cmd_db(args: argparse.Namespace) -> int:
    from assistant.services import schema
    from assistant.services.store import open_engine
    from assistant.settings import get_settings

    engine = open_engine(get_settings().store_url)
    where = engine.url.render_as_string(hide_password=True)
    try:
        if args.action == "upgrade":
            before, after = schema.upgrade(engine)
            done = "already at" if before == after else f"upgraded from {before or 'empty'} to"
            print(f"Database {where}: {done} revision {after} (up to date).")
            return 0
        with engine.connect() as db:
            revision = schema.current(db)
        if revision == schema.head():
            print(f"Database {where}: revision {revision} (up to date).")
            return 0
        print(
            f"Database {where}: revision {revision or 'none'}; this version needs "
            f"{schema.head()}. Run `mentorprep db upgrade` (the app also does at start)."
        )
        return 1
    finally:
        engine.dispose()


def cmd_serve(args: argparse.Namespace) -> int:
    from assistant.ui.web import launch

    launch(host=args.host, port=args.port)
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    """Write a login's argon2 hash into the auth file (the password is never stored)."""
    from pathlib import Path

    from assistant.components.passwords import check_name, set_password
    from assistant.settings import get_settings

    settings = get_settings()
    path = Path(args.file).expanduser() if args.file else settings.auth_path
    name = check_name(args.name)
    if args.remove:
        set_password(path, name, None)
        print(f"Removed the login '{name}' from {path}.")
        return 0
    if args.stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        import getpass

        password = getpass.getpass(f"New password for {name}: ")
        if getpass.getpass("Again: ") != password:
            print("Error: the two passwords differ; nothing was changed.", file=sys.stderr)
            return 2
    set_password(path, name, password)
    hint = (
        ""
        if args.file is None or Path(args.file).expanduser() == settings.auth_path
        else (f" Set MENTORPREP_AUTH_FILE={path} for the app to use it.")
    )
    print(f"Saved a hashed password for '{name}' in {path} (readable by you only).{hint}")
    print("Restart `mentorprep serve` for it to take effect.")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register the commands of this group on `sub`."""
    p = sub.add_parser("doctor", help="check models, index and backend; say how to fix problems")
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser("db", help="the database of conversations and saved work")
    p.add_argument(
        "action",
        choices=["upgrade", "current"],
        help="upgrade: migrate it to this version's schema; current: show its revision",
    )
    p.set_defaults(func=cmd_db)

    p = sub.add_parser("serve", help="start the web app")
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on; another than loopback needs a login (`mentorprep passwd`)",
    )
    p.add_argument("--port", type=int, default=7860)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("passwd", help="set (or remove) a web app login; stores an argon2 hash")
    p.add_argument("name", help="the login name")
    p.add_argument("--file", help="the auth file (default: MENTORPREP_AUTH_FILE, else <home>/auth)")
    p.add_argument("--stdin", action="store_true", help="read the password from stdin (scripts)")
    p.add_argument("--remove", action="store_true", help="remove this login")
    p.set_defaults(func=cmd_passwd)
