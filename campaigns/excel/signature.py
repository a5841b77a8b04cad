"""The hidden signature of a report template: what the file is for, signed so it cannot be edited.

A template carries, on a very hidden sheet, the campaign, period and unit it was made for, the
template version and a map from each input cell to the report, entry and field it fills. The
whole is signed with the site's secret key (django.core.signing), so a file for another unit or
month, or one whose map was tampered with, is refused on upload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core import signing

from ..rules.entry import TEXTS

TEMPLATE_VERSION = "dalei-report-v1"
SALT = "campaigns.excel.report-template"
SIGNATURE_SHEET = "_signature"
FORM_SHEET = "月报"
GUIDE_SHEET = "填报说明"
# Sheet protection keeps the layout from being edited by accident; it is not a secret (the
# signature is what guards the file), so one fixed password will do.
SHEET_PASSWORD = "dalei"
CHUNK = 30000  # an Excel cell holds at most 32,767 characters

# Fields an input cell can fill: an entry's values, or one of the report's three texts.
ENTRY_FIELDS = ("value", "numerator", "denominator", "stage", "note")
TEXT_FIELDS = TEXTS
FIELD_LABELS = {
    "value": "数值",
    "numerator": "分子",
    "denominator": "分母",
    "stage": "达到节点",
    "note": "说明",
    **TEXT_FIELDS,
}


class OldTemplate(Exception):
    """A template of an earlier version: its layout may no longer match."""


@dataclass(frozen=True)
class CellTarget:
    """What one input cell fills: a report's entry field (entry > 0) or a report text."""

    report: int
    entry: int
    field: str


@dataclass
class Signature:
    campaign: int
    period: int
    starts: str
    period_label: str
    unit: int
    unit_name: str
    cells: dict[str, CellTarget] = field(default_factory=dict)
    # The row of each report's title in the form sheet, to name the place of a report's problem.
    titles: dict[int, str] = field(default_factory=dict)
    # Each report's version when the file was made: an upload over a later web edit is refused.
    versions: dict[int, int] = field(default_factory=dict)
    version: str = TEMPLATE_VERSION

    def dumps(self) -> str:
        payload = {
            "v": self.version,
            "campaign": self.campaign,
            "period": self.period,
            "starts": self.starts,
            "label": self.period_label,
            "unit": self.unit,
            "unit_name": self.unit_name,
            "cells": {ref: [t.report, t.entry, t.field] for ref, t in self.cells.items()},
            "titles": {str(report): ref for report, ref in self.titles.items()},
            "versions": {str(report): v for report, v in self.versions.items()},
        }
        return signing.dumps(payload, salt=SALT, compress=True)

    @classmethod
    def loads(cls, text: str) -> Signature:
        """The signature; BadSignature or ValueError when this site did not make it, OldTemplate
        when it made it for an earlier layout."""
        payload: Any = signing.loads(text, salt=SALT)
        if not isinstance(payload, dict):
            raise ValueError("signature is not a mapping")
        if payload.get("v") != TEMPLATE_VERSION:
            raise OldTemplate(str(payload.get("v")))
        cells = {}
        for ref, (report, entry, name) in dict(payload["cells"]).items():
            if name not in ENTRY_FIELDS and name not in TEXT_FIELDS:
                raise ValueError(f"unknown field {name}")
            cells[str(ref)] = CellTarget(int(report), int(entry), str(name))
        return cls(
            version=str(payload["v"]),
            campaign=int(payload["campaign"]),
            period=int(payload["period"]),
            starts=str(payload["starts"]),
            period_label=str(payload["label"]),
            unit=int(payload["unit"]),
            unit_name=str(payload["unit_name"]),
            cells=cells,
            titles={int(k): str(v) for k, v in dict(payload.get("titles", {})).items()},
            versions={int(k): int(v) for k, v in dict(payload.get("versions", {})).items()},
        )


def chunks(text: str) -> list[str]:
    return [text[i : i + CHUNK] for i in range(0, len(text), CHUNK)] or [""]
