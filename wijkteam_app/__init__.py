"""Wijkteam: the case file and support plan application for Dutch neighbourhood teams."""

__version__ = "0.1.0"
