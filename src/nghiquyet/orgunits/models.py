"""Org units: a tree of any depth, each unit valid over a span of dates.

The 2025 reform abolished the district level and reused thousands of commune codes, so a code names a
unit only together with a date: codes are unique among the units valid on any one day, not forever.
A changed boundary is a new unit with `predecessors` pointing at the units it replaced.
"""

from __future__ import annotations

from datetime import date

from django.db import models

from nghiquyet.lib.versions import Versioned


class UnitType(models.TextChoices):
    TERRITORY = "territory", "Đơn vị hành chính"
    PARTY = "party", "Tổ chức đảng"
    DEPARTMENT = "department", "Cơ quan, sở, ngành"


class OrgUnitQuerySet(models.QuerySet["OrgUnit"]):
    def valid_on(self, day: date) -> OrgUnitQuerySet:
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        )

    def overlapping(self, start: date | None, end: date | None) -> OrgUnitQuerySet:
        """Units valid on at least one day of [start, end] (None = open-ended)."""
        qs = self
        if end is not None:
            qs = qs.filter(models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=end))
        if start is not None:
            qs = qs.filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=start))
        return qs

    def subtree_of(self, unit: OrgUnit) -> OrgUnitQuerySet:
        return self.filter(path__startswith=unit.path)


class OrgUnit(Versioned):
    code = models.CharField("mã", max_length=32, db_index=True)
    name = models.CharField("tên", max_length=255)
    level = models.CharField("cấp", max_length=64, blank=True, help_text="Nhãn cấp, ví dụ: thành phố, quận, phường")
    unit_type = models.CharField("loại đơn vị", max_length=16, choices=UnitType.choices, default=UnitType.TERRITORY)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    # Materialised path of ids ("/1/4/17/"): subtree queries are a prefix match on both databases.
    path = models.CharField(max_length=1024, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    predecessors = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="successors")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_to__isnull=True)
                | models.Q(valid_from__lte=models.F("valid_to")),
                name="orgunit_valid_span",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def lineage_ids(self) -> list[int]:
        """The ids from the root down to this unit, read from the materialised path."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or self.valid_to >= day)

    def validity_label(self) -> str:
        start = self.valid_from.isoformat() if self.valid_from else "…"
        end = self.valid_to.isoformat() if self.valid_to else "…"
        return f"{start} – {end}"
