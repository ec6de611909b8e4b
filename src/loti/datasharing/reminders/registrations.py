"""What this concept adds to the platform's shared registries."""


def register() -> None:
    """Called from `datasharing.registrations.register()`."""
