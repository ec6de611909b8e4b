"""Interviews: the office's notes of each, passages of them tagged with themes, and the
themes."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.text import Truncator

__all__ = ["Interview", "Passage", "Theme"]


class Interview(models.Model):
    held_on = models.DateField("Date of the interview")
    interviewee = models.CharField(
        "Who was interviewed",
        max_length=200,
        help_text="Their role in words, for example Head of Digital at a member borough",
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField()
    recorded_by = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Made up by `loti demo`: its pages say so.
    synthetic = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return f"Interview with {self.interviewee}, {self.held_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:interview_detail", args=[self.pk])


class Theme(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("evaluation:theme_detail", args=[self.slug])


class Passage(models.Model):
    """An excerpt of an interview's notes, tagged with the themes it speaks to."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="passages")
    order = models.PositiveSmallIntegerField(default=0)
    excerpt = models.TextField()
    themes = models.ManyToManyField(Theme, related_name="passages")

    class Meta:
        ordering = ["interview", "order", "pk"]

    def __str__(self) -> str:
        # The excerpt's first words, never a word cut in two.
        return Truncator(self.excerpt).words(10)

    def get_absolute_url(self) -> str:
        return self.interview.get_absolute_url()
