"""Workstreams: the standing themes of the consortium's work, under which calls for ideas
take proposals and projects run."""

from django.db import models

__all__ = ["Workstream"]


class Workstream(models.Model):
    """A standing theme of the consortium's work, such as "Data collaboration"."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name
