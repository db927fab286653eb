"""Alembic environment for the local case file.

The app passes an open, keyed SQLAlchemy connection in ``config.attributes["connection"]``;
there is no URL and no key in any configuration file.
"""

from __future__ import annotations

from alembic import context

from wijkteam_app.persistence.schema import Base

target_metadata = Base.metadata
connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("The case file migrations run only through the app (wijkteam).")

context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=True,  # SQLite needs table rebuilds for most ALTERs
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
