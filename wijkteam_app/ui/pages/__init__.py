"""Pages shown in the main window (case work, to come)."""
