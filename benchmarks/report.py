"""The suite's results as a console table, its targets (issue 7), and its BENCHMARKS.md section."""

from __future__ import annotations

from pathlib import Path

from benchmarks.measure import describe

BEGIN, END = "<!-- suite:begin (python -m benchmarks writes this) -->", "<!-- suite:end -->"
MiB, GiB = 2**20, 2**30


def _row(results: dict, prefix: str) -> dict | None:
    return next((r for r in results["cases"] if r["label"].startswith(prefix + " ")), None)


def _target(name: str, value: float | None, bound: float, unit: str, at_least: bool,
            fmt: str = "{:,.2f}") -> dict:
    met = None if value is None else (value >= bound if at_least else value <= bound)
    return {"target": name, "value": value, "bound": bound, "unit": unit,
            "comparison": ">=" if at_least else "<=", "met": met,
            "text": f"{name}: {'-' if value is None else fmt.format(value)} {unit} "
                    f"({'>=' if at_least else '<='} {fmt.format(bound)}): "
                    f"{'not run' if met is None else 'met' if met else 'MISSED'}"}


def targets(results: dict) -> list[dict]:
    """Issue 7's targets, each with its measured value (None when its case did not run)."""
    get = lambda prefix: _row(results, prefix)   # noqa: E731
    a, b, c = get("1a"), get("1b"), get("1c")
    two, floor2 = get("2a"), get("2b")
    books1, large, check = get("3a"), get("4"), get("6")
    ratio = lambda x, y, kx="timed_s", ky="timed_s": (   # noqa: E731
        x[kx] / y[ky] if x and y else None)
    out = [
        _target("1 generation alone", a and a["entries_per_s"], 250_000, "entries/s", True,
                "{:,.0f}"),
        _target("1 end to end / pyarrow alone", ratio(b, c), 1.3, "x", False),
        _target("2 speed-up of 2 workers over 1", ratio(b, two), 1.8, "x", True),
        _target("3 full pipeline, 1 worker", books1 and books1["entries_per_s"], 100_000,
                "business entries/s", True, "{:,.0f}"),
        _target("4 peak memory", large and large["peak_pss_bytes"] / GiB, 1.0, "GiB", False),
        _target("4 peak memory / case 1 end to end",
                ratio(large, b, "peak_pss_bytes", "peak_pss_bytes"), 1.5, "x", False),
        _target("6 verify time", check and check["timed_s"], 180, "s", False, "{:,.1f}"),
        _target("6 verify peak memory", check and check["peak_pss_bytes"] / GiB, 2.0, "GiB",
                False),
    ]
    # what bounds the speed-up on this machine: one worker already encodes on a second
    # thread, so two workers gain only what one worker leaves of the cores idle
    one_core = get("2c")
    for name, value in (("2 (context) 2 workers on all cores over 1 worker on one core",
                         ratio(one_core, two)),
                        ("2 (context) pyarrow alone, 2 threads over 1", ratio(c, floor2)),
                        ("2 (context) cores busy, 1 worker end to end", b and b["cores_busy"])):
        out.append({"target": name, "value": value, "bound": None, "unit": "x",
                    "comparison": None, "met": None,
                    "text": f"{name}: {'-' if value is None else f'{value:.2f}'}"})
    if check:
        out.append({"target": "6 verify passes", "value": check.get("ok"), "bound": True,
                    "unit": "", "comparison": "==", "met": bool(check.get("ok")),
                    "text": f"6 verify passes: {'met' if check.get('ok') else 'MISSED'} "
                            f"({check.get('summary') or check.get('error')})"})
    return out


def _fmt_rate(value: float | None) -> str:
    return "" if value is None else f"{value:,.0f}"


def _columns(row: dict) -> list[str]:
    output = row.get("journal_bytes") if row["label"].startswith(("1c", "2b")) else \
        row.get("output_bytes")
    return [row["label"], f"{row['timed_s']:.2f}", _fmt_rate(row.get("entries_per_s")),
            _fmt_rate(row.get("lines_per_s")), f"{row['process_wall_s']:.2f}",
            f"{row['cores_busy']:.2f}", f"{row['peak_pss_bytes'] / MiB:,.0f}",
            f"{row['peak_rss_sum_bytes'] / MiB:,.0f}",
            "" if output is None else f"{output / MiB:,.0f}"]


HEADERS = ["case", "timed s", "entries/s", "lines/s", "wall s", "cores busy",
           "peak PSS MiB", "peak RSS sum MiB", "output MiB"]


def render_table(results: dict) -> str:
    rows = [HEADERS] + [_columns(r) for r in results["cases"]]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADERS))]
    lines = ["  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i])
                       for i, cell in enumerate(row)) for row in rows]
    lines.insert(1, "-" * len(lines[0]))
    lines += ["", "targets:"] + [f"  {t['text']}" for t in results["targets"]]
    return "\n".join(lines)


def render_markdown(results: dict) -> str:
    rows = [HEADERS, ["---"] + ["---:"] * (len(HEADERS) - 1)]
    rows += [_columns(r) for r in results["cases"]]
    table = "\n".join("| " + " | ".join(r) + " |" for r in rows)
    met = "\n".join(f"- {t['text']}" for t in results["targets"])
    return f"""{BEGIN}
Machine: {describe(results['machine'])}.

```
{results['command']}
```

{table}

Targets (issue 7):

{met}
{END}"""


def update_markdown(path: Path, section: str) -> None:
    """Replace the suite's section of BENCHMARKS.md, or add it before the first ``## ``."""
    text = path.read_text()
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        heading = "## The suite (`python -m benchmarks`)\n\n" + section + "\n\n"
        at = text.find("\n## ")
        text = (text[:at + 1] + heading + text[at + 1:] if at >= 0
                else text.rstrip("\n") + "\n\n" + heading)
    path.write_text(text)
