from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "loti.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from loti.core import home
        from loti.core.navigation import register
        from loti.core.permissions import Data

        register(label="History", url_name="core:audit_log", data=Data.AUDIT, order=90)
        home.register_core_items()
