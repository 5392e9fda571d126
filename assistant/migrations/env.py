"""Alembic's entry point: runs the migrations on the connection `assistant.services.schema` hands
it (in its transaction, under its lock). There is no alembic.ini: `mentorprep db upgrade` and the
app's start-up are the ways in."""

from alembic import context

from assistant.services.store import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `mentorprep db upgrade` (assistant.services.schema)")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
