#!/usr/bin/env python3
"""`make bench`: time `proposal-diff report` end to end on synthetic data.

Generates datasets of about 1 and 10 million proposal rows over 10 years
(in bench/data, kept out of git), times the parse floor (a csv-crate pass
that only counts records) and `report` on each, with peak memory, and
writes bench/RESULTS.md. Sizes can be chosen: bench/run.py 1000000.
"""
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
BIN = os.path.join(TARGET, "release", "proposal-diff")
FLOOR = os.path.join(TARGET, "release", "examples", "parse_floor")
DATA = os.path.join(ROOT, "bench", "data")
# About 7.5 proposals per delegate over 10 years (terms and gaps).
ROWS_PER_DELEGATE = 7.49
MEMORY_CAP = 20 << 30  # address space: stop a run before it takes the 24 GiB machine down


def limit():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def timed(cmd):
    """Runs cmd alone; returns (seconds, its own peak RSS in bytes, exit code, output)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.monotonic()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, preexec_fn=limit)
        # wait4 gives this child's own rusage: ru_maxrss is its peak (KiB on Linux).
        _, status, usage = os.wait4(p.pid, 0)
        seconds = time.monotonic() - start
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text = out.read().strip() or err.read().strip()[-300:]
    return seconds, usage.ru_maxrss * 1024, p.returncode, text


def machine():
    cpu = "unknown cpu"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / (1 << 30)
    except (OSError, ValueError):
        mem = 0
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB memory, {platform.system()} {platform.release()}"


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [1_000_000, 10_000_000]
    rows_out = []
    for target_rows in sizes:
        delegates = int(target_rows / ROWS_PER_DELEGATE)
        data = os.path.join(DATA, f"rows-{target_rows}")
        if not os.path.isdir(os.path.join(data, "proposals")):
            print(f"generating ~{target_rows} rows in {data}", flush=True)
            subprocess.run([BIN, "generate", "--delegates", str(delegates), "--years", "10",
                            "--seed", "1", "--out", data], check=True)
        floor_s, floor_rss, code, out = timed([FLOOR, data])
        if code != 0:
            sys.exit(f"parse floor failed: {out}")
        records = int(out)
        proposals = sum(1 for _ in open_rows(data))
        print(f"{proposals} proposal rows: parse floor {floor_s:.1f} s", flush=True)
        out_dir = os.path.join(DATA, f"reports-{target_rows}")
        s, rss, code, msg = timed([BIN, "--datasets", data, "report", "--quiet", "--out", out_dir])
        status = "ok" if code == 0 else f"failed (exit {code}: {msg.splitlines()[-1] if msg else 'killed'})"
        # The reports of the largest size take gigabytes: keep only what was measured.
        shutil.rmtree(out_dir, ignore_errors=True)
        print(f"report: {s:.1f} s, peak {rss / (1 << 30):.2f} GiB, {status}", flush=True)
        rows_out.append((proposals, records, floor_s, s, rss, status))
    write_results(rows_out)


def open_rows(data):
    for name in sorted(os.listdir(os.path.join(data, "proposals"))):
        with open(os.path.join(data, "proposals", name), "rb") as f:
            next(f)
            for line in f:
                yield line


def write_results(rows):
    path = os.path.join(ROOT, "bench", "RESULTS.md")
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (bench/run.py). `report` end to end in release mode on",
        "synthetic datasets from `proposal-diff generate --years 10 --seed 1`, against a",
        "parse floor: one pass of the csv crate over the same files that only counts records.",
        "",
        f"Machine: {machine()}.",
        "",
        "| Proposal rows | Records parsed by the floor | Floor (s) | report (s) | Rows/s | Ratio to floor | Peak memory (GiB) | Status |",
        "|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for proposals, records, floor_s, s, rss, status in rows:
        lines.append(
            f"| {proposals:,} | {records:,} | {floor_s:.1f} | {s:.1f} | {proposals / s:,.0f} | "
            f"{s / floor_s:.1f}x | {rss / (1 << 30):.2f} | {status} |"
        )
    lines += ["", "Targets (SPEC): 10 million rows within 2x the parse floor, peak memory under 4 GiB.", ""]
    # Keep the hand-written analysis that follows the table.
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


if __name__ == "__main__":
    main()
