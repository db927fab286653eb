"""Synchronisation with the municipal server.

`protocol` holds the wire models shared by the laptop and the server (no Qt, no database,
no HTTP client); the laptop-side engine and transport live beside it.
"""
