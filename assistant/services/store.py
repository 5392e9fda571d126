"""Server-side persistence: conversations, messages and workflow artifacts, per user.

SQLite (WAL mode, one commit per write) in the data home by default; PostgreSQL (`postgresql://…`,
through psycopg 3) when several app instances share one store. Every query is scoped to a user id.
The schema is versioned with Alembic (assistant/migrations): opening a store upgrades it.
"""

from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    insert,
    make_url,
    select,
    update,
)

from assistant.services import schema
from assistant.settings import Settings, get_settings

metadata = MetaData()

conversations = Table(
    "conversations",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", String(128), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("title", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

messages = Table(
    "messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "conversation_id",
        String(36),
        ForeignKey("conversations.id", ondelete="CASCADE"),
        index=True,  # revision 0002
    ),
    Column("role", String(16), nullable=False),
    Column("content", Text, nullable=False),
    Column("status", String(16), nullable=False, default="complete"),  # complete|partial|error
    Column("meta", Text, nullable=False, default="{}"),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

artifacts = Table(
    "artifacts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", String(128), nullable=False, index=True),
    Column("conversation_id", String(36), nullable=True),
    Column("kind", String(32), nullable=False),  # goal_card|draft|debrief|agenda
    Column("data", Text, nullable=False),
    Column("markdown", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

ARTIFACT_KINDS = ("goal_card", "draft", "debrief", "agenda")


def _now() -> datetime:
    return datetime.now(UTC)


def _text(value: str) -> str:
    """Text as stored: PostgreSQL cannot store NUL characters, so neither backend keeps them."""
    return value.replace("\x00", "")


def _message(
    conversation_id: str,
    role: str,
    content: str,
    status: str = "complete",
    meta: dict | None = None,
) -> dict:
    """A message row as stored."""
    return {
        "conversation_id": conversation_id,
        "role": role,
        "content": _text(content),
        "status": status,
        "meta": json.dumps(meta or {}),
        "created_at": _now(),
    }


def engine_url(url: str) -> str:
    """`postgresql://…` (and `postgres://…`) means psycopg 3, not SQLAlchemy's default psycopg2."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def open_engine(url: str) -> Engine:
    """An engine for a store URL (SQLite's folder is created), without touching the schema."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    url = engine_url(url)
    options: dict[str, Any] = {}
    if url.startswith("postgresql"):  # timestamps come back in UTC, as from SQLite
        options["connect_args"] = {"options": "-c timezone=UTC"}
    # pre-ping: a connection that a database restart closed is replaced, not used and failed
    engine = create_engine(url, pool_pre_ping=True, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


class Store:
    """Conversations and artifacts for many users; a user only ever sees their own."""

    def __init__(self, url: str) -> None:
        self.engine = open_engine(url)
        schema.upgrade(self.engine)  # one instance at a time; a no-op when already at head

    def close(self) -> None:
        """Close the pooled connections."""
        self.engine.dispose()

    # conversations -----------------------------------------------------------------------
    def create_conversation(
        self, user_id: str, kind: str, title: str, first: tuple[str, str] | None = None
    ) -> str:
        """A new conversation; with `first` (role, content), its first message in the same
        transaction, so a crash never leaves a conversation without what started it."""
        cid = str(uuid.uuid4())
        now = _now()
        with self.engine.begin() as db:
            db.execute(
                insert(conversations).values(
                    id=cid,
                    user_id=user_id,
                    kind=kind,
                    title=_text(title)[:200] or kind,
                    created_at=now,
                    updated_at=now,
                )
            )
            if first:
                db.execute(insert(messages).values(_message(cid, *first)))
        return cid

    def list_conversations(self, user_id: str, kind: str | None = None) -> list[dict]:
        query = select(conversations).where(conversations.c.user_id == user_id)
        if kind:
            query = query.where(conversations.c.kind == kind)
        with self.engine.connect() as db:
            rows = db.execute(query.order_by(conversations.c.updated_at.desc())).mappings()
            return [dict(row) for row in rows]

    def _owns(self, db, conversation_id: str, user_id: str) -> bool:
        row = db.execute(
            select(conversations.c.id).where(
                conversations.c.id == conversation_id, conversations.c.user_id == user_id
            )
        ).first()
        return row is not None

    def add_message(
        self,
        conversation_id: str,
        user_id: str,
        role: str,
        content: str,
        status: str = "complete",
        meta: dict | None = None,
    ) -> int:
        """Append a message (committed at once, so a crash loses nothing already said)."""
        with self.engine.begin() as db:
            if not self._owns(db, conversation_id, user_id):
                raise KeyError(conversation_id)
            result = db.execute(
                insert(messages).values(_message(conversation_id, role, content, status, meta))
            )
            db.execute(
                update(conversations)
                .where(conversations.c.id == conversation_id)
                .values(updated_at=_now())
            )
            return int(result.inserted_primary_key[0])

    def update_message(
        self, message_id: int, user_id: str, content: str, status: str, meta: dict | None = None
    ) -> None:
        """Rewrite a message as it streams: `partial` until done, then `complete` or `error`."""
        owned = (
            select(conversations.c.id).where(conversations.c.user_id == user_id).scalar_subquery()
        )
        values: dict[str, Any] = {"content": _text(content), "status": status}
        if meta is not None:
            values["meta"] = json.dumps(meta)
        with self.engine.begin() as db:
            db.execute(
                update(messages)
                .where(messages.c.id == message_id, messages.c.conversation_id.in_(owned))
                .values(**values)
            )

    def messages(self, conversation_id: str, user_id: str) -> list[dict]:
        with self.engine.connect() as db:
            if not self._owns(db, conversation_id, user_id):
                return []
            rows = db.execute(
                select(messages)
                .where(messages.c.conversation_id == conversation_id)
                .order_by(messages.c.id)
            ).mappings()
            return [{**dict(row), "meta": json.loads(row["meta"] or "{}")} for row in rows]

    def delete_conversation(self, conversation_id: str, user_id: str) -> bool:
        with self.engine.begin() as db:
            if not self._owns(db, conversation_id, user_id):
                return False
            db.execute(delete(messages).where(messages.c.conversation_id == conversation_id))
            db.execute(delete(artifacts).where(artifacts.c.conversation_id == conversation_id))
            db.execute(delete(conversations).where(conversations.c.id == conversation_id))
        self._purge()
        return True

    # artifacts ---------------------------------------------------------------------------
    def save_artifact(
        self,
        user_id: str,
        kind: str,
        data: dict,
        markdown: str,
        conversation_id: str | None = None,
    ) -> int:
        if kind not in ARTIFACT_KINDS:
            raise ValueError(f"unknown artifact kind {kind!r}")
        with self.engine.begin() as db:
            result = db.execute(
                insert(artifacts).values(
                    user_id=user_id,
                    conversation_id=conversation_id,
                    kind=kind,
                    data=json.dumps(data, ensure_ascii=False),
                    markdown=_text(markdown),
                    created_at=_now(),
                )
            )
            return int(result.inserted_primary_key[0])

    def artifacts(self, user_id: str, kind: str | None = None) -> list[dict]:
        query = select(artifacts).where(artifacts.c.user_id == user_id)
        if kind:
            query = query.where(artifacts.c.kind == kind)
        with self.engine.connect() as db:
            rows = db.execute(query.order_by(artifacts.c.id)).mappings()
            return [{**dict(row), "data": json.loads(row["data"])} for row in rows]

    def latest_artifact(self, user_id: str, kind: str) -> dict | None:
        found = self.artifacts(user_id, kind)
        return found[-1] if found else None

    def delete_user(self, user_id: str) -> None:
        """Delete all of a user's conversations, messages and artifacts, for good (`_purge`)."""
        with self.engine.begin() as db:
            owned = select(conversations.c.id).where(conversations.c.user_id == user_id)
            db.execute(delete(messages).where(messages.c.conversation_id.in_(owned)))
            db.execute(delete(conversations).where(conversations.c.user_id == user_id))
            db.execute(delete(artifacts).where(artifacts.c.user_id == user_id))
        self._purge()

    def _purge(self) -> None:
        """SQLite: deleted rows are zeroed as they go (`secure_delete`); the checkpoint copies
        the write-ahead log into the database and truncates it, so no old page stays there."""
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as db:
                db.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA secure_delete=ON")  # deleted content is overwritten, not left free
    cursor.close()


_stores: dict[str, Store] = {}
_lock = threading.Lock()


def get_store(settings: Settings | None = None) -> Store:
    """One Store per database URL in this process."""
    url = (settings or get_settings()).store_url
    with _lock:
        if url not in _stores:
            _stores[url] = Store(url)
        return _stores[url]
