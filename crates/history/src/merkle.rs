//! The RFC 6962 / RFC 9162 Merkle tree over history: hashing, a streaming from-scratch builder,
//! and proof verification at the hash level.
//!
//! Proofs are *generated* from stored hashes by `tlog_tiles` (see `sled_history`); they are
//! *verified* here, by hand, following RFC 9162 §2.1.3.2 and §2.1.4.2 step by step. Why not a
//! crate for verification too: the verifier must take hashes as byte strings of any length (the
//! shared transparency-dev vectors include malformed and odd-length hashes that a verifier must
//! reject, and one size-1 → size-1 case with a 12-byte root that it must accept), while
//! `tlog_tiles` and `ct-merkle` only take fixed 32-byte hashes (and `ct-merkle` verifies from leaf
//! *values*, not leaf hashes); and a verifier that shares no code with the generator is what
//! makes a proof check independent.

use sha2::{Digest, Sha256};

/// A SHA-256 tree hash.
pub type Hash = [u8; 32];

/// The root of the empty tree: SHA-256 of the empty string (RFC 6962 §2.1).
pub const EMPTY_ROOT: Hash = [
    0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
    0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
];

/// The leaf hash of one entry: SHA-256(0x00 ‖ the exact stored event bytes).
pub fn leaf_hash(entry: &[u8]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x00]);
    hasher.update(entry);
    hasher.finalize().into()
}

/// An interior node: SHA-256(0x01 ‖ left ‖ right). Takes slices so that the verifiers can hash
/// whatever a proof carries, as the RFC's algorithms do.
pub fn node_hash(left: &[u8], right: &[u8]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x01]);
    hasher.update(left);
    hasher.update(right);
    hasher.finalize().into()
}

/// Why a proof did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    #[error("leaf index {index} is not in a tree of size {size}")]
    IndexBeyondTree { index: u64, size: u64 },
    #[error("the new tree ({new}) is smaller than the old one ({old})")]
    TreeShrank { old: u64, new: u64 },
    #[error("nothing can be proven consistent with the empty tree")]
    FromEmptyTree,
    #[error("the proof must be empty for two trees of the same size")]
    ProofNotEmpty,
    #[error("the proof is empty")]
    ProofEmpty,
    #[error("proof element {position} is {len} bytes, not 32")]
    BadHashLength { position: usize, len: usize },
    #[error("the leaf hash is {0} bytes, not 32")]
    BadLeafLength(usize),
    #[error("the root hash is {0} bytes, not 32")]
    BadRootLength(usize),
    #[error("the proof has the wrong number of elements")]
    WrongLength,
    #[error("the proof leads to a different root")]
    RootMismatch,
    #[error("the proof does not lead to the old tree's root")]
    OldRootMismatch,
}

fn check_lengths<P: AsRef<[u8]>>(proof: &[P]) -> Result<(), ProofError> {
    for (position, element) in proof.iter().enumerate() {
        let len = element.as_ref().len();
        if len != 32 {
            return Err(ProofError::BadHashLength { position, len });
        }
    }
    Ok(())
}

/// Checks that `leaf` (a leaf *hash*) is entry `index` (0-based) of the tree of `size` entries
/// whose root is `root`, per RFC 9162 §2.1.3.2.
pub fn verify_inclusion<P: AsRef<[u8]>>(
    index: u64,
    size: u64,
    leaf: &[u8],
    proof: &[P],
    root: &[u8],
) -> Result<(), ProofError> {
    // Step 1.
    if index >= size {
        return Err(ProofError::IndexBeyondTree { index, size });
    }
    check_lengths(proof)?;
    // A leaf or root that is not a SHA-256 hash cannot be one (two empty strings are "equal").
    if leaf.len() != 32 {
        return Err(ProofError::BadLeafLength(leaf.len()));
    }
    if root.len() != 32 {
        return Err(ProofError::BadRootLength(root.len()));
    }
    // Steps 2 and 3.
    let (mut fn_, mut sn) = (index, size - 1);
    let mut r: Vec<u8> = leaf.to_vec();
    // Step 4.
    for p in proof {
        let p = p.as_ref();
        if sn == 0 {
            return Err(ProofError::WrongLength);
        }
        if fn_ & 1 == 1 || fn_ == sn {
            r = node_hash(p, &r).to_vec();
            if fn_ & 1 == 0 {
                while fn_ & 1 == 0 && fn_ != 0 {
                    fn_ >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p).to_vec();
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    // Step 5.
    if sn != 0 {
        return Err(ProofError::WrongLength);
    }
    if r != root {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}

/// Checks that the tree of `new_size` entries with root `new_root` extends the tree of
/// `old_size` entries with root `old_root`, per RFC 9162 §2.1.4.2. Equal sizes are consistent
/// exactly when the proof is empty and the roots are equal (for size 0, both must be the empty
/// tree's root); a proof *from* the empty tree proves nothing and is rejected.
pub fn verify_consistency<P: AsRef<[u8]>>(
    old_size: u64,
    new_size: u64,
    proof: &[P],
    old_root: &[u8],
    new_root: &[u8],
) -> Result<(), ProofError> {
    if new_size < old_size {
        return Err(ProofError::TreeShrank {
            old: old_size,
            new: new_size,
        });
    }
    if old_size == new_size {
        if !proof.is_empty() {
            return Err(ProofError::ProofNotEmpty);
        }
        if old_size == 0 && old_root != EMPTY_ROOT {
            return Err(ProofError::OldRootMismatch);
        }
        if old_root != new_root {
            return Err(ProofError::RootMismatch);
        }
        return Ok(());
    }
    if old_size == 0 {
        return Err(ProofError::FromEmptyTree);
    }
    // Step 1.
    if proof.is_empty() {
        return Err(ProofError::ProofEmpty);
    }
    check_lengths(proof)?;
    // Step 2: when the old tree is a complete subtree, its root is the path's first element.
    let mut path: Vec<&[u8]> = Vec::with_capacity(proof.len() + 1);
    if old_size.is_power_of_two() {
        path.push(old_root);
    }
    path.extend(proof.iter().map(AsRef::as_ref));
    // Steps 3 and 4.
    let (mut fn_, mut sn) = (old_size - 1, new_size - 1);
    while fn_ & 1 == 1 {
        fn_ >>= 1;
        sn >>= 1;
    }
    // Step 5.
    let mut fr: Vec<u8> = path[0].to_vec();
    let mut sr: Vec<u8> = path[0].to_vec();
    // Step 6.
    for c in &path[1..] {
        if sn == 0 {
            return Err(ProofError::WrongLength);
        }
        if fn_ & 1 == 1 || fn_ == sn {
            fr = node_hash(c, &fr).to_vec();
            sr = node_hash(c, &sr).to_vec();
            if fn_ & 1 == 0 {
                while fn_ & 1 == 0 && fn_ != 0 {
                    fn_ >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            sr = node_hash(&sr, c).to_vec();
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    // Step 7.
    if sn != 0 {
        return Err(ProofError::WrongLength);
    }
    if fr != old_root {
        return Err(ProofError::OldRootMismatch);
    }
    if sr != new_root {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}

/// Builds the tree from scratch, one leaf at a time, keeping only the roots of the complete
/// subtrees on the right edge (at most log₂ n of them). `verify` uses it to recompute every
/// stored subtree hash and the root without trusting anything stored.
#[derive(Debug, Default, Clone)]
pub struct TreeBuilder {
    size: u64,
    /// (level, hash) of each complete subtree on the right edge, largest first.
    edge: Vec<(u8, Hash)>,
}

/// A complete subtree that a push just finished: it covers the leaves
/// `[index·2^level, (index+1)·2^level)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompletedSubtree {
    pub level: u8,
    pub index: u64,
    pub hash: Hash,
}

impl TreeBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// The (level, index) of each complete subtree on the right edge of a tree of `size`
    /// leaves, largest first: what [`TreeBuilder::resume`] needs (level 0 is a leaf).
    pub fn edge_of(size: u64) -> Vec<(u8, u64)> {
        let mut start = 0u64;
        (0..64u8)
            .rev()
            .filter(|level| size & (1u64 << level) != 0)
            .map(|level| {
                let index = start >> level;
                start += 1u64 << level;
                (level, index)
            })
            .collect()
    }

    /// A builder over `size` leaves pushed earlier, from the hashes of its right edge (in the
    /// order of [`TreeBuilder::edge_of`]); `None` when their number does not fit `size`.
    pub fn resume(size: u64, edge_hashes: Vec<Hash>) -> Option<Self> {
        let levels = Self::edge_of(size);
        (levels.len() == edge_hashes.len()).then(|| TreeBuilder {
            size,
            edge: levels
                .into_iter()
                .map(|(level, _)| level)
                .zip(edge_hashes)
                .collect(),
        })
    }

    /// Number of leaves pushed so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Adds the next leaf hash; returns the subtrees of level ≥ 1 it completed, smallest first.
    pub fn push(&mut self, leaf: Hash) -> Vec<CompletedSubtree> {
        let mut completed = Vec::new();
        let mut level = 0u8;
        let mut hash = leaf;
        // The leaf index, shifted as we climb: the index of the subtree at `level`.
        let mut index = self.size;
        while let Some(&(top_level, top_hash)) = self.edge.last() {
            if top_level != level {
                break;
            }
            self.edge.pop();
            hash = node_hash(&top_hash, &hash);
            level += 1;
            index >>= 1;
            completed.push(CompletedSubtree { level, index, hash });
        }
        self.edge.push((level, hash));
        self.size += 1;
        completed
    }

    /// The RFC 6962 root of the leaves pushed so far.
    pub fn root(&self) -> Hash {
        let mut edge = self.edge.iter().rev();
        let Some(&(_, mut root)) = edge.next() else {
            return EMPTY_ROOT;
        };
        for (_, left) in edge {
            root = node_hash(left, &root);
        }
        root
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A builder resumed from the right edge of n leaves goes on exactly as one that pushed
    /// them all: the same completed subtrees and roots, for every n up to 70.
    #[test]
    fn a_resumed_builder_goes_on_as_the_original() {
        let all = leaves(90);
        for n in 0..70usize {
            let mut original = TreeBuilder::new();
            let mut by_position = std::collections::HashMap::new();
            for (i, leaf) in all[..n].iter().enumerate() {
                by_position.insert((0u8, i as u64), *leaf);
                for done in original.push(*leaf) {
                    by_position.insert((done.level, done.index), done.hash);
                }
            }
            let edge = TreeBuilder::edge_of(n as u64)
                .into_iter()
                .map(|position| by_position[&position])
                .collect();
            let mut resumed = TreeBuilder::resume(n as u64, edge).expect("edge fits");
            assert_eq!(resumed.root(), original.root(), "n = {n}");
            for leaf in &all[n..] {
                assert_eq!(resumed.push(*leaf), original.push(*leaf), "n = {n}");
                assert_eq!(resumed.root(), original.root(), "n = {n}");
            }
        }
        assert!(TreeBuilder::resume(3, vec![[0; 32]]).is_none());
    }

    /// MTH(D[n]) straight from RFC 6962 §2.1, recursively: the reference the rest is held to.
    fn reference_root(leaves: &[Hash]) -> Hash {
        match leaves.len() {
            0 => EMPTY_ROOT,
            1 => leaves[0],
            n => {
                let k = (n - 1).next_power_of_two().max(1);
                let k = if k >= n { k / 2 } else { k };
                node_hash(&reference_root(&leaves[..k]), &reference_root(&leaves[k..]))
            }
        }
    }

    fn leaves(n: usize) -> Vec<Hash> {
        (0..n)
            .map(|i| leaf_hash(format!("leaf {i}").as_bytes()))
            .collect()
    }

    #[test]
    fn empty_root_is_sha256_of_nothing() {
        assert_eq!(EMPTY_ROOT, <[u8; 32]>::from(Sha256::digest(b"")));
    }

    #[test]
    fn builder_matches_the_rfc_definition_and_tlog_tiles() {
        let all = leaves(70);
        let mut builder = TreeBuilder::new();
        let mut stored: Vec<tlog_tiles::Hash> = Vec::new();
        struct Stored<'a>(&'a [tlog_tiles::Hash]);
        impl tlog_tiles::HashReader for Stored<'_> {
            fn read_hashes(
                &self,
                indexes: &[u64],
            ) -> Result<Vec<tlog_tiles::Hash>, tlog_tiles::Error> {
                indexes
                    .iter()
                    .map(|&i| {
                        self.0
                            .get(i as usize)
                            .copied()
                            .ok_or(tlog_tiles::Error::IndexesNotInTree)
                    })
                    .collect()
            }
        }
        assert_eq!(builder.root(), EMPTY_ROOT);
        for (i, leaf) in all.iter().enumerate() {
            let completed = builder.push(*leaf);
            let new = tlog_tiles::stored_hashes_for_record_hash(
                i as u64,
                tlog_tiles::Hash(*leaf),
                &Stored(&stored),
            )
            .expect("stored hashes");
            // tlog_tiles stores the leaf then each completed subtree, smallest first.
            assert_eq!(new.len(), completed.len() + 1);
            for (c, h) in completed.iter().zip(&new[1..]) {
                assert_eq!(c.hash, h.0);
                assert_eq!(
                    tlog_tiles::stored_hash_index(c.level, c.index),
                    stored.len() as u64 + u64::from(c.level)
                );
            }
            stored.extend(new);
            let size = i + 1;
            assert_eq!(builder.root(), reference_root(&all[..size]), "size {size}");
            let tiles_root = tlog_tiles::tree_hash(size as u64, &Stored(&stored)).expect("root");
            assert_eq!(builder.root(), tiles_root.0, "size {size}");
        }
    }

    #[test]
    fn proofs_from_tlog_tiles_verify_here_and_tampered_ones_do_not() {
        let all = leaves(37);
        let mut stored: Vec<tlog_tiles::Hash> = Vec::new();
        struct Stored<'a>(&'a [tlog_tiles::Hash]);
        impl tlog_tiles::HashReader for Stored<'_> {
            fn read_hashes(
                &self,
                indexes: &[u64],
            ) -> Result<Vec<tlog_tiles::Hash>, tlog_tiles::Error> {
                Ok(indexes.iter().map(|&i| self.0[i as usize]).collect())
            }
        }
        for (i, leaf) in all.iter().enumerate() {
            let new = tlog_tiles::stored_hashes_for_record_hash(
                i as u64,
                tlog_tiles::Hash(*leaf),
                &Stored(&stored),
            )
            .expect("stored");
            stored.extend(new);
        }
        let reader = Stored(&stored);
        for size in 1..=all.len() as u64 {
            let root = reference_root(&all[..size as usize]);
            for index in 0..size {
                let proof = tlog_tiles::prove_record(size, index, &reader).expect("prove");
                let proof: Vec<Hash> = proof.iter().map(|h| h.0).collect();
                verify_inclusion(index, size, &all[index as usize], &proof, &root)
                    .unwrap_or_else(|e| panic!("index {index} size {size}: {e}"));
                let wrong_leaf = leaf_hash(b"not in the tree");
                assert!(verify_inclusion(index, size, &wrong_leaf, &proof, &root).is_err());
            }
            for old in 1..=size {
                let old_root = reference_root(&all[..old as usize]);
                let proof = tlog_tiles::prove_tree(size, old, &reader).expect("prove tree");
                let mut proof: Vec<Hash> = proof.iter().map(|h| h.0).collect();
                verify_consistency(old, size, &proof, &old_root, &root)
                    .unwrap_or_else(|e| panic!("{old} -> {size}: {e}"));
                if let Some(first) = proof.first_mut() {
                    first[0] ^= 1;
                    assert!(verify_consistency(old, size, &proof, &old_root, &root).is_err());
                }
            }
        }
    }
}
