"""Identifiers. Every record gets a random UUID (text) so laptops never collide offline."""

import uuid


def new_id() -> str:
    return str(uuid.uuid4())
