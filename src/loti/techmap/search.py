"""The tech map's records in the one search: products and suppliers (the models call them
vendors), readable by whoever may read the tech map.

Products and suppliers are also written in bulk (the demo, OCDS and estate imports), which
sends no signals: those writers call `index_products` / `index_vendors` afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save

from loti.core import search
from loti.core.permissions import Data, can
from loti.techmap.models import Product, Vendor, VendorAlias


def _products() -> QuerySet[Product]:
    return Product.objects.select_related("vendor", "category")


def _vendors() -> QuerySet[Vendor]:
    return Vendor.objects.prefetch_related("aliases")


def readable_products(user: Any) -> QuerySet[Product]:
    return _products() if can(user, Data.TECHMAP) else Product.objects.none()


def readable_vendors(user: Any) -> QuerySet[Vendor]:
    return _vendors() if can(user, Data.TECHMAP) else Vendor.objects.none()


def _product_hit(product: Product, query: search.Query) -> search.Hit:
    detail = f"{product.category.name} · {product.vendor.name}"
    if product.hosting:
        detail += f" · {product.get_hosting_display()}"
    return search.Hit(
        title=product.name,
        url=product.get_absolute_url(),
        detail=detail,
        snippet=search.highlight(f"{product.name} by {product.vendor.name}", query),
        text=f"{product.name} {product.vendor.name} {product.category.name}",
    )


def _vendor_hit(vendor: Vendor, query: search.Query) -> search.Hit:
    aliases = [alias.name for alias in vendor.aliases.all()]
    detail = "Supplier"
    if vendor.is_sme:
        detail += " · Small or medium-sized enterprise"
    return search.Hit(
        title=vendor.name,
        url=vendor.get_absolute_url(),
        detail=detail,
        snippet=search.highlight(f"Also known as {', '.join(aliases)}", query) if aliases else "",
        text=" ".join([vendor.name, *aliases]),
    )


# An import may bring thousands: read them in batches that every database's limit on query
# parameters allows.
BATCH = 500


def _index(rows: QuerySet, ids: Iterable[int]) -> None:
    ids = sorted(set(ids))
    for start in range(0, len(ids), BATCH):
        search.index_all(rows.model, rows.filter(pk__in=ids[start : start + BATCH]))


def index_products(ids: Iterable[int]) -> None:
    """Index these products, with the names of their suppliers and categories."""
    _index(_products(), ids)


def index_vendors(ids: Iterable[int]) -> None:
    """Index these suppliers, with their other names."""
    _index(_vendors(), ids)


def _alias_changed(sender: type[VendorAlias], instance: VendorAlias, **kwargs: Any) -> None:
    # A supplier is found by its other names: however one is added or removed (a form, the
    # admin, a merge), its supplier's entry is written again. Not while a fixture loads, nor
    # when the supplier itself is being deleted.
    if not kwargs.get("raw") and Vendor.objects.filter(pk=instance.vendor_id).exists():
        index_vendors([instance.vendor_id])


def register() -> None:
    search.register(
        key="products",
        heading="Products",
        model=Product,
        readable=readable_products,
        hit=_product_hit,
        order=40,
    )
    search.register(
        key="suppliers",
        heading="Suppliers",
        model=Vendor,
        readable=readable_vendors,
        hit=_vendor_hit,
        order=41,
    )
    post_save.connect(_alias_changed, sender=VendorAlias, dispatch_uid="loti.techmap.search.alias")
    post_delete.connect(
        _alias_changed, sender=VendorAlias, dispatch_uid="loti.techmap.search.alias.del"
    )
