from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "loti.portfolio"
    label = "portfolio"
    verbose_name = "Portfolio"

    def ready(self) -> None:
        from loti.core import proposals
        from loti.core.navigation import register, register_group
        from loti.core.permissions import Data
        from loti.portfolio.calls.selectors import proposal_start

        proposals.register(proposal_start)

        register_group(
            label="Shared work",
            description="What the members do together: the calls for ideas, the projects they "
            "choose, and the library of what they made for others to reuse.",
        )
        shared = {"group": "Shared work"}
        register(
            label="Projects", url_name="portfolio:projects", data=Data.PROJECTS, order=35, **shared
        )
        register(
            label="Calls for ideas", url_name="portfolio:calls", data=Data.CALLS, order=36, **shared
        )
        # The public and partners see the published results of the same calls.
        register(
            label="Calls for ideas",
            url_name="portfolio:calls",
            data=Data.PUBLISHED,
            order=36,
            unless=Data.CALLS,
            **shared,
        )

        from loti.portfolio.calls import home as calls_home
        from loti.portfolio.projects import home as projects_home

        calls_home.register()
        projects_home.register()

        from loti.portfolio import search

        search.register()
