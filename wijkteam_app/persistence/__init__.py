"""SQLAlchemy 2 typed ORM over SQLCipher: the encrypted local case file. No Qt."""
