"""The store's schema, versioned with Alembic: any database is upgraded to the schema this version
of MentorPrep needs, at start-up or with `mentorprep db upgrade`.

One upgrade runs at a time per database (a PostgreSQL advisory lock, or a file lock on a SQLite
file), so app instances that start together do not race. A database made by MentorPrep 0.1, which
created its tables without Alembic, is recognised and stamped with the first revision first.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import OperationalError

from assistant.errors import BackendUnavailable, MentorPrepError

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
FIRST = "0001"  # MentorPrep 0.1's schema
_PG_LOCK = 7_160_516_001  # the advisory lock key: any fixed number, the same in every instance


def alembic_config(connection: Connection | None = None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head() -> str:
    """The revision this version of MentorPrep needs."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def _known() -> set[str]:
    from alembic.script import ScriptDirectory

    return {
        script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()
    }


def current(connection: Connection) -> str | None:
    """The database's revision; None for an empty database (or one from before migrations)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


@contextlib.contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with open(database, "ab") as handle:  # SQLite's own locks are separate (fcntl, not flock)
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the database to the head revision; (revision before, revision after)."""
    try:
        return _upgrade(engine)
    except OperationalError as exc:
        url = engine.url.render_as_string(hide_password=True)
        raise BackendUnavailable(
            f"The database at {url} cannot be used ({type(exc.orig).__name__}: {exc.orig}).",
            fix="check that it is running and that MENTORPREP_DATABASE_URL is right",
        ) from exc


def _upgrade(engine: Engine) -> tuple[str | None, str]:
    from alembic import command

    with _sqlite_file_lock(engine), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
        before = current(connection)
        config = alembic_config(connection)
        if before is None and inspect(connection).has_table("conversations"):
            command.stamp(config, FIRST)  # made by 0.1: its tables are revision 0001
            before = FIRST
        elif before is not None and before not in _known():
            url = engine.url.render_as_string(hide_password=True)
            raise MentorPrepError(
                f"The database at {url} has schema revision {before}, newer than this version of "
                f"MentorPrep knows (up to {head()}).",
                fix="upgrade MentorPrep on this machine to the version the other instances run",
            )
        command.upgrade(config, "head")
        return before, current(connection) or ""
