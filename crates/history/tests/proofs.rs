//! Roots, inclusion and consistency proofs from a real sled history, checked by code that did
//! not produce them: `tlog-proof` files through the separate parser and RFC 9162 verifier, and
//! the same proofs through `tlog_tiles`' own checker as a third opinion.

use chrono::{Duration, TimeZone, Utc};
use claimledger_history::merkle::{leaf_hash, verify_consistency, TreeBuilder};
use claimledger_history::{
    open_checkpoint, verify_tlog_proof, History, LogKey, ProofFileError, SledHistory, TlogProof,
    TreeHead, EMPTY_ROOT,
};
use uuid::Uuid;

const ORIGIN: &str = "claimledger.example/log";

struct Fixture {
    dir: tempfile::TempDir,
    db: sled::Db,
    history: SledHistory,
    key: LogKey,
}

fn event(i: u64) -> Vec<u8> {
    format!("{{\"specversion\":\"1.0\",\"id\":\"{i}\",\"data\":{{\"n\":{i}}}}}").into_bytes()
}

fn fixture(n: u64) -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = sled::Config::new()
        .path(dir.path().join("db"))
        .open()
        .expect("sled");
    let history = SledHistory::open(&db).expect("history");
    let start = Utc
        .with_ymd_and_hms(2025, 3, 1, 12, 0, 0)
        .single()
        .expect("time");
    for i in 1..=n {
        history
            .append(
                Uuid::from_u128(u128::from(i)),
                &event(i),
                start + Duration::seconds(i as i64),
            )
            .expect("append");
    }
    let key = LogKey::load_or_create(dir.path(), ORIGIN).expect("key");
    Fixture {
        dir,
        db,
        history,
        key,
    }
}

#[test]
fn roots_of_every_size_match_a_from_scratch_build() {
    let f = fixture(40);
    let mut builder = TreeBuilder::new();
    assert_eq!(f.history.root(0).expect("root"), EMPTY_ROOT);
    for seq in 1..=40 {
        let record = f.history.get(seq).expect("get").expect("record");
        let leaf = leaf_hash(&record.event);
        assert_eq!(f.history.leaf_hash(seq).expect("leaf"), Some(leaf));
        builder.push(leaf);
        assert_eq!(
            f.history.root(seq).expect("root"),
            builder.root(),
            "size {seq}"
        );
    }
    assert!(f.history.root(41).is_err());
}

#[test]
fn every_record_has_a_proof_file_an_outsider_can_check() {
    let f = fixture(21);
    let size = f.history.len();
    let head = TreeHead {
        size,
        root: f.history.root(size).expect("root"),
    };
    let checkpoint = f.key.sign(head).expect("sign");
    for seq in 1..=size {
        let proof = TlogProof::new(&f.history, seq, &checkpoint).expect("proof");
        let text = proof.to_text();
        let entry = f.history.get(seq).expect("get").expect("record").event;
        let verified = verify_tlog_proof(text.as_bytes(), &entry, f.key.verifier_key())
            .unwrap_or_else(|error| panic!("seq {seq}: {error}\n{text}"));
        assert_eq!(verified.index, seq - 1);
        assert_eq!(verified.size, size);
        assert_eq!(verified.root, head.root);
        assert_eq!(verified.origin, ORIGIN);

        // A third opinion: tlog_tiles' own checker (Go sumdb's algorithm).
        let hashes = proof
            .hashes
            .iter()
            .map(|h| tlog_tiles::Hash(*h))
            .collect::<Vec<_>>();
        tlog_tiles::check_record(
            &hashes,
            size,
            tlog_tiles::Hash(head.root),
            seq - 1,
            tlog_tiles::Hash(leaf_hash(&entry)),
        )
        .expect("tlog_tiles agrees");

        // The wrong entry, or the right entry at the wrong index, is refused.
        assert!(matches!(
            verify_tlog_proof(text.as_bytes(), b"other bytes", f.key.verifier_key()),
            Err(ProofFileError::Inclusion(_))
        ));
        let moved = text.replacen(
            &format!("\nindex {}\n", seq - 1),
            &format!("\nindex {}\n", seq % size),
            1,
        );
        assert!(verify_tlog_proof(moved.as_bytes(), &entry, f.key.verifier_key()).is_err());
    }
    if std::env::var_os("SHOW_PROOF").is_some() {
        println!("verifier key: {}", f.key.verifier_key());
        println!("checkpoint:\n{}", checkpoint.text());
        let proof = TlogProof::new(&f.history, 5, &checkpoint).expect("proof");
        println!("proof of seq 5:\n{}", proof.to_text());
    }
}

#[test]
fn a_doctored_proof_file_is_refused() {
    let f = fixture(9);
    let size = f.history.len();
    let checkpoint = f
        .key
        .sign(TreeHead {
            size,
            root: f.history.root(size).expect("root"),
        })
        .expect("sign");
    let text = TlogProof::new(&f.history, 4, &checkpoint)
        .expect("proof")
        .to_text();
    let entry = f.history.get(4).expect("get").expect("record").event;
    let vkey = f.key.verifier_key();
    assert!(verify_tlog_proof(text.as_bytes(), &entry, vkey).is_ok());

    // A proof hash altered.
    let lines: Vec<&str> = text.split('\n').collect();
    let mut altered = lines.clone();
    let flipped = if lines[2].starts_with('A') {
        format!("B{}", &lines[2][1..])
    } else {
        format!("A{}", &lines[2][1..])
    };
    altered[2] = &flipped;
    assert!(matches!(
        verify_tlog_proof(altered.join("\n").as_bytes(), &entry, vkey),
        Err(ProofFileError::Inclusion(_))
    ));
    // A proof hash dropped.
    let mut dropped = lines.clone();
    dropped.remove(2);
    assert!(verify_tlog_proof(dropped.join("\n").as_bytes(), &entry, vkey).is_err());
    // The checkpoint's size changed after signing.
    let resized = text.replacen(&format!("{ORIGIN}\n{size}\n"), &format!("{ORIGIN}\n8\n"), 1);
    assert!(matches!(
        verify_tlog_proof(resized.as_bytes(), &entry, vkey),
        Err(ProofFileError::Signature(_))
    ));
    // Another log's key.
    let other = tempfile::tempdir().expect("temp dir");
    let other_key = LogKey::load_or_create(other.path(), ORIGIN).expect("key");
    assert!(matches!(
        verify_tlog_proof(text.as_bytes(), &entry, other_key.verifier_key()),
        Err(ProofFileError::Signature(_))
    ));
    // Not a proof at all; a leading-zero index.
    assert!(matches!(
        verify_tlog_proof(b"hello\n\n", &entry, vkey),
        Err(ProofFileError::NotAProof)
    ));
    let zero = text.replacen("\nindex 3\n", "\nindex 03\n", 1);
    assert!(matches!(
        verify_tlog_proof(zero.as_bytes(), &entry, vkey),
        Err(ProofFileError::Malformed { line: 2, .. })
    ));
    // Extra data is allowed and returned, not trusted.
    let with_extra = text.replacen("\nindex 3\n", "\nextra aGVsbG8=\nindex 3\n", 1);
    let verified = verify_tlog_proof(with_extra.as_bytes(), &entry, vkey).expect("extra ok");
    assert_eq!(verified.extra.as_deref(), Some(&b"hello"[..]));
}

#[test]
fn the_log_only_grew_between_any_two_sizes() {
    let f = fixture(23);
    let n = f.history.len();
    for new in 1..=n {
        let new_root = f.history.root(new).expect("root");
        for old in 1..=new {
            let old_root = f.history.root(old).expect("root");
            let proof = f.history.consistency_proof(old, new).expect("proof");
            verify_consistency(old, new, &proof, &old_root, &new_root)
                .unwrap_or_else(|error| panic!("{old} -> {new}: {error}"));
            assert!(
                verify_consistency(old, new, &proof, &new_root, &old_root).is_err() || old == new
            );
        }
    }
    assert!(f.history.consistency_proof(0, 3).is_err());
    assert!(f.history.consistency_proof(4, 3).is_err());
    assert!(f.history.consistency_proof(3, n + 1).is_err());
}

#[test]
fn a_saved_checkpoint_checks_the_log_after_it_grew() {
    let f = fixture(10);
    let signed = f
        .key
        .sign(TreeHead {
            size: 10,
            root: f.history.root(10).expect("root"),
        })
        .expect("sign");
    let saved = f.dir.path().join("checkpoint-10");
    std::fs::write(&saved, &signed.note).expect("save");
    for i in 11..=15u64 {
        f.history
            .append(Uuid::from_u128(u128::from(i)), &event(i), Utc::now())
            .expect("append");
    }
    let note = std::fs::read(&saved).expect("read");
    let opened = open_checkpoint(&note, f.key.verifier_key()).expect("opens");
    let verification = f.history.verify_against(Some(opened.head)).expect("verify");
    assert!(verification.is_ok(), "{verification:?}");
    assert_eq!(verification.size, 15);
}

#[test]
fn a_log_from_before_the_tree_is_backfilled_on_open() {
    let f = fixture(37);
    let root = f.history.root(37).expect("root");
    // What a log written before this crate kept a Merkle tree looks like.
    f.history.raw_subtrees().clear().expect("clear");
    let meta = f.db.open_tree("history/meta").expect("meta");
    meta.remove(b"merkle-layout").expect("unmark");
    assert!(f.history.root(37).is_err());
    let reopened = SledHistory::open(&f.db).expect("reopen");
    assert_eq!(reopened.root(37).expect("root"), root);
    assert!(reopened.verify().expect("verify").is_ok());
    // And it keeps appending on top.
    reopened
        .append(Uuid::from_u128(38), &event(38), Utc::now())
        .expect("append");
    assert!(reopened.verify().expect("verify").is_ok());
}

/// Releases before the sparse tree stored every leaf hash (`history/leaves`) and every subtree
/// hash: opening such a store drops them, and the tree, its proofs and appends go on unchanged.
#[test]
fn a_store_with_every_leaf_and_subtree_hash_is_migrated_on_open() {
    let f = fixture(37);
    let root = f.history.root(37).expect("root");
    let proof = f.history.inclusion_proof(5, 37).expect("proof");
    // What the earlier layout held beside the records, and no layout mark.
    let meta = f.db.open_tree("history/meta").expect("meta");
    meta.remove(b"merkle-layout").expect("unmark");
    let leaves = f.db.open_tree("history/leaves").expect("tree");
    let mut tree = TreeBuilder::new();
    for seq in 1..=37 {
        let leaf = f.history.leaf_hash(seq).expect("read").expect("leaf");
        leaves.insert(seq.to_be_bytes(), &leaf).expect("leaf");
        for done in tree.push(leaf) {
            let key = claimledger_history::subtree_key(done.level, done.index);
            f.history
                .raw_subtrees()
                .insert(key, &done.hash)
                .expect("subtree");
        }
    }
    assert_eq!(
        f.history.raw_subtrees().len(),
        37 - 37usize.count_ones() as usize
    );
    let reopened = SledHistory::open(&f.db).expect("reopen");
    assert!(!f
        .db
        .tree_names()
        .iter()
        .any(|name| name.as_ref() == b"history/leaves"));
    assert_eq!(
        reopened.raw_subtrees().len() as u64,
        claimledger_history::stored_subtree_count(37)
    );
    assert_eq!(reopened.root(37).expect("root"), root);
    assert_eq!(reopened.inclusion_proof(5, 37).expect("proof"), proof);
    assert!(reopened.verify().expect("verify").is_ok());
    reopened
        .append(Uuid::from_u128(38), &event(38), Utc::now())
        .expect("append");
    assert!(reopened.verify().expect("verify").is_ok());
}
