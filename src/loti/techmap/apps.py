from django.apps import AppConfig


class TechmapConfig(AppConfig):
    name = "loti.techmap"
    label = "techmap"
    verbose_name = "Technology map"

    def ready(self) -> None:
        from loti.core.api import explain_constraint
        from loti.core.navigation import register, register_group
        from loti.core.permissions import Data

        explain_constraint(
            "techmap_contract_ends_after_start",
            field="ends_on",
            message="The end date must be the same as or after the start date",
        )
        explain_constraint(
            "techmap_system_satisfaction_1_to_5",
            field="satisfaction",
            message="Satisfaction must be from 1 to 5",
        )
        explain_constraint(
            "techmap_system_unique_organisation_product",
            field="product",
            message="The organisation already has a system for this product",
        )

        register_group(
            label="Technology",
            description="What the members use and buy: the map of their systems, their open "
            "tenders, chances to buy together and skills to share.",
        )
        technology = {"group": "Technology"}
        register(
            label="Technology map",
            url_name="techmap:map",
            data=Data.TECHMAP,
            order=40,
            **technology,
        )
        register(
            label="Tenders", url_name="techmap:tenders", data=Data.TECHMAP, order=41, **technology
        )
        register(
            label="Skills",
            url_name="techmap:skills",
            data=Data.CONTRACT_DETAILS,
            order=46,
            **technology,
        )
        register(
            label="Opportunities",
            url_name="techmap:opportunities",
            data=Data.CONTRACT_DETAILS,
            order=45,
            **technology,
        )

        from loti.techmap import home, search

        home.register()
        search.register()
