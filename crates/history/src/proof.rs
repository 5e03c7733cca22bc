//! `c2sp.org/tlog-proof@v1` files: what an outsider needs, with the entry's bytes and the log's
//! verifier key, to check offline that the entry is in the log.
//!
//! ```text
//! c2sp.org/tlog-proof@v1
//! index <zero-based leaf index>
//! <base64 inclusion proof hash, leaf's sibling first>...
//!
//! <the signed checkpoint, verbatim>
//! ```
//!
//! Writing ([`TlogProof`]) uses the log's own machinery: proofs from stored hashes via
//! `tlog_tiles`, the checkpoint as signed. Checking ([`verify_tlog_proof`]) deliberately shares
//! none of it: its own line parser, its own checkpoint-body parser and the hand-written RFC 9162
//! verifier in `merkle`; only the Ed25519 note signature goes through `signed_note`. No crate
//! reads or writes this format (it is a few lines of text), hence the hand-written parser.

use crate::checkpoint::SignedCheckpoint;
use crate::merkle::{self, Hash, ProofError};
use crate::{History, HistoryError};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use signed_note::{Note, StandardVerifier, VerifierList};

/// The first line of every proof file.
pub const TLOG_PROOF_HEADER: &str = "c2sp.org/tlog-proof@v1";

/// A proof that one record is in the tree a signed checkpoint commits to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlogProof {
    /// Zero-based leaf index: the record's `seq - 1`.
    pub index: u64,
    /// The inclusion proof, leaf's sibling first.
    pub hashes: Vec<Hash>,
    /// The signed checkpoint note, verbatim.
    pub checkpoint: Vec<u8>,
}

impl TlogProof {
    /// The proof of record `seq` against `checkpoint` (which must cover it).
    pub fn new(
        history: &dyn History,
        seq: u64,
        checkpoint: &SignedCheckpoint,
    ) -> Result<TlogProof, HistoryError> {
        let hashes = history.inclusion_proof(seq, checkpoint.head.size)?;
        Ok(TlogProof {
            index: seq - 1,
            hashes,
            checkpoint: checkpoint.note.clone(),
        })
    }

    /// The proof file's text.
    pub fn to_text(&self) -> String {
        let mut text = format!("{TLOG_PROOF_HEADER}\nindex {}\n", self.index);
        for hash in &self.hashes {
            text.push_str(&BASE64.encode(hash));
            text.push('\n');
        }
        text.push('\n');
        text.push_str(&String::from_utf8_lossy(&self.checkpoint));
        text
    }
}

/// Why a proof file was rejected.
#[derive(Debug, thiserror::Error)]
pub enum ProofFileError {
    #[error("not a {TLOG_PROOF_HEADER} file")]
    NotAProof,
    #[error("proof file line {line}: {reason}")]
    Malformed { line: usize, reason: String },
    #[error("the checkpoint's signature does not verify with the key: {0}")]
    Signature(#[from] signed_note::NoteError),
    #[error("the verifier key is malformed: {0}")]
    BadVerifierKey(String),
    #[error("the checkpoint body is malformed: {0}")]
    MalformedCheckpoint(String),
    #[error("the checkpoint is for origin {found:?}, but the key is {expected:?}'s")]
    WrongOrigin { found: String, expected: String },
    #[error("the entry is not in the checkpointed tree: {0}")]
    Inclusion(#[from] ProofError),
}

/// What a valid proof file established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedProof {
    pub origin: String,
    /// Zero-based leaf index (the record's `seq - 1`).
    pub index: u64,
    /// The checkpoint's tree size and root.
    pub size: u64,
    pub root: Hash,
    /// The unauthenticated `extra` data, if the file had any.
    pub extra: Option<Vec<u8>>,
}

/// Checks a proof file offline: the checkpoint is signed by `verifier_key` and names its origin,
/// and `entry` (the exact stored event bytes) is at the file's index in that checkpoint's tree.
pub fn verify_tlog_proof(
    text: &[u8],
    entry: &[u8],
    verifier_key: &str,
) -> Result<VerifiedProof, ProofFileError> {
    let text = std::str::from_utf8(text).map_err(|_| ProofFileError::Malformed {
        line: 1,
        reason: "not UTF-8".into(),
    })?;
    let malformed = |line: usize, reason: &str| ProofFileError::Malformed {
        line,
        reason: reason.to_owned(),
    };
    // The header and the proof lines end at the first empty line; the checkpoint follows.
    let (head, checkpoint) = text
        .split_once("\n\n")
        .ok_or_else(|| malformed(1, "no empty line before the checkpoint"))?;
    let mut lines = head.split('\n').enumerate().map(|(i, line)| (i + 1, line));
    match lines.next() {
        Some((_, TLOG_PROOF_HEADER)) => {}
        _ => return Err(ProofFileError::NotAProof),
    }
    let (mut number, mut line) = lines
        .next()
        .ok_or_else(|| malformed(2, "missing index line"))?;
    let mut extra = None;
    if let Some(data) = line.strip_prefix("extra ") {
        extra = Some(
            BASE64
                .decode(data)
                .map_err(|_| malformed(number, "extra data is not base64"))?,
        );
        (number, line) = lines
            .next()
            .ok_or_else(|| malformed(number + 1, "missing index line"))?;
    }
    let index = line
        .strip_prefix("index ")
        .ok_or_else(|| malformed(number, "expected `index N`"))?;
    if index.is_empty()
        || !index.bytes().all(|b| b.is_ascii_digit())
        || (index.len() > 1 && index.starts_with('0'))
    {
        return Err(malformed(
            number,
            "the index is not a decimal without leading zeroes",
        ));
    }
    let index: u64 = index
        .parse()
        .map_err(|_| malformed(number, "the index is out of range"))?;
    let mut hashes: Vec<Hash> = Vec::new();
    for (number, line) in lines {
        let bytes = BASE64
            .decode(line)
            .map_err(|_| malformed(number, "a proof line is not base64"))?;
        let hash: Hash = bytes
            .try_into()
            .map_err(|_| malformed(number, "a proof line is not a 32-byte hash"))?;
        hashes.push(hash);
    }

    let verifier = StandardVerifier::new(verifier_key)
        .map_err(|error| ProofFileError::BadVerifierKey(error.to_string()))?;
    let expected = signed_note::Verifier::name(&verifier).to_owned();
    let note = Note::from_bytes(checkpoint.as_bytes())?;
    note.verify(&VerifierList::new(vec![Box::new(verifier)]))?;
    let (origin, size, root) = parse_checkpoint_body(note.text())?;
    if origin != expected {
        return Err(ProofFileError::WrongOrigin {
            found: origin,
            expected,
        });
    }
    merkle::verify_inclusion(index, size, &merkle::leaf_hash(entry), &hashes, &root)?;
    Ok(VerifiedProof {
        origin,
        index,
        size,
        root,
        extra,
    })
}

/// A `tlog-checkpoint` body: origin, decimal size, base64 root, then optional extension lines,
/// each newline-terminated. Parsed here rather than by `tlog_tiles`, which wrote it.
fn parse_checkpoint_body(body: &[u8]) -> Result<(String, u64, Hash), ProofFileError> {
    let bad = |reason: &str| ProofFileError::MalformedCheckpoint(reason.to_owned());
    let body = std::str::from_utf8(body).map_err(|_| bad("not UTF-8"))?;
    let body = body
        .strip_suffix('\n')
        .ok_or_else(|| bad("not newline-terminated"))?;
    let mut lines = body.split('\n');
    let origin = lines
        .next()
        .filter(|o| !o.is_empty())
        .ok_or_else(|| bad("no origin"))?;
    let size = lines.next().ok_or_else(|| bad("no tree size"))?;
    if size.is_empty()
        || !size.bytes().all(|b| b.is_ascii_digit())
        || (size.len() > 1 && size.starts_with('0'))
    {
        return Err(bad("the tree size is not a decimal without leading zeroes"));
    }
    let size: u64 = size
        .parse()
        .map_err(|_| bad("the tree size is out of range"))?;
    let root = lines.next().ok_or_else(|| bad("no root hash"))?;
    let root: Hash = BASE64
        .decode(root)
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or_else(|| bad("the root is not a base64 32-byte hash"))?;
    if lines.any(str::is_empty) {
        return Err(bad("an empty extension line"));
    }
    Ok((origin.to_owned(), size, root))
}
