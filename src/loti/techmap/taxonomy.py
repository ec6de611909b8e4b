"""The reference taxonomy shipped with the app: functions, service areas, product categories
and skill areas (data/taxonomy.json). Loading is idempotent, matched by slug."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils.text import slugify

TAXONOMY = Path(__file__).parent / "data" / "taxonomy.json"


def read() -> dict[str, Any]:
    return json.loads(TAXONOMY.read_text(encoding="utf-8"))


def load(*, models: Any) -> None:
    """Create or update the taxonomy. `models` resolves model names (the app registry, or a
    migration's historical `apps`), so a data migration can use it too."""
    data = read()
    Function = models.get_model("techmap", "Function")
    ServiceArea = models.get_model("techmap", "ServiceArea")
    ProductCategory = models.get_model("techmap", "ProductCategory")
    SkillArea = models.get_model("techmap", "SkillArea")
    areas = {}
    for order, entry in enumerate(data["functions"]):
        function, _ = Function.objects.update_or_create(
            slug=slugify(entry["name"]), defaults={"name": entry["name"], "order": order}
        )
        for area_order, name in enumerate(entry["areas"]):
            areas[name], _ = ServiceArea.objects.update_or_create(
                slug=slugify(name),
                defaults={"name": name, "function": function, "order": area_order},
            )
    for entry in data["categories"]:
        category, _ = ProductCategory.objects.update_or_create(
            slug=slugify(entry["name"]), defaults={"name": entry["name"]}
        )
        category.usual_service_areas.set([areas[name] for name in entry["areas"]])
    for name in data["skills"]:
        SkillArea.objects.update_or_create(slug=slugify(name), defaults={"name": name})
