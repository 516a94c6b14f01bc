"""Charts of the 保密办's overview, drawn as inline SVG on the server: no script, nothing
fetched, the same on an air-gapped network. Every chart is rows of stacked horizontal bars
with a table of the same numbers beside it (for screen readers, printing and copying)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

WIDTH = 640
LABEL_WIDTH = 120
VALUE_WIDTH = 60
ROW_HEIGHT = 26
BAR_HEIGHT = 18
PALETTE_SIZE = 8  # .chart-s0 … .chart-s7 in baomi.css


@dataclass
class Segment:
    value: float
    x: float
    width: float
    css: str


@dataclass
class Row:
    label: str
    total: float
    y: int
    segments: list[Segment] = field(default_factory=list)

    @property
    def end(self) -> float:
        """Where the bar ends: its total is written there."""
        return self.segments[-1].x + self.segments[-1].width if self.segments else LABEL_WIDTH


@dataclass
class Chart:
    """One chart: `series` names the stacked parts (one part: a plain bar chart)."""

    key: str
    title: str
    series: list[str]
    rows: list[Row]
    height: int
    table_header: list[str]
    table_rows: list[list[Any]]
    width: int = WIDTH
    label_width: int = LABEL_WIDTH


def bar_chart(key: str, title: str, series: list[str],
              data: Sequence[tuple[str, Sequence[float]]]) -> Chart:
    """`data`: one (label, values per series) per row, drawn top to bottom."""
    longest = max((sum(values) for _, values in data), default=0) or 1
    scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / longest
    rows = []
    for index, (label, values) in enumerate(data):
        row, x = Row(label, sum(values), index * ROW_HEIGHT), float(LABEL_WIDTH)
        for part, value in enumerate(values):
            if value:
                row.segments.append(Segment(value, x, value * scale,
                                            f"chart-s{part % PALETTE_SIZE}"))
                x += value * scale
        rows.append(row)
    header = ["", *series, *(["∑"] if len(series) > 1 else [])]
    table = [[label, *values, *([sum(values)] if len(series) > 1 else [])]
             for label, values in data]
    return Chart(key, title, series, rows, max(1, len(rows)) * ROW_HEIGHT, header, table)
