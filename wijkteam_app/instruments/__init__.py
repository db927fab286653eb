"""Instrument definitions loaded from the JSON files in ``resources/instruments``."""

from wijkteam_app.instruments.catalog import (
    FORMAT_VERSION,
    InstrumentFileError,
    default_directory,
    latest,
    load_definition_file,
    load_definitions,
    load_official_texts,
)

__all__ = [
    "FORMAT_VERSION",
    "InstrumentFileError",
    "default_directory",
    "latest",
    "load_definition_file",
    "load_definitions",
    "load_official_texts",
]
