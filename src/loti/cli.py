"""The `loti` console script: Django's manage.py under the project's own name."""

import os
import sys

# What a local demo needs, set explicitly and only for the commands that run one: a fixed
# key (the demo holds nothing secret) and plain HTTP on the loopback address.
LOCAL_DEMO_ENVIRONMENT = {
    "SECRET_KEY": "local-demo-only-key-never-use-for-a-deployment-3f9c1a7e2b8d4c6f",
    "HTTPS": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
}
LOCAL_DEMO_COMMANDS = {"demo", "serve"}
# Commands spelt as the documentation spells them, for Django's module names.
COMMAND_NAMES = {"import-ocds": "import_ocds"}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loti.config.settings")
    # The command's name, or the name after "help".
    for position in (1, 2) if argv[1:2] == ["help"] else (1,):
        if len(argv) > position:
            argv[position] = COMMAND_NAMES.get(argv[position], argv[position])
    if len(argv) > 1 and argv[1] in LOCAL_DEMO_COMMANDS:
        for name, value in LOCAL_DEMO_ENVIRONMENT.items():
            os.environ.setdefault(name, value)
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
