"""Alembic environment of the server's own migration chain.

The server (``wijkteam_server.db.upgrade``) passes an open connection in
``config.attributes["connection"]``; no URL or password lives in any Alembic file.
"""

from __future__ import annotations

from alembic import context

from wijkteam_server.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("The server migrations run only through 'wijkteam-server init'.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
