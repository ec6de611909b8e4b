"""Importing and exporting an organisation's estate: its systems and their contracts, one
row per contract (or per system without one), as a spreadsheet or as JSON rows from the API.

`validate_rows` checks every row against the taxonomy, vendors and products, collecting
every problem as {row, column, message}, and returns a `Preview`: the problems, the vendor
decisions a person must make, and the plan of what to write. `commit_rows` writes a ready
preview in one transaction. Both work in bulk (lookups prefetched into dicts, writes in
batches), never with a query per row, so a file of 100,000 rows imports in seconds.

Upsert keys: a product is (vendor, name), a system (organisation, product), a contract
(organisation, vendor, title, start date). A row sets every field it has a column for, so
importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from loti.core import imports
from loti.core.spreadsheets import read_table
from loti.members import selectors as member_selectors
from loti.techmap.estate_import.changes import planned_changes
from loti.techmap.estate_import.columns import COLUMNS, CONTRACT_COLUMNS, HEADERS, LABELS
from loti.techmap.estate_import.commit import commit_rows
from loti.techmap.estate_import.export import export_rows, guidance_rows
from loti.techmap.estate_import.validation import (
    NEW_VENDOR,
    Preview,
    malformed_cells,
    validate_rows,
)
from loti.techmap.models import Contract

KIND = "techmap.estate"

__all__ = [
    "COLUMNS",
    "CONTRACT_COLUMNS",
    "HEADERS",
    "KIND",
    "LABELS",
    "NEW_VENDOR",
    "EstateImporter",
    "Preview",
    "commit_rows",
    "export_rows",
    "guidance_rows",
    "malformed_cells",
    "validate_rows",
]


class EstateImporter:
    """The estate importer for uploaded spreadsheets (see loti.core.imports)."""

    def page_url(self, batch: Any) -> str:
        return reverse("techmap:import_detail", args=[batch.pk])

    def _check(self, batch: Any, progress: Any) -> Preview:
        try:
            table = read_table(bytes(batch.content), batch.filename)
        except ValueError as exc:
            raise imports.ImportFailed(str(exc)) from exc
        organisation = None
        if batch.organisation_id is not None:
            organisation = member_selectors.organisations(ids=[batch.organisation_id]).first()
            if organisation is None:
                raise imports.ImportFailed("The organisation this import was for has been deleted.")
        try:
            return validate_rows(
                table.rows,
                organisation=organisation,
                user=batch.requested_by,
                decisions=batch.decisions,
                source=Contract.Source.SPREADSHEET,
                header_row=table.header_row,
                progress=progress,
            )
        except PermissionDenied as exc:
            raise imports.ImportFailed(
                "You can no longer change this organisation's systems."
            ) from exc

    def preview(self, batch: Any, *, progress: imports.Progress) -> dict[str, Any]:
        checked = self._check(batch, progress)
        shown = checked.as_dict()
        if checked.ready:
            shown["changes"] = planned_changes(checked)
        return shown

    def prepare(self, batch: Any, *, progress: imports.Progress) -> Preview:
        preview = self._check(batch, progress)
        if not preview.ready:
            raise imports.ImportRefused(preview.as_dict())
        return preview

    def commit(self, prepared: Preview, *, progress: imports.Progress) -> dict[str, Any]:
        try:
            return commit_rows(prepared, user=prepared.user)
        except PermissionDenied as exc:
            raise imports.ImportFailed(
                "You can no longer change this organisation's systems."
            ) from exc


imports.register(KIND, EstateImporter())
