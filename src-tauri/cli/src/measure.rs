//! Measure one command alone: `doudi call` run as a child process with `DOUDI_PEAK_MEMORY=1`
//! resets its peak-memory mark once the database is open and the user signed in, and prints the
//! peak reached while the command ran on stderr (`doudi-peak-kib N`, Linux only).
//!
//! Not getrusage(RUSAGE_CHILDREN): a forked child's ru_maxrss counts the parent's memory it
//! shares until exec, so after a large benchmark build it reports the parent's size.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub const ENV: &str = "DOUDI_PEAK_MEMORY";
const TAG: &str = "doudi-peak-kib ";

/// What a child process took.
pub struct Measured {
    pub output: Output,
    pub wall: Duration,
    /// Peak resident memory of the child while its command ran, in KiB.
    pub peak_kib: Option<u64>,
}

pub fn run(cmd: &mut Command) -> std::io::Result<Measured> {
    let t = Instant::now();
    let output = cmd.env(ENV, "1").output()?;
    let wall = t.elapsed();
    let peak_kib = String::from_utf8_lossy(&output.stderr)
        .lines()
        .find_map(|l| l.strip_prefix(TAG)?.trim().parse().ok());
    Ok(Measured {
        output,
        wall,
        peak_kib,
    })
}

/// In the child, before the command: forget the peak so far (the build, the sign-in's password
/// hashing) so that the peak read afterwards is the command's.
pub fn reset_peak() {
    if std::env::var_os(ENV).is_some() {
        // "5" resets the peak resident set size (VmHWM) to the current one (Linux ≥ 4.0).
        let _ = std::fs::write("/proc/self/clear_refs", "5");
    }
}

/// In the child, after the command: report the peak on stderr.
pub fn report_peak() {
    if std::env::var_os(ENV).is_none() {
        return;
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if let Some(kib) = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
    {
        eprintln!("{TAG}{kib}");
    }
}
