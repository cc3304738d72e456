//! One subcommand, one file, one `run`.

pub mod check;
pub mod diff;
pub mod generate;
pub mod init;
pub mod normalize;
pub mod report;
pub mod validate;
