"""ORM tables of the sync client (filled in by the sync work; see docs/sync-protocol.md)."""

from __future__ import annotations
