"""What the data-sharing registry adds to the platform's shared registries (home page,
navigation, search)."""

from __future__ import annotations


def register() -> None:
    """Connected from the app's `ready()`; each concept adds its own entries here."""
