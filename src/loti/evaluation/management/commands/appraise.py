import json
import sys

from django.core.management.base import BaseCommand, CommandError

from loti.evaluation import appraisal
from loti.evaluation.appraisal import scenario as parse_scenario
from loti.evaluation.appraisal.scenario import MAX_DRAWS


class Command(BaseCommand):
    # Pure calculation: no database, so no system checks on every run.
    requires_system_checks: list[str] = []
    help = (
        "Appraise a scenario (docs/appraisal-scenario.schema.json) by the HM Treasury Green "
        "Book and print the results as one JSON document: money to the penny. Reads standard "
        "input with -. An invalid scenario exits with status 2, each error on its own line, "
        "as does one past a limit (docs/security.md: 1 MB, nested 16 levels deep)."
    )

    def add_arguments(self, parser):
        parser.add_argument("scenario", help="The scenario JSON file, or - for standard input")
        parser.add_argument(
            "--draws", type=int, help="Monte Carlo draws (default: the scenario's, or 10,000)"
        )
        parser.add_argument("--seed", type=int, help="Monte Carlo seed (default: the scenario's)")

    def handle(self, *args, scenario: str, draws: int | None, seed: int | None, **options):
        if draws is not None and not 1 <= draws <= MAX_DRAWS:
            raise CommandError(f"--draws: must be from 1 to {MAX_DRAWS:,}", returncode=2)
        if seed is not None and seed < 0:
            raise CommandError("--seed: must be 0 or more", returncode=2)
        try:
            if scenario == "-" and hasattr(sys.stdin, "buffer"):
                data = parse_scenario.read(sys.stdin.buffer)
            elif scenario == "-":  # a text stream with no bytes beneath (as in tests)
                data = parse_scenario.parse(sys.stdin.read(parse_scenario.MAX_BYTES + 1))
            else:
                with open(scenario, "rb") as stream:
                    data = parse_scenario.read(stream)
        except OSError as error:
            raise CommandError(f"Cannot read {scenario}: {error.strerror}", returncode=2) from error
        except appraisal.ScenarioError as error:
            raise CommandError(
                "\n".join(error.errors).replace(
                    "The scenario", "Standard input" if scenario == "-" else scenario, 1
                ),
                returncode=2,
            ) from error
        try:
            result = appraisal.appraise(data, draws=draws, seed=seed)
        except appraisal.ScenarioError as error:
            raise CommandError(
                "The scenario is not valid:\n" + "\n".join(error.errors), returncode=2
            ) from error
        self.stdout.write(json.dumps(appraisal.rounded(result), ensure_ascii=False, indent=2))
