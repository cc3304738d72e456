//! The behaviour tests, in one binary so that the tool and polars are
//! linked once: a module per area, sharing `common`'s scratch folders and
//! helpers for running the real binary.

mod common;

mod adoption;
mod chance;
mod check;
mod diff;
mod encodings;
mod generate;
mod hostile;
mod normalize;
mod own_study;
#[cfg(feature = "parquet")]
mod parquet;
mod properties;
mod readback;
mod report;
mod scale;
mod shipped_data;
mod validate;
