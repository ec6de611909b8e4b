"""Published evaluation reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

__all__ = ["ReportPublication"]


class ReportPublication(models.Model):
    """A published evaluation report: the report's content as it stood when published, so
    later changes to activities or inputs do not alter what was published."""

    title = models.CharField(max_length=200)
    financial_year = models.PositiveSmallIntegerField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    content = models.JSONField()

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.published_at:%-d %B %Y})"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:published_report", args=[self.pk])
