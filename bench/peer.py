#!/usr/bin/env python3
"""The DuckDB peers for `make bench`: runs one SQL file of bench/ on a
datasets folder and writes its tables into an output folder.

    peer.py <sql-file> <datasets> <out> [<lookup>]

<sql-file> is a file name in bench/ (or a path): peer.sql writes
theme_changes.csv alone; peer_tables.sql writes the four long tables of
`report` and needs <lookup>, report's normalization.csv (the name and
theme resolution it is given). The SQL's __DATA__, __OUT__ and __LOOKUP__
are replaced by these arguments.

Run by bench/run.py with the virtual environment's Python (bench/.venv),
where DuckDB is installed from the pinned bench/requirements.txt.
"""
import os
import sys

import duckdb


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    name, data, out = sys.argv[1:4]
    lookup = sys.argv[4] if len(sys.argv) == 5 else None
    os.makedirs(out, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, name)) as f:
        sql = f.read()
    if "__LOOKUP__" in sql and lookup is None:
        sys.exit(f"{name} needs <lookup>, report's normalization.csv")
    sql = sql.replace("__DATA__", data).replace("__OUT__", out)
    if lookup is not None:
        sql = sql.replace("__LOOKUP__", lookup)
    con = duckdb.connect()
    con.execute(sql)
    print(duckdb.__version__)


if __name__ == "__main__":
    main()
