"""The analysis screen's tables: each is filled from a result of :mod:`annotations.analysis` and
remembers, for each cell (or row), the passages behind its number, so Enter can list them.

The fill functions only draw; they compute nothing but a bar's height. Codes, titles and entity
names come from the store and the corpus, so every cell is made inert.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from annotations.analysis import CodeMatrix
from annotations.analysis_cooccurrence import Cooccurrence
from annotations.analysis_entities import CodeEntities, EntityId
from reader.app.widgets.fitted_table import cut
from reader.safe_text import inert

#: Eight heights of a bar (and a blank for none): one character a month in the timeline.
BLOCKS = " \u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"
#: Widest a matrix column's heading (an article's title, a source) is drawn.
HEADING_WIDTH = 12
#: A row-wide drill-down: Enter anywhere on the row lists these passages.
WHOLE_ROW = -1
#: The most columns a matrix shows (those with the most passages) and rows a list shows: a
#: terminal table of 10,000 articles helps nobody; ``reader report`` writes them all.
MAX_COLUMNS = 40
MAX_ROWS = 1000


def bars(counts: list[int]) -> str:
    """One block character a count, as high as the count against the largest (blank for 0)."""
    most = max(counts, default=0)
    return "".join(BLOCKS[0 if n == 0 or most == 0 else max(1, round(8 * n / most))] for n in counts)


def shortened(heading: str) -> str:
    """A column heading of at most :data:`HEADING_WIDTH` characters, an ellipsis where cut."""
    return heading if len(heading) <= HEADING_WIDTH else heading[: HEADING_WIDTH - 1] + "\u2026"


def number(count: int) -> Text:
    """A count, right-aligned; a zero is a dim dot so the counts that matter stand out."""
    return Text(str(count), justify="right") if count else Text("\u00b7", style="dim", justify="right")


class AnalysisTable(DataTable[Text]):
    """A table of the analysis screen: j and k move as arrows do; Enter lists the passages of the
    cell under the cursor (``drill``: what each cell holds, by (row, column), or by (row, -1))."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="analysis.down"),
        Binding("k", "cursor_up", "Up", show=False, id="analysis.up"),
    ]

    def __init__(self, **options: object) -> None:
        super().__init__(zebra_stripes=True, **options)  # type: ignore[arg-type]
        self.drill: dict[tuple[int, int], tuple[str, Sequence[str]]] = {}

    def reset(self, *headings: str | Text) -> None:
        """Empty the table and give it these columns."""
        self.clear(columns=True)
        self.drill = {}
        for heading in headings:
            self.add_column(heading)

    def chosen(self) -> tuple[str, Sequence[str]] | None:
        """What the cursor is on: a description for people and its passages' ids, or None."""
        if not self.row_count:
            return None
        row, column = self.cursor_coordinate
        return self.drill.get((row, column)) or self.drill.get((row, WHOLE_ROW))


def busiest(matrix: CodeMatrix, limit: int = MAX_COLUMNS) -> list[str]:
    """The ``limit`` columns with the most passages, in the matrix's order."""
    if len(matrix.columns) <= limit:
        return matrix.columns
    totals = matrix.column_totals()
    kept = set(sorted(matrix.columns, key=lambda column: -totals[column])[:limit])
    return [column for column in matrix.columns if column in kept]


def add_more_row(table: AnalysisTable, left: int, what: str) -> None:
    """A last, dim row saying how many were left out of the table, and where to see them all."""
    if left > 0:
        more = Text(f"\u2026 {left} more {what}", style="dim")
        table.add_row(more, *[Text("") for _ in range(len(table.columns) - 1)])


def fill_matrix(table: AnalysisTable, matrix: CodeMatrix) -> None:
    """Codes down, articles (months, sources) across; a cell holds its code's passages there.
    Of many columns, those with the most passages are shown (the total counts every one)."""
    columns = busiest(matrix)
    headings = [shortened(inert(matrix.labels[column])) for column in columns]
    table.reset("Code", "Total", *headings)
    for row, code in enumerate(matrix.codes):
        name = inert(matrix.spelling[code])
        everything = matrix.row(code)  # found only when listed, in a matrix of counts
        counts = [matrix.count(code, column) for column in columns]
        table.add_row(Text(name, style="bold"), number(matrix.total(code)), *map(number, counts))
        table.drill[(row, WHOLE_ROW)] = (name, everything)
        for index, column in enumerate(columns, start=2):
            label = inert(matrix.labels[column])
            table.drill[(row, index)] = (f"{name} in {label}", matrix.passages(code, column))
    add_more_row(table, len(matrix.columns) - len(columns), f"{matrix.by} columns")


def fill_cooccurrence(table: AnalysisTable, result: Cooccurrence) -> None:
    """One row a pair of codes that meet, most co-occurrences first, with n1, n2, n12 and c."""
    table.reset("Code 1", "Code 2", "n1", "n2", "n12", "c")
    meeting = result.meeting()
    for row, (one, two) in enumerate(meeting[:MAX_ROWS]):
        names = inert(result.spelling[one]), inert(result.spelling[two])
        c = result.coefficient(one, two)
        table.add_row(
            cut(names[0], style="bold"),
            cut(names[1], style="bold"),
            number(result.frequency[one]),
            number(result.frequency[two]),
            number(result.n12(one, two)),
            Text("\u2014" if c is None else f"{c:.2f}", justify="right"),
        )
        table.drill[(row, WHOLE_ROW)] = (f"{names[0]} with {names[1]}", tuple(result.passages(one, two)))
    add_more_row(table, len(meeting) - MAX_ROWS, "pairs")


def fill_timeline(table: AnalysisTable, timeline: CodeMatrix, bar_style: Style) -> None:
    """Codes down; a trend of bars (one a month) then the count of each month (and undated)."""
    months = timeline.columns
    table.reset("Code", "Total", "Trend", *months)
    dated = [index for index, month in enumerate(months) if month[:1].isdigit()]
    for row, code in enumerate(timeline.codes):
        name = inert(timeline.spelling[code])
        counts = timeline.counts(code)
        trend = Text(bars([counts[index] for index in dated]), style=bar_style)
        table.add_row(Text(name, style="bold"), number(sum(counts)), trend, *map(number, counts))
        everything = tuple(timeline.row(code))
        table.drill[(row, WHOLE_ROW)] = (name, everything)
        for index, month in enumerate(months, start=3):
            table.drill[(row, index)] = (f"{name} in {month}", tuple(timeline.passages(code, month)))


def fill_entities(
    table: AnalysisTable,
    result: CodeEntities,
    names: dict[EntityId, str],
    style_of: Callable[[str], Style],
    by_entity: bool = False,
) -> None:
    """The entities in each code's passages (by code, most mentions first), or with
    ``by_entity`` the codes of the passages that mention each entity."""

    def entity_cells(entity: EntityId) -> tuple[Text, Text]:
        return cut(Text(inert(names.get(entity, entity[0])), style=style_of(entity[1]))), cut(entity[1], style="dim")

    if by_entity:
        table.reset("Entity", "Label", "Code", "Mentions", "Passages")
        rows = [(entity, code, cell) for entity in result.entities for code, cell in result.of_entity(entity)]
    else:
        table.reset("Code", "Entity", "Label", "Mentions", "Passages")
        rows = [(entity, code, cell) for code in result.codes for entity, cell in result.of_code(code)]
    for row, (entity, code, cell) in enumerate(rows[:MAX_ROWS]):
        code_cell = cut(inert(result.spelling[code]), style="bold")
        name, label = entity_cells(entity)
        counts = number(cell.mentions), number(len(cell.passages))
        table.add_row(*((name, label, code_cell) if by_entity else (code_cell, name, label)), *counts)
        table.drill[(row, WHOLE_ROW)] = (f"{name.plain} in {code_cell.plain}", cell.passages)
    add_more_row(table, len(rows) - MAX_ROWS, "rows")
