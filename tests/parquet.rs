//! `report --tables parquet`: the same tables as the CSV contract, cell for
//! cell, typed, with the pages linking to the Parquet files.

use std::fs;
use std::path::Path;

use polars::prelude::*;

use crate::common::{bin, frozen};

const TABLES: [&str; 9] = [
    "proposals",
    "theme_changes",
    "delegate_changes",
    "theme_history",
    "adoption_links",
    "adoption",
    "convergence",
    "measures",
    "normalization",
];

fn report(out: &Path, extra: &[&str]) {
    bin()
        .arg("--datasets")
        .arg(frozen())
        .args(["report", "--quiet", "--out"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

/// A Parquet cell as the CSV table writes it.
fn cell(v: AnyValue) -> String {
    match v {
        AnyValue::Null => String::new(),
        AnyValue::Int64(n) => n.to_string(),
        AnyValue::Float64(x) => format!("{x:.3}"),
        AnyValue::String(s) => s.to_string(),
        AnyValue::StringOwned(s) => s.to_string(),
        other => panic!("unexpected cell type {other:?}"),
    }
}

#[test]
fn parquet_tables_hold_the_csv_tables_cell_for_cell_with_typed_columns() {
    let dir = tempfile::tempdir().unwrap();
    let (csv_out, pq_out) = (dir.path().join("csv"), dir.path().join("parquet"));
    report(&csv_out, &[]);
    report(&pq_out, &["--tables", "parquet"]);
    for table in TABLES {
        assert!(
            !pq_out.join(format!("{table}.csv")).exists(),
            "{table}.csv written"
        );
        let file = fs::File::open(pq_out.join(format!("{table}.parquet"))).unwrap();
        let frame = ParquetReader::new(file).finish().unwrap();
        let mut csv = csv::Reader::from_path(csv_out.join(format!("{table}.csv"))).unwrap();
        let header: Vec<String> = csv
            .headers()
            .unwrap()
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').to_string())
            .collect();
        let names: Vec<String> = frame
            .get_column_names()
            .iter()
            .map(|n| n.to_string())
            .collect();
        assert_eq!(names, header, "{table}: columns");
        let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
        assert_eq!(frame.height(), rows.len(), "{table}: rows");
        assert!(
            !rows.is_empty(),
            "{table}: the frozen data fills every table"
        );
        for (i, row) in rows.iter().enumerate() {
            for (j, want) in row.iter().enumerate() {
                let got = cell(frame.columns()[j].get(i).unwrap());
                assert_eq!(got, want, "{table} row {} column {}", i + 1, header[j]);
            }
        }
    }
    let changes = ParquetReader::new(fs::File::open(pq_out.join("theme_changes.parquet")).unwrap())
        .finish()
        .unwrap();
    assert_eq!(
        changes.column("from_year").unwrap().dtype(),
        &DataType::Int64
    );
    assert_eq!(
        changes.column("similarity").unwrap().dtype(),
        &DataType::Float64
    );
    assert_eq!(changes.column("change").unwrap().dtype(), &DataType::String);

    let index = fs::read_to_string(pq_out.join("README.md")).unwrap();
    assert!(index.contains("## Data tables (Parquet)"));
    assert!(index.contains("[theme_changes.parquet](theme_changes.parquet)"));
    assert!(!index.contains("theme_changes.csv"));
}

#[test]
fn parquet_reports_are_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    report(&a, &["--tables", "parquet"]);
    report(&b, &["--tables", "parquet"]);
    for table in TABLES {
        let name = format!("{table}.parquet");
        assert_eq!(
            fs::read(a.join(&name)).unwrap(),
            fs::read(b.join(&name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn an_unknown_table_format_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    bin()
        .args(["report", "--tables", "xlsx", "--out"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("xlsx"));
}
