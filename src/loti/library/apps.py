from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "loti.library"
    label = "library"
    verbose_name = "Library"

    def ready(self) -> None:
        from loti.library import registrations

        registrations.register()
