"""The API: core's wiring with every app's router."""

from django.conf import settings
from ninja import NinjaAPI

from loti.core.api import install_error_handlers, public_or_token, token_auth
from loti.datasharing.api import router as datasharing_router
from loti.datasharing.coverage.api import router as coverage_router
from loti.evaluation.activities.api import router as evaluation_router
from loti.library.api import router as library_router
from loti.members.api import router as members_router
from loti.portfolio.calls.api import router as calls_router
from loti.portfolio.projects.api import router as projects_router
from loti.techmap.api import router as techmap_router


class Api(NinjaAPI):
    """Operation ids are the operations' names (`list_systems`), as their URL names are, so that
    they stay the same wherever the code behind them lives."""

    def get_openapi_operation_id(self, operation) -> str:
        return self.get_operation_url_name(operation, router=None)

    def get_openapi_schema(self, **kwargs):
        """Operations anyone may call say that a token is optional: `[{}, {"TokenAuth": []}]`,
        no requirement or the token, rather than a scheme of their own that reads as required."""
        schema = super().get_openapi_schema(**kwargs)
        public = {type(public_or_token).__name__: []}
        for item in schema["paths"].values():
            for operation in item.values():
                if operation.get("security") == [public]:
                    operation["security"] = [{}, {type(token_auth).__name__: []}]
        schema.get("components", {}).get("securitySchemes", {}).pop(
            type(public_or_token).__name__, None
        )
        return schema


api = Api(
    title=f"{settings.CONSORTIUM_SHORT_NAME} API",
    version="1",
    description=(
        "Read the consortium's organisations, memberships and contributions, and (for the "
        "office) change them. Read the technology map, and keep your organisation's systems "
        "and contracts up to date, one at a time or in bulk. Read calls for ideas, their "
        "proposals and published results, and the consortium's projects; propose an idea for "
        "your organisation. Read and search the library's resources and their versions; add "
        "resources for your organisation and upload their new versions. Read the register of "
        "data-sharing agreements, with their versions, parties and signatures (the operational "
        "details if your role reads them); agreements are signed on the site only. The office "
        "reads its "
        "evaluated activities and their appraisals. "
        "Authenticate with a personal API token: `Authorization: Bearer <token>`. A token "
        "acts with its person's permissions. Lists come a page at a time (`limit`, at most "
        "1000, and `offset`). A request body may be at most 50 MB; a larger one is answered "
        "413."
    ),
    docs_url="/docs",
    openapi_url="/openapi.json",
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("/", members_router)
api.add_router("/", techmap_router)
api.add_router("/", calls_router)
api.add_router("/", projects_router)
api.add_router("/", evaluation_router)
api.add_router("/", library_router)
api.add_router("/", datasharing_router)
api.add_router("/", coverage_router)
