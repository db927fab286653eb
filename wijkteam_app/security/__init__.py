"""Key material: the only package that touches keyring, Argon2 and the data key."""
