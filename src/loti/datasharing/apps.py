from django.apps import AppConfig


class DatasharingConfig(AppConfig):
    name = "loti.datasharing"
    label = "datasharing"
    verbose_name = "Data sharing"

    def ready(self) -> None:
        from loti.datasharing import registrations

        registrations.register()
