"""Where the demo's data lives (no Django import, so the workbook builder runs without settings)."""

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
WORKBOOK = DATA / "can-tho-2021-minh-hoa.xlsx"
SHEETS = ("org_units", "resolutions", "targets", "plans", "results")
