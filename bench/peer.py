#!/usr/bin/env python3
"""The DuckDB peer for `make bench`: runs bench/peer.sql on a datasets
folder and writes theme_changes.csv into an output folder.

    peer.py <datasets> <out>

Run by bench/run.py with the virtual environment's Python (bench/.venv),
where DuckDB is installed from the pinned bench/requirements.txt.
"""
import os
import sys

import duckdb


def main():
    data, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "peer.sql")) as f:
        sql = f.read().replace("__DATA__", data).replace("__OUT__", out)
    con = duckdb.connect()
    con.execute(sql)
    print(duckdb.__version__)


if __name__ == "__main__":
    main()
