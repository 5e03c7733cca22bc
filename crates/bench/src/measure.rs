//! What the reports measure besides time: peak resident memory and bytes on disk.

use std::path::Path;
use std::time::{Duration, Instant};

/// The process's peak resident set (`VmHWM` in `/proc/self/status`), in bytes; `None` where
/// `/proc` is not Linux's.
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kilobytes: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kilobytes * 1024)
}

/// Resets the peak resident set to the current one (`5` to `/proc/self/clear_refs`, Linux 4.0+)
/// so that a later [`peak_rss_bytes`] covers only what ran since. False when the kernel
/// refused; the peak then covers the whole process, fixture generation included.
pub fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Total length of the files under `dir`.
///
/// Measured while the services run: a file that goes between the listing and the look at it (a
/// search segment merged away, say) counts as gone, not as an error.
pub fn bytes_on_disk(dir: &Path) -> std::io::Result<u64> {
    let gone = |error: &std::io::Error| error.kind() == std::io::ErrorKind::NotFound;
    let entries = match std::fs::read_dir(dir) {
        Err(error) if gone(&error) => return Ok(0),
        entries => entries?,
    };
    let mut total = 0;
    for entry in entries {
        let entry = entry?;
        let size = match entry.file_type() {
            Ok(kind) if kind.is_dir() => bytes_on_disk(&entry.path()),
            Ok(kind) if kind.is_file() => entry.metadata().map(|metadata| metadata.len()),
            Ok(_) => Ok(0),
            Err(error) => Err(error),
        };
        total += match size {
            Err(error) if gone(&error) => 0,
            size => size?,
        };
    }
    Ok(total)
}

/// The CLI's default `--sled-cache-mb`: scenarios open sled as a service would.
pub const DEFAULT_SLED_CACHE_MB: u64 = 64;

/// A sled database at `path` with the given page cache, as `claimledger` opens its data dir.
///
/// A store just dropped by this process may still be locked for a moment: sled's background
/// flusher holds the database until its thread notices, and the fixture is written, dropped and
/// opened again right away. A refused lock is therefore tried again for up to ten seconds
/// (CI met the refusal on a loaded machine).
pub fn open_sled(path: &Path, cache_mb: u64) -> Result<sled::Db, sled::Error> {
    claimledger_testkit::open_when_unlocked(
        &sled::Config::new()
            .path(path)
            .cache_capacity(cache_mb.max(1) * 1024 * 1024),
    )
}

/// The 1-, 5- and 15-minute load averages (`/proc/loadavg`), printed with every report: on a
/// shared machine they say how much the absolute figures were disturbed.
pub fn load_average() -> Option<String> {
    let loadavg = std::fs::read_to_string("/proc/loadavg").ok()?;
    let fields: Vec<&str> = loadavg.split_whitespace().take(3).collect();
    (fields.len() == 3).then(|| fields.join(" "))
}

/// How long a pass took, and what it measured.
pub type Timed<T> = (Duration, T);

/// Times `baseline` and `project` in alternation, `rounds` times each, and keeps each side's
/// fastest pass: on a shared machine a burst of other work then slows one pass of each side
/// rather than the whole of one side. Each closure returns what it measured, kept from its
/// last pass so the caller can check it; a pass's result is dropped before the next pass of
/// either side runs, so the peak memory is that of one pass, not of two results held at once.
pub fn fastest_alternating<B, P, E>(
    rounds: u32,
    mut baseline: impl FnMut() -> Result<B, E>,
    mut project: impl FnMut() -> Result<P, E>,
) -> Result<(Timed<B>, Timed<P>), E> {
    let (mut fastest_baseline, mut last_baseline) = timed(&mut baseline)?;
    let (mut fastest_project, mut last_project) = timed(&mut project)?;
    for _ in 1..rounds {
        drop(last_baseline);
        drop(last_project);
        let (took, measured) = timed(&mut baseline)?;
        fastest_baseline = took.min(fastest_baseline);
        last_baseline = measured;
        let (took, measured) = timed(&mut project)?;
        fastest_project = took.min(fastest_project);
        last_project = measured;
    }
    Ok((
        (fastest_baseline, last_baseline),
        (fastest_project, last_project),
    ))
}

fn timed<T, E>(work: &mut impl FnMut() -> Result<T, E>) -> Result<Timed<T>, E> {
    let clock = Instant::now();
    let measured = work()?;
    Ok((clock.elapsed(), measured))
}
