"""Routes of this concept (see datasharing/urls.py for their order)."""

urlpatterns: list = []
