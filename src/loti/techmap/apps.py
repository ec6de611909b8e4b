from django.apps import AppConfig


class TechmapConfig(AppConfig):
    name = "loti.techmap"
    label = "techmap"
    verbose_name = "Technology map"

    def ready(self) -> None:
        from loti.core.navigation import register
        from loti.core.permissions import Data

        register(label="Technology map", url_name="techmap:map", data=Data.TECHMAP, order=40)
        register(label="Tenders", url_name="techmap:tenders", data=Data.TECHMAP, order=41)
        register(label="Skills", url_name="techmap:skills", data=Data.CONTRACT_DETAILS, order=46)
        register(
            label="Opportunities",
            url_name="techmap:opportunities",
            data=Data.CONTRACT_DETAILS,
            order=45,
        )
