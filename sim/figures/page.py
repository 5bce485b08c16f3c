"""The pieces of the HTML report a person reads: times in words, tables that fit the page.

A sweep's tables run to hundreds of rows (70 points x 4 metrics); printed whole they push
everything after them off the screen.  Long tables are folded into ``<details>`` sections that
scroll inside a box of their own, with the row count in the summary line, so the page stays a
page.  Times are written as a reader says them: ``2 min 5 s``, ``2026-11-29 14:13 UTC``.
"""

from __future__ import annotations

import html
from datetime import datetime

import pandas as pd

FOLD_ROWS = 25
"""Tables longer than this are folded into a scrolling ``<details>`` section."""


def duration_text(seconds: float | None) -> str:
    """``0.4 s``, ``42 s``, ``2 min 5 s``, ``3 h 7 min``; an empty string if unknown."""
    if seconds is None or seconds != seconds:
        return ""
    if seconds < 10:
        return f"{seconds:.1f} s"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s"
    return f"{secs} s"


def timestamp_text(iso: str | None) -> str:
    """An ISO timestamp (``2026-11-29T14:13:52+00:00``) as ``2026-11-29 14:13:52 UTC``."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    zone = "UTC" if moment.utcoffset() is not None and not moment.utcoffset() else moment.strftime("%z")
    return f"{moment:%Y-%m-%d %H:%M:%S} {zone}".strip()


def table(frame: pd.DataFrame, title: str = "rows") -> str:
    """A table as HTML; folded into a scrolling ``<details>`` section when it is long."""
    body = frame.to_html(index=False, float_format=lambda v: f"{v:,.3g}", border=0, classes="t")
    if len(frame) <= FOLD_ROWS:
        return f'<div class="scroll">{body}</div>'
    summary = html.escape(f"{title}: {len(frame):,} rows (click to show)")
    return f'<details><summary>{summary}</summary><div class="scroll tall">{body}</div></details>'


def fields(rows: dict[str, object]) -> str:
    """Label-value pairs as a two-column table, leaving out the empty ones."""
    cells = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>"
        for k, v in rows.items()
        if v not in (None, "")
    )
    return f'<table class="t fields">{cells}</table>'
