//! Run a command as a child process and measure it alone: wall time and peak resident memory.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// What a child process took.
pub struct Measured {
    pub output: Output,
    pub wall: Duration,
    /// Peak resident set of the largest child waited for so far, in KiB (Linux `ru_maxrss`);
    /// None where the platform does not say.
    pub peak_kib: Option<u64>,
}

pub fn run(cmd: &mut Command) -> std::io::Result<Measured> {
    let t = Instant::now();
    let output = cmd.output()?;
    let wall = t.elapsed();
    Ok(Measured {
        output,
        wall,
        peak_kib: children_peak_kib(),
    })
}

#[cfg(target_os = "linux")]
fn children_peak_kib() -> Option<u64> {
    // SAFETY: getrusage only writes the struct it is given, which is zeroed and ours.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    (rc == 0).then_some(usage.ru_maxrss as u64)
}

#[cfg(not(target_os = "linux"))]
fn children_peak_kib() -> Option<u64> {
    None
}
