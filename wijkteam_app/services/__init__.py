"""Use cases. Plain data in, plain data out; no Qt, no SQL outside `persistence`."""
