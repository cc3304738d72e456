#!/usr/bin/env python3
"""`make bench`: time `proposal-diff report` end to end on synthetic data,
in one run with its references, and write bench/RESULTS.md.

For each size (about 1 and 10 million proposal rows over 10 years, made by
`generate` in bench/data, kept out of git) it measures, one after another:

- the parse floor: a csv-crate pass over the same files that only counts
  records (bench/parse_floor.rs);
- `report`, with its peak memory and the bytes it wrote;
- the write floor: writing files of the same names and sizes from memory
  (bench/write_floor.rs), the median of three runs;
- `report --tables parquet`;
- two DuckDB peers (installed from the Python registry into bench/.venv),
  each beside `report --only` on the same work:
  - the theme diff alone (bench/peer.sql) against `--only theme_changes`;
  - the four long tables `report` writes (bench/peer_tables.sql:
    theme_changes, delegate_changes, theme_history, proposals) against
    `--only` those four. This peer is given `report`'s name and theme
    resolution (its normalization.csv, made untimed) and does the rest;
- the CSV writers in isolation, on the tables `report` wrote
  (bench/csv_writers.rs): the hand-written candidate against the csv crate.

Before the sizes, the long-tables peer is checked against `report` on about
200,000 rows: both outputs sorted and compared (bench/compare_peer.py).

Sizes can be chosen: bench/run.py 1000000.
"""
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
BIN = os.path.join(TARGET, "release", "proposal-diff")
PARSE_FLOOR = os.path.join(TARGET, "release", "parse_floor")
WRITE_FLOOR = os.path.join(TARGET, "release", "write_floor")
CSV_WRITERS = os.path.join(TARGET, "release", "csv_writers")
DATA = os.path.join(BENCH, "data")
VENV = os.path.join(BENCH, ".venv")
PEER_PYTHON = os.path.join(VENV, "bin", "python")
# About 7.5 proposals per delegate over 10 years (terms and gaps).
ROWS_PER_DELEGATE = 7.49
MEMORY_CAP = 20 << 30  # address space: stop a run before it takes the 24 GiB machine down
GIB = 1 << 30
TARGET_MEMORY = 4 * GIB
# The four long tables the second peer writes, as `report --only` names them.
LONG_TABLES = "theme_changes,delegate_changes,theme_history,proposals"
# The size on which the long-tables peer's rows are checked against report's.
CHECK_ROWS = 200_000


def limit():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def timed(cmd, env=None, trace=None):
    """Runs cmd alone; returns (seconds, its own peak RSS in bytes, exit code, output).
    With `trace` (a list), the `trace:` lines of its stderr are appended to it."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.monotonic()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, preexec_fn=limit,
                             env={**os.environ, **(env or {})})
        # wait4 gives this child's own rusage: ru_maxrss is its peak (KiB on Linux).
        _, status, usage = os.wait4(p.pid, 0)
        seconds = time.monotonic() - start
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        errors = err.read()
        if trace is not None:
            trace.extend(line for line in errors.splitlines() if line.startswith("trace:"))
            errors = "\n".join(line for line in errors.splitlines() if not line.startswith("trace:"))
        text = out.read().strip() or errors.strip()[-300:]
    return seconds, usage.ru_maxrss * 1024, code, text


def must(what, result):
    seconds, rss, code, text = result
    if code != 0:
        sys.exit(f"{what} failed (exit {code}): {text}")
    return seconds, rss, text


def peer_environment():
    """bench/.venv with the pinned DuckDB, made on first use."""
    if not os.path.exists(PEER_PYTHON):
        print(f"creating {VENV} with DuckDB", flush=True)
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    subprocess.run([PEER_PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "-r", os.path.join(BENCH, "requirements.txt")], check=True)


def machine():
    cpu = "unknown cpu"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / GIB
    except (OSError, ValueError):
        mem = 0
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB memory, {platform.system()} {platform.release()}"


def tree_bytes(path):
    total = 0
    for base, _, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(base, name))
    return total


def proposal_rows(data):
    rows = 0
    for name in sorted(os.listdir(os.path.join(data, "proposals"))):
        with open(os.path.join(data, "proposals", name), "rb") as f:
            rows += sum(1 for _ in f) - 1
    return rows


def dataset(target_rows):
    """bench/data/rows-N, generated on first use."""
    delegates = int(target_rows / ROWS_PER_DELEGATE)
    data = os.path.join(DATA, f"rows-{target_rows}")
    if not os.path.isdir(os.path.join(data, "proposals")):
        print(f"generating ~{target_rows:,} rows in {data}", flush=True)
        subprocess.run([BIN, "generate", "--delegates", str(delegates), "--years", "10",
                        "--seed", "1", "--out", data], check=True)
    return data


def lookup(data, target_rows):
    """report's name and theme resolution (normalization.csv), which the
    long-tables peer is given: made untimed, outside both timings."""
    out = os.path.join(DATA, f"lookup-{target_rows}")
    shutil.rmtree(out, ignore_errors=True)
    must("report --only normalization",
         timed([BIN, "--datasets", data, "report", "--quiet", "--only", "normalization", "--out", out]))
    return os.path.join(out, "normalization.csv")


def peer(sql, data, out, *extra):
    """Runs one DuckDB peer; returns (seconds, peak bytes, DuckDB version),
    the seconds None when it failed (the run goes on: the table says so)."""
    shutil.rmtree(out, ignore_errors=True)
    s, rss, code, text = timed([PEER_PYTHON, os.path.join(BENCH, "peer.py"), sql, data, out, *extra])
    if code != 0:
        print(f"DuckDB peer {sql} failed (exit {code}): {text}", flush=True)
        return None, rss, ""
    return s, rss, text


def only(data, out, tables):
    """`report --only tables`; returns (seconds, peak bytes), the seconds
    None when it failed (as a failed full `report`, it does not stop the run)."""
    shutil.rmtree(out, ignore_errors=True)
    s, rss, code, text = timed([BIN, "--datasets", data, "report", "--quiet", "--only", tables,
                                "--out", out])
    if code != 0:
        print(f"report --only {tables} failed (exit {code}): {text}", flush=True)
        return None, rss
    return s, rss


def seconds(x):
    return f"{x:.1f}" if x is not None else "failed"


def ratio(ours, theirs):
    return f"{ours / theirs:.2f}x" if ours is not None and theirs else ""


def check_peer():
    """The long-tables peer against `report --only` on about 200,000 rows:
    sorted outputs compared. Returns (rows, equal, what compare_peer.py said)."""
    data = dataset(CHECK_ROWS)
    ours = os.path.join(DATA, "check-report")
    theirs = os.path.join(DATA, "check-peer")
    only(data, ours, LONG_TABLES)
    peer("peer_tables.sql", data, theirs, lookup(data, CHECK_ROWS))
    p = subprocess.run([sys.executable, os.path.join(BENCH, "compare_peer.py"), ours, theirs],
                       capture_output=True, text=True)
    for d in (ours, theirs, os.path.join(DATA, f"lookup-{CHECK_ROWS}")):
        shutil.rmtree(d, ignore_errors=True)
    said = (p.stdout + p.stderr).strip()
    print(f"long-tables peer against report on {proposal_rows(data):,} rows: "
          f"{'equal' if p.returncode == 0 else 'DIFFERENT'}\n{said}", flush=True)
    return proposal_rows(data), p.returncode == 0, said


def measure(target_rows):
    data = dataset(target_rows)
    r = {"rows": proposal_rows(data), "input": tree_bytes(data)}

    r["floor"], _, out = must("parse floor", timed([PARSE_FLOOR, data]))
    r["records"] = int(out)
    print(f"{r['rows']:,} proposal rows: parse floor {r['floor']:.2f} s", flush=True)

    out_dir = os.path.join(DATA, f"reports-{target_rows}")
    # The stage trace costs a read of /proc/self/status per stage: nothing
    # measurable beside the run, and it shows where the time goes.
    r["trace"] = []
    s, rss, code, msg = timed([BIN, "--datasets", data, "report", "--quiet", "--out", out_dir],
                              env={"PROPOSAL_DIFF_TRACE": "1"}, trace=r["trace"])
    r["report"], r["rss"] = s, rss
    r["status"] = "ok" if code == 0 else f"failed (exit {code}: {msg.splitlines()[-1] if msg else 'killed'})"
    print(f"report: {s:.1f} s, peak {rss / GIB:.2f} GiB, {r['status']}", flush=True)
    if code == 0:
        r["output"] = tree_bytes(out_dir)
        scratch = os.path.join(DATA, "write-floor")
        runs = []
        for _ in range(3):
            shutil.rmtree(scratch, ignore_errors=True)
            runs.append(must("write floor", timed([WRITE_FLOOR, out_dir, scratch]))[0])
        shutil.rmtree(scratch, ignore_errors=True)
        r["write_floor"] = statistics.median(runs)
        print(f"write floor: {r['write_floor']:.2f} s for {r['output'] / GIB:.2f} GiB "
              f"(runs: {', '.join(f'{x:.2f}' for x in runs)})", flush=True)
        _, _, out = must("CSV writers", timed([CSV_WRITERS, out_dir]))
        # name, bytes, hand-written, crate by cell, crate by record (seconds)
        r["writers"] = [line.split() for line in out.splitlines() if len(line.split()) == 5]
        hand = sum(float(w[2]) for w in r["writers"])
        cell = sum(float(w[3]) for w in r["writers"])
        print(f"CSV writers: hand-written {hand:.2f} s, csv crate {cell:.2f} s", flush=True)
    # The reports of the largest size take gigabytes: keep only what was measured.
    shutil.rmtree(out_dir, ignore_errors=True)
    for leftover in os.listdir(DATA):
        if leftover.startswith(f".reports-{target_rows}."):
            shutil.rmtree(os.path.join(DATA, leftover), ignore_errors=True)

    pq_dir = os.path.join(DATA, f"parquet-{target_rows}")
    s, rss, code, msg = timed([BIN, "--datasets", data, "report", "--quiet", "--tables", "parquet",
                               "--out", pq_dir])
    r["parquet"], r["parquet_rss"] = (s, rss) if code == 0 else (None, rss)
    r["parquet_output"] = tree_bytes(pq_dir) if code == 0 else 0
    shutil.rmtree(pq_dir, ignore_errors=True)
    print(f"report --tables parquet: {s:.1f} s, peak {rss / GIB:.2f} GiB, exit {code}", flush=True)

    # Like with like: each peer beside `report --only` the same tables.
    scratch = os.path.join(DATA, f"only-{target_rows}")
    r["only_theme"], r["only_theme_rss"] = only(data, scratch, "theme_changes")
    r["peer"], r["peer_rss"], r["peer_version"] = peer("peer.sql", data, scratch)
    print(f"theme diff: report --only theme_changes {seconds(r['only_theme'])} s, "
          f"DuckDB {r['peer_version']} peer {seconds(r['peer'])} s", flush=True)
    r["only_long"], r["only_long_rss"] = only(data, scratch, LONG_TABLES)
    r["long_output"] = tree_bytes(scratch)
    try:
        resolution = lookup(data, target_rows)
    except SystemExit as failed:  # the peer cannot run without it
        print(failed, flush=True)
        resolution = None
    if resolution is None:
        r["peer_long"], r["peer_long_rss"] = None, 0
    else:
        r["peer_long"], r["peer_long_rss"], _ = peer("peer_tables.sql", data, scratch, resolution)
        shutil.rmtree(os.path.dirname(resolution), ignore_errors=True)
    shutil.rmtree(scratch, ignore_errors=True)
    print(f"long tables: report --only {seconds(r['only_long'])} s, peer {seconds(r['peer_long'])} s",
          flush=True)
    return r


def verdict(ok):
    return "met" if ok else "**missed**"


def write_results(results, checked):
    path = os.path.join(BENCH, "RESULTS.md")
    check_rows, check_equal, check_said = checked
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (bench/run.py), every number below from one run. `report` end to end",
        "in release mode on synthetic datasets from `proposal-diff generate --years 10 --seed 1`, beside:",
        "",
        "- the **parse floor**: one pass of the csv crate over the same files that only counts records;",
        "- the **write floor**: writing files of the same names and sizes as `report`'s output from",
        "  memory, through the same 1 MiB buffers (median of three runs);",
        "- two **DuckDB peers**, each beside `report --only` the same tables (second table):",
        "  - the **theme-diff peer** (bench/peer.sql): split the theme phrases, map them through the",
        "    taxonomy (lowercase and trim only), full-join each year with the next per delegate, write",
        "    the new, dropped and recurring rows, unsorted; against `report --only theme_changes`;",
        "  - the **long-tables peer** (bench/peer_tables.sql): the four long tables `report` writes",
        "    (theme_changes, delegate_changes, theme_history, proposals) with the same rows, unsorted;",
        "    against `report --only` those four. It is given `report`'s resolution of names and theme",
        "    phrases (its normalization.csv, made untimed), which SQL would not reproduce; it does the",
        "    splitting, mapping, diffs, history, joins and writing itself.",
        "",
        f"The long-tables peer, checked on {check_rows:,} rows (bench/compare_peer.py, sorted outputs "
        f"compared): **{'the same rows' if check_equal else 'DIFFERENT rows'}**.",
        "",
        "```",
        *check_said.splitlines(),
        "```",
        "",
        f"Machine: {machine()}.",
        "",
        "| Proposal rows | Parse floor (s) | Write floor (s) | Output (GiB) | report (s) | Peak memory (GiB) "
        "| Ratio to floors | `--tables parquet` (s) | Parquet output (GiB) | Status |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        pq = f"{r['parquet']:.1f}" if r["parquet"] is not None else "failed"
        if r["status"] != "ok":
            lines.append(f"| {r['rows']:,} | {r['floor']:.2f} | | | {r['report']:.1f} | {r['rss'] / GIB:.2f} "
                         f"| | {pq} | {r['parquet_output'] / GIB:.2f} | {r['status']} |")
            continue
        floors = r["floor"] + r["write_floor"]
        lines.append(
            f"| {r['rows']:,} | {r['floor']:.2f} | {r['write_floor']:.2f} | {r['output'] / GIB:.2f} "
            f"| {r['report']:.1f} | {r['rss'] / GIB:.2f} | {r['report'] / floors:.1f}x "
            f"| {pq} | {r['parquet_output'] / GIB:.2f} | ok |"
        )
    lines += [
        "",
        "Like with like:",
        "",
        "| Proposal rows | `--only theme_changes` (s) | Theme-diff peer (s) | Ours ÷ peer "
        "| `--only` four long tables (s) | Long-tables peer (s) | Ours ÷ peer "
        "| Our four tables' output (GiB) | Peak: ours / peers' (GiB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['rows']:,} | {seconds(r['only_theme'])} | {seconds(r['peer'])} "
            f"| {ratio(r['only_theme'], r['peer'])} "
            f"| {seconds(r['only_long'])} | {seconds(r['peer_long'])} "
            f"| {ratio(r['only_long'], r['peer_long'])} "
            f"| {r['long_output'] / GIB:.2f} "
            f"| {r['only_theme_rss'] / GIB:.2f}, {r['only_long_rss'] / GIB:.2f} / "
            f"{r['peer_rss'] / GIB:.2f}, {r['peer_long_rss'] / GIB:.2f} |"
        )
    lines += ["", "Targets (issue 28), as measured in this run:", ""]
    def faster(ours, theirs):
        if ours is None or theirs is None:
            return "not measured: a run failed (above)"
        return f"{verdict(ours < theirs)} ({ours:.1f} s against {theirs:.1f} s)"

    for r in results:
        lines.append(f"- {r['rows']:,} rows: the theme diff faster than the DuckDB peer: "
                     f"{faster(r['only_theme'], r['peer'])}.")
        lines.append(f"- {r['rows']:,} rows: the four long tables faster than the DuckDB peer: "
                     f"{faster(r['only_long'], r['peer_long'])}.")
        if r["status"] != "ok":
            lines.append(f"- {r['rows']:,} rows: `report` {r['status']}.")
            continue
        floors = r["floor"] + r["write_floor"]
        if r["rows"] >= 5_000_000:
            lines.append(f"- {r['rows']:,} rows: full `report` within 1.5x (parse floor + write floor) = "
                         f"{1.5 * floors:.1f} s: {verdict(r['report'] <= 1.5 * floors)} ({r['report']:.1f} s).")
            lines.append(f"- {r['rows']:,} rows: peak memory under 4 GiB: "
                         f"{verdict(r['rss'] < TARGET_MEMORY)} ({r['rss'] / GIB:.2f} GiB).")
    lines += ["", *projection(results), "", *writers(results)]
    for r in results:
        lines += stages(r)
    kept = ""
    if os.path.exists(path):
        with open(path) as f:
            old = f.read()
        marker = "## Where this stands"
        if marker in old:
            kept = old[old.index(marker):]
    with open(path, "w") as f:
        f.write("\n".join(lines) + ("\n" + kept if kept else ""))
    print(f"wrote {path}")


# trace:   12.34 s  rss   1234 MiB  peak   1234 MiB  name
TRACE_LINE = re.compile(r"trace:\s+(?P<at>[\d.]+) s\s+rss\s+(?P<rss>\d+) MiB\s+peak\s+(?P<peak>\d+) MiB\s+(?P<name>.+)$")


def stages(r):
    """The stage trace of the timed `report` run, one row per pipeline stage."""
    rows = []
    previous = 0.0
    for line in r.get("trace", []):
        m = TRACE_LINE.match(line)
        if not m or m["name"].startswith("wrote ") or m["name"] == "start":
            continue
        at, rss, peak, name = float(m["at"]), int(m["rss"]), int(m["peak"]), m["name"]
        rows.append(f"| {name} | {at:.1f} | {at - previous:.1f} | {rss:,} | {peak:,} |")
        previous = at
    if not rows:
        return []
    return [
        f"## Where the time and memory go at {r['rows']:,} rows",
        "",
        "The timed `report` run above, traced (`PROPOSAL_DIFF_TRACE=1`): each stage's end, the time since",
        "the mark before it, and the resident memory then. History and follow-up run beside each other,",
        "and the two halves of rendering too, so their marks interleave; the year pairs are diffed in",
        "the first half of rendering, as their tables are written (`diff`).",
        "",
        "| Stage | Ends at (s) | Since the previous mark (s) | Resident (MiB) | Peak so far (MiB) |",
        "|---|---:|---:|---:|---:|",
        *rows,
        "",
    ]


def writers(results):
    """The CSV writers in isolation, per size: all tables together."""
    done = [r for r in results if r.get("writers")]
    if not done:
        return []
    lines = [
        "## The CSV writers in isolation",
        "",
        "bench/csv_writers.rs: every record of the CSV tables `report` wrote, read untimed in batches",
        "of 50,000, then written to memory by each writer three times (the fastest counts), the outputs",
        "checked equal. The tables write a cell at a time, so that is the crate's fair use; a whole",
        "record at a time needs a copy of every cell into the record first. The design keeps a",
        "hand-written writer only if it beats the crate by 20% or more on the 10M tables.",
        "",
        "| Proposal rows | Bytes (GiB) | Hand-written (s) | csv crate, by cell (s) | csv crate, by record (s) "
        "| Crate by cell over hand-written |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in done:
        w = r["writers"]
        size = sum(int(x[1]) for x in w)
        hand, cell, rec = (sum(float(x[i]) for x in w) for i in (2, 3, 4))
        lines.append(f"| {r['rows']:,} | {size / GIB:.2f} | {hand:.2f} | {cell:.2f} | {rec:.2f} "
                     f"| {cell / hand:.2f}x |")
    return lines + [""]


def projection(results):
    """Per-row costs of the largest size measured, scaled to 100 million rows."""
    done = [r for r in results if r["status"] == "ok"]
    if not done:
        return []
    r = max(done, key=lambda x: x["rows"])
    scale = 100_000_000 / r["rows"]
    per_row = r["rss"] / r["rows"]
    return [
        "## Projection to 100 million rows (from this run's largest size, scaled linearly)",
        "",
        "| | Per proposal row | At 100 million rows |",
        "|---|---:|---:|",
        f"| Input read | {r['input'] / r['rows']:.0f} B | {r['input'] * scale / GIB:.0f} GiB |",
        f"| CSV reports written | {r['output'] / r['rows']:.0f} B | {r['output'] * scale / GIB:.0f} GiB |",
        f"| Parquet tables written | {r['parquet_output'] / r['rows']:.0f} B "
        f"| {r['parquet_output'] * scale / GIB:.0f} GiB |",
        f"| Peak memory of `report` | {per_row:.0f} B | {r['rss'] * scale / GIB:.0f} GiB |",
        f"| Time of `report` | {r['report'] / r['rows'] * 1e6:.1f} µs | {r['report'] * scale / 60:.0f} min |",
        f"| Parse floor + write floor | {(r['floor'] + r['write_floor']) / r['rows'] * 1e6:.1f} µs "
        f"| {(r['floor'] + r['write_floor']) * scale / 60:.1f} min |",
    ] + [
        f"| {name} | {x / r['rows'] * 1e6:.1f} µs | {x * scale / 60:.1f} min |"
        for name, x in [("`report --only theme_changes`", r["only_theme"]),
                        ("Theme-diff peer", r["peer"]),
                        ("`report --only` four long tables", r["only_long"]),
                        ("Long-tables peer", r["peer_long"])]
        if x is not None
    ]


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [1_000_000, 10_000_000]
    for tool in (BIN, PARSE_FLOOR, WRITE_FLOOR, CSV_WRITERS):
        if not os.path.exists(tool):
            sys.exit(f"{tool} is missing: run `make bench`, which builds it")
    peer_environment()
    checked = check_peer()
    write_results([measure(n) for n in sizes], checked)


if __name__ == "__main__":
    main()
