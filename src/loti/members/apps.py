from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "loti.members"
    label = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        from loti.core.navigation import register
        from loti.core.permissions import Data

        register(
            label="Organisations",
            url_name="members:organisation_list",
            data=Data.DIRECTORY,
            order=10,
        )
        register(
            label="Advisory board", url_name="members:advisory_board", data=Data.DIRECTORY, order=15
        )
        register(
            label="Finance",
            url_name="members:finance_index",
            data=Data.FINANCE,
            order=20,
            consortium_wide=True,
        )
        register(label="People", url_name="members:people_list", data=Data.PEOPLE, order=30)

        from loti.members import home

        home.register()
