from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "loti.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation"

    def ready(self) -> None:
        from loti.core.navigation import register
        from loti.core.permissions import Data

        register(label="Evaluation", url_name="evaluation:home", data=Data.EVALUATION, order=70)
        # Everyone else reads the published reports.
        register(
            label="Evaluation",
            url_name="evaluation:report_list",
            data=Data.PUBLISHED,
            order=70,
            unless=Data.EVALUATION,
        )

        from loti.evaluation.report import home as report_home
        from loti.evaluation.surveys import home as surveys_home

        surveys_home.register()
        report_home.register()
