//! Opening a sled database this process has just dropped. sled's background flusher holds the
//! directory's lock until its thread next wakes, so an open right after a drop can be refused
//! for a moment (CI met the refusal on a loaded machine). A refused lock is tried again for up
//! to ten seconds; any other error, or a lock still held after that, is returned.

use std::time::{Duration, Instant};

/// How long a refused lock is tried again.
const PATIENCE: Duration = Duration::from_secs(10);

/// Opens `config`'s database, waiting out a lock a dropped handle of this process still holds.
pub fn open_when_unlocked(config: &sled::Config) -> Result<sled::Db, sled::Error> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        match config.open() {
            Err(sled::Error::Io(error))
                if error.to_string().contains("could not acquire lock")
                    && Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(50));
            }
            opened => return opened,
        }
    }
}
