"""Modal dialogs: unlocking and creating the profile."""
