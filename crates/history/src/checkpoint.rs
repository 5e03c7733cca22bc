//! The log key and signed checkpoints: a C2SP `tlog-checkpoint` body (origin, tree size, base64
//! root) wrapped in a C2SP `signed-note` with an Ed25519 signature.
//!
//! The formats come from Cloudflare's azul crates: `tlog_tiles::Checkpoint` writes and parses the
//! body, `signed_note` signs, parses and verifies notes and encodes keys. The key is generated on
//! first use and kept as one line in the data dir, in the signer-key form Go's `sumdb/note` and
//! `signed_note` read (`PRIVATE+KEY+<name>+<hex id>+<base64 of 0x01 ‖ seed>`), so operators can
//! use standard tools on it; the file is created 0600 and refused if others can read it.

use crate::merkle::Hash;
use crate::TreeHead;
use base64::Engine as _;
use signed_note::{Note, StandardSigner, StandardVerifier, VerifierList};
use std::fmt;
use std::path::{Path, PathBuf};

/// The origin (and key name) used when none is configured. A deployment should set its own,
/// e.g. its public host and path: checkpoints from two logs must never share an origin.
pub const DEFAULT_ORIGIN: &str = "claimledger.example/log";

/// The log key's file name inside the data dir.
pub const KEY_FILE: &str = "log-key";

#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    #[error("log key file {path}: {source}")]
    KeyIo {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("log key file {path} can be read by others (mode {mode:o}); run chmod 600 on it")]
    KeyTooOpen { path: PathBuf, mode: u32 },
    #[error("log key file {path} does not hold a signed-note Ed25519 signer key")]
    KeyMalformed { path: PathBuf },
    #[error(
        "log key file {path} is for origin {found:?}, not {expected:?}: a new origin needs a new \
         key (move the old file away, keeping it to verify old checkpoints)"
    )]
    KeyForOtherOrigin {
        path: PathBuf,
        found: String,
        expected: String,
    },
    #[error("origin {0:?} cannot name a key: it must be non-empty, without spaces or '+'")]
    BadOrigin(String),
    #[error("verifier key is malformed: {0}")]
    BadVerifierKey(String),
    #[error("checkpoint note: {0}")]
    Note(#[from] signed_note::NoteError),
    #[error("checkpoint body is not a c2sp.org/tlog-checkpoint")]
    MalformedBody,
    #[error("checkpoint is for origin {found:?}, but the key is {expected:?}'s")]
    WrongOrigin { found: String, expected: String },
}

/// The log's Ed25519 signing key, named by the log's origin.
pub struct LogKey {
    origin: String,
    signer: StandardSigner,
    public_key: ed25519_dalek::VerifyingKey,
    verifier_key: String,
}

impl fmt::Debug for LogKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the private half.
        f.debug_struct("LogKey")
            .field("verifier_key", &self.verifier_key)
            .finish_non_exhaustive()
    }
}

impl LogKey {
    /// Loads the key from `dir/log-key`, or generates it there (mode 0600) on first use.
    pub fn load_or_create(dir: &Path, origin: &str) -> Result<LogKey, CheckpointError> {
        if !signed_note::is_key_name_valid(origin) {
            return Err(CheckpointError::BadOrigin(origin.to_owned()));
        }
        let path = dir.join(KEY_FILE);
        let io = |source| CheckpointError::KeyIo {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        if !path.exists() {
            let (skey, _) = signed_note::generate_key(&mut rand::rngs::OsRng, origin);
            match create_private(&path, format!("{skey}\n").as_bytes()) {
                Ok(()) => {}
                // Another process made it first: use theirs.
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(error) => return Err(io(error)),
            }
        }
        check_private(&path).map_err(|error| match error {
            Ok(mode) => CheckpointError::KeyTooOpen {
                path: path.clone(),
                mode,
            },
            Err(source) => io(source),
        })?;
        let stored = std::fs::read_to_string(&path).map_err(io)?;
        let key = LogKey::from_signer_key(stored.trim_end()).map_err(|error| match error {
            CheckpointError::KeyMalformed { .. } => {
                CheckpointError::KeyMalformed { path: path.clone() }
            }
            other => other,
        })?;
        if key.origin != origin {
            return Err(CheckpointError::KeyForOtherOrigin {
                path,
                found: key.origin,
                expected: origin.to_owned(),
            });
        }
        Ok(key)
    }

    /// A key from its signer-key string (`PRIVATE+KEY+<name>+<hex id>+<base64>`).
    pub fn from_signer_key(skey: &str) -> Result<LogKey, CheckpointError> {
        let malformed = || CheckpointError::KeyMalformed {
            path: PathBuf::new(),
        };
        // signed_note checks the format, the algorithm and that the id matches the key...
        let signer = StandardSigner::new(skey).map_err(|_| malformed())?;
        // ...but keeps the public half to itself, and the verifier key string needs it.
        // Names hold no '+', base64 may: split from the left, as signed_note does.
        let (origin, key64) = skey
            .strip_prefix("PRIVATE+KEY+")
            .and_then(|rest| rest.split_once('+'))
            .and_then(|(name, rest)| Some((name.to_owned(), rest.split_once('+')?.1)))
            .ok_or_else(malformed)?;
        let key = base64::engine::general_purpose::STANDARD
            .decode(key64)
            .map_err(|_| malformed())?;
        let seed: [u8; 32] = key
            .get(1..)
            .and_then(|seed| seed.try_into().ok())
            .ok_or_else(malformed)?;
        let public_key = ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key();
        let verifier_key = signed_note::new_ed25519_verifier_key(&origin, &public_key);
        Ok(LogKey {
            origin,
            signer,
            public_key,
            verifier_key,
        })
    }

    /// The log's origin line, which is also the key's name.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The verifier key in signed-note form: `<name>+<hex key id>+<base64 of 0x01 ‖ public key>`,
    /// key id = the first 4 bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key).
    pub fn verifier_key(&self) -> &str {
        &self.verifier_key
    }

    /// The raw Ed25519 public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.public_key.to_bytes()
    }

    /// Signs a checkpoint for the tree head.
    pub fn sign(&self, head: TreeHead) -> Result<SignedCheckpoint, CheckpointError> {
        let body =
            tlog_tiles::Checkpoint::new(&self.origin, head.size, tlog_tiles::Hash(head.root), "")
                .map_err(|_| CheckpointError::MalformedBody)?
                .to_bytes();
        let mut note = Note::new(&body, &[])?;
        note.add_sigs(&[&self.signer])?;
        Ok(SignedCheckpoint {
            origin: self.origin.clone(),
            head,
            note: note.to_bytes(),
        })
    }
}

/// A checkpoint as signed (or as checked by [`open_checkpoint`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedCheckpoint {
    pub origin: String,
    pub head: TreeHead,
    /// The signed note, byte for byte: body, blank line, signature lines.
    pub note: Vec<u8>,
}

impl SignedCheckpoint {
    /// The note as text (it is UTF-8 by construction).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.note).into_owned()
    }

    pub fn size(&self) -> u64 {
        self.head.size
    }

    pub fn root(&self) -> Hash {
        self.head.root
    }
}

/// Checks a signed checkpoint against a verifier key: a valid signature by that key, a
/// well-formed body, and an origin equal to the key's name. Returns what it commits to.
pub fn open_checkpoint(
    note: &[u8],
    verifier_key: &str,
) -> Result<SignedCheckpoint, CheckpointError> {
    let verifier = StandardVerifier::new(verifier_key)
        .map_err(|error| CheckpointError::BadVerifierKey(error.to_string()))?;
    let expected = signed_note::Verifier::name(&verifier).to_owned();
    let parsed = Note::from_bytes(note)?;
    parsed.verify(&VerifierList::new(vec![Box::new(verifier)]))?;
    let body = tlog_tiles::Checkpoint::from_bytes(parsed.text())
        .map_err(|_| CheckpointError::MalformedBody)?;
    if body.origin() != expected {
        return Err(CheckpointError::WrongOrigin {
            found: body.origin().to_owned(),
            expected,
        });
    }
    Ok(SignedCheckpoint {
        origin: expected,
        head: TreeHead {
            size: body.size(),
            root: body.hash().0,
        },
        note: note.to_vec(),
    })
}

#[cfg(unix)]
fn create_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents)?;
    // The key must outlive a crash right after the first checkpoint it signs.
    file.sync_all()
}

#[cfg(not(unix))]
fn create_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

/// `Err(Ok(mode))` when group or others may read the key.
#[cfg(unix)]
fn check_private(path: &Path) -> Result<(), Result<u32, std::io::Error>> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(path).map_err(Err)?.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(Ok(mode));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path) -> Result<(), Result<u32, std::io::Error>> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::Verifier as _;
    use sha2::{Digest, Sha256};

    const ORIGIN: &str = "claimledger.example/log";

    #[test]
    fn the_key_is_made_once_private_and_reused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = LogKey::load_or_create(dir.path(), ORIGIN).expect("create");
        let again = LogKey::load_or_create(dir.path(), ORIGIN).expect("load");
        assert_eq!(first.verifier_key(), again.verifier_key());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .expect("metadata")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let other = LogKey::load_or_create(dir.path(), "other.example/log");
        assert!(matches!(
            other,
            Err(CheckpointError::KeyForOtherOrigin { .. })
        ));
        assert!(matches!(
            LogKey::load_or_create(dir.path(), "has space"),
            Err(CheckpointError::BadOrigin(_))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_key_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().expect("temp dir");
        LogKey::load_or_create(dir.path(), ORIGIN).expect("create");
        let path = dir.path().join(KEY_FILE);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        assert!(matches!(
            LogKey::load_or_create(dir.path(), ORIGIN),
            Err(CheckpointError::KeyTooOpen { mode: 0o644, .. })
        ));
    }

    #[test]
    fn a_garbled_key_file_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        create_private(&dir.path().join(KEY_FILE), b"PRIVATE+KEY+nonsense\n").expect("write");
        assert!(matches!(
            LogKey::load_or_create(dir.path(), ORIGIN),
            Err(CheckpointError::KeyMalformed { .. })
        ));
    }

    /// The verifier key is built here from the spec, byte by byte, not by the crate.
    #[test]
    fn the_verifier_key_is_the_signed_note_form() {
        let dir = tempfile::tempdir().expect("temp dir");
        let key = LogKey::load_or_create(dir.path(), ORIGIN).expect("key");
        let mut encoded = vec![0x01];
        encoded.extend_from_slice(&key.public_key());
        let mut hasher = Sha256::new();
        hasher.update(ORIGIN.as_bytes());
        hasher.update([0x0a]);
        hasher.update(&encoded);
        let id = hex::encode(&hasher.finalize()[..4]);
        let b64 = base64::engine::general_purpose::STANDARD.encode(&encoded);
        assert_eq!(key.verifier_key(), format!("{ORIGIN}+{id}+{b64}"));
    }

    /// Go's sumdb/note known answer: the same signer key must sign to the same bytes
    /// (Ed25519 is deterministic) and yield the same verifier key.
    #[test]
    fn known_answer_from_go_sumdb_note() {
        let key = LogKey::from_signer_key(
            "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
        )
        .expect("key");
        assert_eq!(
            key.verifier_key(),
            "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
        );
        let mut note = Note::new(
            b"If you think cryptography is the answer to your problem,\n\
              then you don't know what your problem is.\n",
            &[],
        )
        .expect("note");
        note.add_sigs(&[&key.signer]).expect("sign");
        let text = String::from_utf8(note.to_bytes()).expect("utf-8");
        assert!(text.ends_with(
            "\n\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
        ));
    }

    #[test]
    fn a_checkpoint_is_a_tlog_checkpoint_in_a_signed_note() {
        let dir = tempfile::tempdir().expect("temp dir");
        let key = LogKey::load_or_create(dir.path(), ORIGIN).expect("key");
        let root = crate::merkle::leaf_hash(b"x");
        let signed = key.sign(TreeHead { size: 7, root }).expect("sign");
        let text = signed.text();
        let b64 = base64::engine::general_purpose::STANDARD.encode(root);
        let body = format!("{ORIGIN}\n7\n{b64}\n");
        assert!(text.starts_with(&format!("{body}\n— {ORIGIN} ")), "{text}");
        assert!(text.ends_with('\n'));
        assert_eq!(text.lines().count(), 5);

        // The signature line, checked with ed25519-dalek directly over the body bytes.
        let line = text.lines().last().expect("signature line");
        let sig = base64::engine::general_purpose::STANDARD
            .decode(line.rsplit(' ').next().expect("base64"))
            .expect("base64");
        let key_id = key.verifier_key().split('+').nth(1).expect("id");
        assert_eq!(hex::encode(&sig[..4]), key_id);
        let signature = ed25519_dalek::Signature::from_slice(&sig[4..]).expect("64 bytes");
        ed25519_dalek::VerifyingKey::from_bytes(&key.public_key())
            .expect("public key")
            .verify(body.as_bytes(), &signature)
            .expect("signature verifies");

        // And the crates parse and verify it with the verifier key string alone.
        let opened = open_checkpoint(&signed.note, key.verifier_key()).expect("opens");
        assert_eq!(opened, signed);
    }

    #[test]
    fn a_forged_or_foreign_checkpoint_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let key = LogKey::load_or_create(dir.path(), ORIGIN).expect("key");
        let signed = key
            .sign(TreeHead {
                size: 7,
                root: [7; 32],
            })
            .expect("sign");
        let forged = signed.text().replacen("\n7\n", "\n8\n", 1);
        assert!(matches!(
            open_checkpoint(forged.as_bytes(), key.verifier_key()),
            Err(CheckpointError::Note(_))
        ));
        let other_dir = tempfile::tempdir().expect("temp dir");
        let other = LogKey::load_or_create(other_dir.path(), ORIGIN).expect("key");
        assert!(open_checkpoint(&signed.note, other.verifier_key()).is_err());
        assert!(matches!(
            open_checkpoint(&signed.note, "not a key"),
            Err(CheckpointError::BadVerifierKey(_))
        ));
    }
}
