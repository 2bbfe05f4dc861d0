"""Charts drawn: in the terminal with plotille (braille dots, or plain ASCII), or as an image.

Scatter and line charts are plotille's Figure; bars are rows of block characters, which
plotille does not stack. plotille is imported only here, and this module only by `movie chart`
(start-up of every other command stays as it was); matplotlib only for `--output`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from movie.errors import MovieError, UsageError
from movie.output import visible_len, wrap_visible
from movie.results import Chart
from movie.text import visible

BRAILLE_BLANK = "\u2800"
FEW_POINTS = 200  # up to this many, a scatter's points are marks rather than braille dots
EIGHTHS = " ▏▎▍▌▋▊▉█"
IMAGE_TYPES = (".png", ".svg")
CHARTS_EXTRA = "pip install 'movie[charts]'"


def can_show(encoding: str | None) -> bool:
    """Whether the terminal's encoding has braille dots and block characters."""
    try:
        "⣿█░▏".encode(encoding or "ascii")
    except (LookupError, UnicodeEncodeError):
        return False
    return True


def _axis_labels(width: int, height: int, whole_x: bool) -> Callable[..., str]:
    """plotille's tick labels, whole numbers where the ticks are two or more apart (years,
    counts, percentages) or fall on whole units, one decimal otherwise (ratings), in place of
    its eight digits."""

    def label(value: Any, chars: int, delta: Any, left: bool = False) -> str:
        ticks = width / 10 if left else height  # x labels are left-aligned, every 10 columns
        step = abs(float(delta)) / max(ticks, 1)
        whole = step >= 2 or (left and whole_x)
        text = f"{float(value):.0f}" if whole else f"{float(value):.1f}"
        return f"{text[:chars]:<{chars}}" if left else f"{text[:chars]:>{chars}}"

    return label


# Columns a plotille figure takes besides its canvas: the y axis' labels and frame on the left,
# the arrow and the x axis' name on the right.
FRAME = 14


def _figure(chart: Chart, width: int, height: int, color: bool, unicode: bool = True) -> Any:
    import plotille  # type: ignore[import-untyped]

    figure = plotille.Figure()
    # The x axis' name goes after its arrow: on a narrow terminal it is cut short first.
    room = max(width - FRAME - 4 - 10, 2)
    cut = "…" if unicode else "~"
    x_label = chart.x_label if len(chart.x_label) <= room else chart.x_label[: room - 1] + cut
    figure.width = max(width - FRAME - len(x_label) - 4, 10)
    figure.height = max(height, 5)
    figure.with_colors = color
    figure.origin = False  # no lines through zero: the frame is the axes
    figure.x_label = x_label
    figure.y_label = chart.y_label
    labels = _axis_labels(figure.width, figure.height, chart.whole_x)
    figure.register_label_formatter(float, labels)
    figure.register_label_formatter(int, labels)
    return figure


def _limits(values: list[float], given: tuple[float, float] | None) -> tuple[float, float]:
    if given is not None:
        return given
    low, high = min(values), max(values)
    if low == high:  # one point, or all at one value: a window around it
        return low - 1, high + 1
    pad = (high - low) * 0.05
    return low - pad, high + pad


def _padded(limits: tuple[float, float], dots: int) -> tuple[float, float]:
    """Limits one dot wider at the top: plotille leaves out a point on its maximum."""
    low, high = limits
    return low, high + (high - low) / max(dots, 1)


def _whole_ticks(xs: list[float], columns: int) -> tuple[float, float]:
    """x limits whose ticks (every 10 columns) fall on whole units: from the first whole unit,
    a whole number of units per tick, past the last point (plotille leaves out its maximum)."""
    low = math.floor(min(xs))
    per_tick = 10 / max(columns, 1)  # ticks per column, times 10
    span = max(xs) - low
    step = max(math.floor(span * per_tick) + 1, 1)
    return float(low), low + step / per_tick


def _fitted(draw: Callable[[int], str], width: int) -> str:
    """A figure exactly as wide as the terminal: drawn, measured, and drawn again narrower by
    what it overshot (plotille's own frame varies with its labels)."""
    shown, asked = draw(width), width
    for _ in range(3):
        widest = max(visible_len(line) for line in shown.split("\n"))
        if widest <= width:
            break
        asked -= widest - width
        shown = draw(asked)
    return shown


def _scatter(chart: Chart, width: int, height: int, color: bool, unicode: bool) -> str:
    points = chart.picture()
    return _fitted(lambda w: _scatter_in(chart, points, w, height, color, unicode), width)


def _x_limits(chart: Chart, xs: list[float], columns: int) -> tuple[float, float]:
    if chart.whole_x and chart.x_range is None:
        return _whole_ticks(xs, columns)
    return _padded(_limits(xs, chart.x_range), columns * 2)  # braille: 2 x 4 dots a cell


def _scatter_in(
    chart: Chart, points: list[Any], width: int, height: int, color: bool, unicode: bool
) -> str:
    figure = _figure(chart, width, height, color, unicode)
    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    x_low, x_high = _x_limits(chart, xs, figure.width)
    figure.set_x_limits(x_low, x_high)
    figure.set_y_limits(*_padded(_limits(ys, chart.y_range), figure.height * 4))
    if chart.guide is not None:  # under the points, so that none is hidden by it
        (x0, y0), (x1, y1), _ = chart.guide
        figure.plot([x0, x1], [y0, y1], lc="white")
    plain = [(x, y) for x, y, p in zip(xs, ys, points, strict=True) if not p[2]]
    named = [(x, y, visible(str(p[2]))) for x, y, p in zip(xs, ys, points, strict=True) if p[2]]
    if plain:
        # A few points each get a mark that shows; thousands are braille dots, 8 to a cell.
        few = len(plain) <= FEW_POINTS
        marker = ("•" if few else None) if unicode else "o"
        figure.scatter([p[0] for p in plain], [p[1] for p in plain], lc="cyan", marker=marker)
    if named:
        figure.scatter(
            [p[0] for p in named], [p[1] for p in named], lc="red", marker="●" if unicode else "*"
        )
        _name_points(figure, named, (x_low, x_high), unicode)
    return str(figure.show())


def _name_points(
    figure: Any, named: list[tuple[float, float, str]], x_limits: tuple[float, float], unicode: bool
) -> None:
    """Each name beside its point, on the side with room (left of a point right of the middle),
    unless it would cover another name or a named point: those are in the notes under the
    picture. Rows and columns are worked out as plotille rounds them, give or take one, so a
    name keeps a cell clear of every other on its row and the rows next to it."""
    x_low, x_high = x_limits
    y_low, y_high = (float(limit) for limit in figure.y_limits())
    per_char = (x_high - x_low) / int(figure.width)
    room = max(figure.width // 2 - 2, 6)

    def row_of(y: float) -> int:
        return round((y - y_low) / ((y_high - y_low) or 1) * (int(figure.height) - 1))

    def column_of(x: float) -> int:
        return round((x - x_low) / per_char)

    # row, first and last column of each name shown, and of each named point's mark
    taken: list[tuple[int, int, int]] = [(row_of(y), column_of(x), column_of(x) + 1)
                                         for x, y, _ in named]  # fmt: skip
    texts, xs, ys = [], [], []
    for x, y, name in named:
        cut = "…" if unicode else "~"
        name = name if len(name) <= room else name[: room - 1] + cut
        right = x > (x_low + x_high) / 2
        text = f"{name} " if right else f" {name}"
        start = max(x - (len(name) + 2) * per_char, x_low) if right else x + per_char
        row, first = row_of(y), column_of(start)
        span = (row, first, first + len(text))
        own = (row, column_of(x), column_of(x) + 1)
        if any(
            abs(r - row) <= 1 and a <= span[2] and span[1] <= b
            for r, a, b in taken
            if (r, a, b) != own
        ):
            continue
        taken.append(span)
        texts.append(text)
        xs.append(start)
        ys.append(y)
    if texts:
        figure.text(xs, ys, texts, lc="red")


def _line(chart: Chart, width: int, height: int, color: bool, unicode: bool) -> str:
    points = chart.picture()

    def drawn(columns: int) -> str:
        figure = _figure(chart, columns, height, color, unicode)
        xs = [float(p[0]) for p in points]
        ys = [float(p[1]) for p in points]
        figure.set_x_limits(*_x_limits(chart, xs, figure.width))
        figure.set_y_limits(*(chart.y_range or (0.0, max(ys) * 1.05 or 1.0)))
        figure.plot(xs, ys, lc="cyan")
        return str(figure.show())

    return _fitted(drawn, width)


def _bar(value: float, scale: float, cells: int, unicode: bool) -> str:
    """A bar of value on a scale that fills cells characters, in eighths of a cell."""
    if scale <= 0 or value <= 0:
        return ""
    eighths = round(min(value / scale, 1.0) * cells * 8)
    if not unicode:
        return "#" * math.ceil(eighths / 8)
    return "█" * (eighths // 8) + (EIGHTHS[eighths % 8] if eighths % 8 else "")


COLOURS = ("\x1b[32m", "\x1b[31m", "\x1b[90m")  # stacked parts: green, red, grey
RESET = "\x1b[0m"


def _bars(chart: Chart, width: int, unicode: bool, color: bool) -> str:
    """One row per bar: its label, the bar (its parts side by side when stacked), its text."""
    rows = chart.picture()
    labels = [visible(str(r[0])) for r in rows]
    label_width = min(max(len(chart.y_label), *(len(t) for t in labels)), max(width // 4, 8))
    text_room = max(width - label_width - 4 - 8, 8)  # at least 8 cells for the bar itself
    texts = [visible(str(r[-1]))[:text_room] for r in rows]
    cells = max(width - label_width - max(len(t) for t in texts) - 4, 4)
    parts = [[max(float(v), 0.0) for v in r[1:-1]] for r in rows]
    scale = chart.x_range[1] if chart.x_range else max(sum(p) for p in parts)
    fills = ("█", "░", "▒") if unicode else ("#", "-", ".")
    frame = "│" if unicode else "|"
    lines = [f"{chart.y_label[:label_width]:<{label_width}} {frame} {chart.x_label}"]
    for values, label, text in zip(parts, labels, texts, strict=True):
        if len(values) == 1:
            bar = _bar(values[0], scale, cells, unicode)
        else:  # each part ends where the running total ends, so the whole is exact
            ends = [
                round(min(sum(values[: k + 1]) / scale, 1.0) * cells) if scale else 0
                for k in range(len(values))
            ]
            starts = [0, *ends[:-1]]
            pieces = [
                fill * (end - start) for fill, start, end in zip(fills, starts, ends, strict=False)
            ]
            bar = "".join(pieces) + " " * (cells - ends[-1])
            if color:
                bar = "".join(
                    f"{c}{p}{RESET}" if p else "" for c, p in zip(COLOURS, pieces, strict=False)
                )
                bar += " " * (cells - ends[-1])
        lines.append(f"{label[:label_width]:<{label_width}} {frame} {bar:<{cells}} {text}")
    if chart.series:
        tint = COLOURS if color else ("", "", "")
        legend = "  ".join(
            f"{c}{fill}{RESET if color else ''} {name}"
            for c, fill, name in zip(tint, fills, chart.series, strict=False)
        )
        lines.append(f"{'':<{label_width}}   {legend}")
    return "\n".join(line.rstrip() for line in lines)


DRAW: dict[str, Callable[[Chart, int, int, bool, bool], str]] = {
    "scatter": _scatter,
    "line": _line,
    "bars": lambda chart, width, height, color, unicode: _bars(chart, width, unicode, color),
    "stacked": lambda chart, width, height, color, unicode: _bars(chart, width, unicode, color),
}


def draw(chart: Chart, width: int, height: int, color: bool, unicode: bool) -> str:
    """The chart as text for a terminal width columns wide: its title, the picture, its notes."""
    picture = DRAW[chart.kind](chart, width, height, color, unicode)
    if not unicode:
        picture = picture.replace(BRAILLE_BLANK, " ")
        picture = "".join(c if ord(c) < 0x2800 or ord(c) > 0x28FF else "." for c in picture)
    title = visible(chart.title)
    title = f"\x1b[1m{title}\x1b[0m" if color else title
    notes = [
        wrap_visible(visible(note), width) for note in (*chart.notes, *chart.remarks)
    ]  # (a note as wide as the terminal, like the picture)
    return "\n".join([title, "", picture.rstrip("\n"), *(["", *notes] if notes else [])])


# ---------------------------------------------------------------- images


def check_image_path(path: Path) -> None:
    """An image is written as .png or .svg; anything else is refused before any work."""
    if path.suffix.lower() not in IMAGE_TYPES:
        raise UsageError(f"--output {path}: give a .png or .svg file")


def save_image(chart: Chart, path: Path) -> None:
    """The chart as a PNG or SVG file (matplotlib, from the charts extra)."""
    check_image_path(path)
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise MovieError(f"--output needs matplotlib: {CHARTS_EXTRA}") from None
    rows = chart.picture()
    # Titles and names are text, never formulas: "$x^{$" would be a mathtext error.
    with matplotlib.rc_context({"text.parse_math": False}):
        figure, axes = plt.subplots(
            figsize=(10, 6 if chart.kind in ("scatter", "line") else max(3, len(rows) * 0.3 + 1))
        )
        try:
            _draw(chart, rows, axes)
            figure.tight_layout()
            _write_atomically(
                path,
                lambda target: figure.savefig(target, format=_kind(path), bbox_inches="tight"),
            )
        finally:
            plt.close(figure)


def _kind(path: Path) -> str:
    return path.suffix.lower().lstrip(".")


def _write_atomically(path: Path, write: Callable[[str], None]) -> None:
    """Written as `movie export` writes: to a temporary file in the same folder, then renamed
    over the path, so a failed write leaves no truncated file and a link at the path is
    replaced, never followed."""
    import os
    import tempfile

    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise MovieError(f"cannot write {path}: {exc.strerror or exc}") from exc
    os.close(fd)
    try:
        write(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as exc:
        raise MovieError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _margined(limits: tuple[float, float]) -> tuple[float, float]:
    low, high = limits
    return low - (high - low) * 0.03, high + (high - low) * 0.03


PALETTE = ("crimson", "darkorange", "forestgreen", "purple", "saddlebrown", "deeppink", "teal")
MARKERS = ("o", "s", "^", "D", "v", "P", "X")


def _draw(chart: Chart, rows: list[Any], axes: Any) -> None:
    """The chart on matplotlib's axes."""
    if chart.kind == "scatter":
        if chart.guide is not None:
            (x0, y0), (x1, y1), meaning = chart.guide
            axes.plot([x0, x1], [y0, y1], linestyle="--", color="grey", linewidth=1, label=meaning)
        plain = [r for r in rows if not r[2]]
        axes.scatter([r[0] for r in plain], [r[1] for r in plain], s=12, color="steelblue")
        # Each named point its own colour and marker, named in the legend beside the axes:
        # names never cover each other, a point or an axis.
        for k, row in enumerate(r for r in rows if r[2]):
            axes.scatter(
                [row[0]], [row[1]], s=60, color=PALETTE[k % len(PALETTE)],
                marker=MARKERS[k % len(MARKERS)], edgecolors="black", linewidths=0.5,
                label=row[3] if len(row) > 3 else row[2], zorder=3,
            )  # fmt: skip
        # A point on a limit is drawn whole: the axes reach a little past the range.
        if chart.y_range:
            axes.set_ylim(*_margined(chart.y_range))
        if chart.x_range:
            axes.set_xlim(*_margined(chart.x_range))
        if chart.whole_x:
            from matplotlib.ticker import MaxNLocator

            axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        if any(r[2] for r in rows) or chart.guide is not None:
            axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    elif chart.kind == "line":
        axes.plot([r[0] for r in rows], [r[1] for r in rows])
        if chart.whole_x:
            from matplotlib.ticker import MaxNLocator

            axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        labels = [str(r[0]) for r in rows]
        left = [0.0] * len(rows)
        colours = ("seagreen", "firebrick", "silver")
        for k, name in enumerate(chart.series or ("",)):
            widths = [float(r[1 + k]) for r in rows]
            axes.barh(labels, widths, left=left, color=colours[k % 3], label=name or None)
            left = [a + b for a, b in zip(left, widths, strict=True)]
        # Each bar's numbers at its end, as on a terminal, inside axes wide enough to hold them.
        for k, (row, end) in enumerate(zip(rows, left, strict=True)):
            axes.text(end, k, f" {row[-1]}", va="center", fontsize=7, clip_on=True)
        high = max((chart.x_range or (0.0, 0.0))[1], max(left, default=0.0)) or 1.0
        axes.set_xlim(0, high * 1.45)
        if chart.x_range:  # a scale that ends (ratings): no ticks past its end
            axes.set_xticks([t for t in axes.get_xticks() if 0 <= t <= chart.x_range[1]])
        if chart.series:
            axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
        axes.invert_yaxis()
    import textwrap

    # Wrapped here: matplotlib's own wrapping (wrap=True) reads "$...$" as a formula.
    axes.set_title("\n".join(textwrap.wrap(chart.title, 100)), fontsize=10)
    if chart.remarks:
        axes.annotate(
            "\n".join(chart.remarks), xy=(0, 0), xycoords="axes fraction", xytext=(0, -36),
            textcoords="offset points", va="top", fontsize=8, color="dimgrey",
        )  # fmt: skip
    axes.set_xlabel(chart.x_label)
    axes.set_ylabel(chart.y_label)
