//! Running the `mimamori` binary from the integration tests.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `mimamori --db DB --lang en ARGS…` and returns its output, whatever the exit status.
pub fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mimamori"))
        .arg("--db")
        .arg(db)
        .args(["--lang", "en"])
        .args(args)
        .output()
        .expect("run mimamori")
}

/// Runs it as [`run`] and returns its standard output; any exit status but 0 fails the test
/// with its standard error.
#[allow(dead_code)] // not every test file uses both helpers
pub fn run_ok(db: &Path, args: &[&str]) -> String {
    let out = run(db, args);
    assert!(
        out.status.success(),
        "mimamori {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 stdout")
}
