"""The municipal Wijkteam server: sync, authentication and reference data for the laptops.

It imports nothing from the desktop app except the shared wire models in
``wijkteam_app.sync.protocol``.
"""
