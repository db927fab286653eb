"""Pure domain model: no Qt, no SQL, no I/O. Everything here is plain, immutable data."""
