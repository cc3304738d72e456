#!/usr/bin/env python3
"""Compares the tables bench/peer_tables.sql writes with report's.

    compare_peer.py <report-folder> <peer-folder>

For each of theme_changes, delegate_changes, theme_history and proposals:
reads both CSV files (report's start with a UTF-8 BOM), keeps the compared
columns (by name), sorts the rows and compares them. Prints per table the
rows on each side, whether they are equal, and the first rows found on one
side only. Exits 1 when any table differs (2 when a file or column is
missing). Standard library only.

Left out of the comparison (the peer writes the column, empty):
  theme_changes.similarity  the wording ratio of the delegates' own titles,
                            computed by the `similar` crate after folding
                            traditional characters: not reproduced in SQL.
"""
import collections
import csv
import os
import sys

# Per table: the columns left out of the comparison (see above).
TABLES = {
    "theme_changes": {"similarity"},
    "delegate_changes": set(),
    "theme_history": set(),
    "proposals": set(),
}

# How many differing rows to show per side.
SHOWN = 5


def read(path, excluded):
    """The header's compared columns and the rows, projected on them."""
    csv.field_size_limit(sys.maxsize)
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        keep = [i for i, name in enumerate(header) if name not in excluded]
        columns = [header[i] for i in keep]
        rows = [tuple(row[i] for i in keep) for row in reader]
    return columns, rows


def compare(name, report_dir, peer_dir):
    """Prints the comparison of one table; True when the rows are equal."""
    excluded = TABLES[name]
    paths = [os.path.join(d, f"{name}.csv") for d in (report_dir, peer_dir)]
    for p in paths:
        if not os.path.isfile(p):
            print(f"{name}: missing {p}")
            sys.exit(2)
    (cols_r, rows_r), (cols_p, rows_p) = (read(p, excluded) for p in paths)
    if cols_r != cols_p:
        print(f"{name}: columns differ\n  report: {cols_r}\n  peer:   {cols_p}")
        sys.exit(2)
    rows_r.sort()
    rows_p.sort()
    equal = rows_r == rows_p
    left_out = f" (left out: {', '.join(sorted(excluded))})" if excluded else ""
    print(f"{name}: report {len(rows_r)} rows, peer {len(rows_p)} rows: "
          f"{'equal' if equal else 'DIFFERENT'}{left_out}")
    if not equal:
        # Rows on one side only, counting repeated rows.
        count_r, count_p = collections.Counter(rows_r), collections.Counter(rows_p)
        only_r = sorted((count_r - count_p).elements())
        only_p = sorted((count_p - count_r).elements())
        print(f"  columns: {','.join(cols_r)}")
        for side, only in (("report only", only_r), ("peer only", only_p)):
            print(f"  {side}: {len(only)} rows")
            for row in only[:SHOWN]:
                print(f"    {','.join(row)}")
    return equal


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    report_dir, peer_dir = sys.argv[1], sys.argv[2]
    results = [compare(name, report_dir, peer_dir) for name in TABLES]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
