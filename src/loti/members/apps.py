from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "loti.members"
    label = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        from loti.core.navigation import register, register_group
        from loti.core.permissions import Data

        register_group(
            label="Members",
            description="The consortium's organisations, its advisory board, its people and "
            "its money.",
        )
        register(
            label="Organisations",
            url_name="members:organisation_list",
            data=Data.DIRECTORY,
            order=10,
            group="Members",
        )
        register(
            label="Advisory board",
            url_name="members:advisory_board",
            data=Data.DIRECTORY,
            order=15,
            group="Members",
        )
        register(
            label="Finance",
            url_name="members:finance_index",
            data=Data.FINANCE,
            order=20,
            consortium_wide=True,
            group="Members",
        )
        register(
            label="People",
            url_name="members:people_list",
            data=Data.PEOPLE,
            order=30,
            group="Members",
        )

        from loti.members import home

        home.register()
