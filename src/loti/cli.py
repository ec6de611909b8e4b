"""The `loti` console script: Django's manage.py under the project's own name."""

import os
import secrets
import sys
from pathlib import Path

# The commands that run a local demo. The first of them to run in a folder writes a `.env`
# there (which the settings read) with a key generated for this copy and plain HTTP on the
# loopback address, so every other command then works in that folder too.
LOCAL_DEMO_COMMANDS = {"demo", "serve"}
LOCAL_ENV_FILE = Path(".env")
# Commands spelt as the documentation spells them, for Django's module names.
COMMAND_NAMES = {"import-ocds": "import_ocds"}


def write_local_env(path: Path = LOCAL_ENV_FILE) -> bool:
    """Write a local demo's `.env` unless the folder has one; returns whether it wrote it."""
    if path.exists():
        return False
    content = (
        "# Written by `loti demo` for a local demo on this machine: never use it for a deployment\n"
        "# (docs/deploy.md). Delete it to have a new key generated.\n"
        f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
        "HTTPS=false\n"
        "ALLOWED_HOSTS=127.0.0.1,localhost\n"
    )
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(content)
    return True


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loti.config.settings")
    # The command's name, or the name after "help".
    for position in (1, 2) if argv[1:2] == ["help"] else (1,):
        if len(argv) > position:
            argv[position] = COMMAND_NAMES.get(argv[position], argv[position])
    demo = len(argv) > 1 and argv[1] in LOCAL_DEMO_COMMANDS
    if demo and "SECRET_KEY" not in os.environ and write_local_env():
        print(f"Wrote {LOCAL_ENV_FILE.resolve()} with a secret key for this local demo.")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
