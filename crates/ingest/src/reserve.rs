//! The free-space reserve of a data directory. New articles are refused while the disk holding
//! the directory has less than the reserve free, so the stores underneath do not meet a full
//! disk in normal operation: what was already accepted can still be extracted, recorded and
//! flushed, and sled is never asked to survive a write that failed for want of space (sled 0.34
//! once lost a write it had flushed just before such a failure, in one of five runs of the disk
//! test). The check sits at the edge (ingest), never on the bus: a consumer refused room for
//! the events it derives would retry, and finally park, work already acknowledged.

use std::path::{Path, PathBuf};

/// Refused: the disk is below its reserve. Nothing was stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the data disk holding {dir} has {available_mib} MiB free, under the reserve of {reserve_mib} \
     MiB (--min-free-mb); nothing was stored — free space on that disk and retry"
)]
pub struct LowDisk {
    pub dir: String,
    pub available_mib: u64,
    pub reserve_mib: u64,
}

/// Whether a write may go ahead with `available` bytes free and `reserve` bytes to keep.
pub fn has_room(available: u64, reserve: u64) -> bool {
    available >= reserve
}

/// The reserve kept free on the disk of one data directory.
#[derive(Debug, Clone, Default)]
pub struct DiskReserve {
    dir: PathBuf,
    /// Bytes to keep free; 0 turns the check off.
    reserve: u64,
}

impl DiskReserve {
    pub fn new(dir: &Path, reserve_bytes: u64) -> Self {
        DiskReserve {
            dir: dir.to_path_buf(),
            reserve: reserve_bytes,
        }
    }

    /// No reserve: every write goes ahead (tests, and stores that are not on a disk of ours).
    pub fn off() -> Self {
        DiskReserve::default()
    }

    /// Refuses when the disk is below the reserve. A disk whose free space cannot be read is
    /// not refused: the store's own errors still stop a write that fails.
    pub fn check(&self) -> Result<(), LowDisk> {
        if self.reserve == 0 {
            return Ok(());
        }
        match fs4::available_space(&self.dir) {
            Ok(available) if !has_room(available, self.reserve) => Err(LowDisk {
                dir: self.dir.display().to_string(),
                available_mib: available / (1024 * 1024),
                reserve_mib: self.reserve.div_ceil(1024 * 1024),
            }),
            Ok(_) => Ok(()),
            Err(error) => {
                tracing::warn!(dir = %self.dir.display(), %error, "cannot read the free space of the data disk");
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_is_the_reserve_or_more() {
        assert!(has_room(10, 10));
        assert!(has_room(11, 10));
        assert!(!has_room(9, 10));
        assert!(has_room(0, 0));
    }

    #[test]
    fn a_reserve_larger_than_any_disk_refuses_and_says_why() {
        let dir = tempfile::tempdir().expect("temp");
        let refused = DiskReserve::new(dir.path(), u64::MAX)
            .check()
            .expect_err("no disk has 16 EiB free");
        assert_eq!(refused.reserve_mib, u64::MAX.div_ceil(1024 * 1024));
        assert!(
            refused.to_string().contains("nothing was stored"),
            "{refused}"
        );
        DiskReserve::new(dir.path(), 1)
            .check()
            .expect("a byte is free");
        DiskReserve::off().check().expect("no reserve, no refusal");
    }
}
