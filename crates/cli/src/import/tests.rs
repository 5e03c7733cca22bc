//! The import's pure parts: keys, row parsing, the summary.

use super::*;

#[test]
fn keys_come_from_the_id_or_the_batch_and_line_never_the_content() {
    let a = parse_json_row(r#"{"id": 7, "title": "A", "body": "x"}"#, "f.ndjson", 3);
    let b = parse_json_row(r#"{"id": "7", "title": "B", "body": "y"}"#, "g.ndjson", 9);
    assert_eq!(a.as_ref().map(|p| p.key.as_str()), Ok("import-id:7"));
    assert_eq!(
        a.map(|p| p.key),
        b.map(|p| p.key),
        "the same id, the same key"
    );
    let first = parse_json_row(r#"{"title": "A", "body": "x"}"#, "f.ndjson", 3);
    let changed = parse_json_row(r#"{"title": "A2", "body": "x2"}"#, "f.ndjson", 3);
    assert_eq!(
        first.as_ref().map(|p| p.key.as_str()),
        Ok("import-line:f.ndjson:3")
    );
    assert_eq!(first.map(|p| p.key), changed.map(|p| p.key));
    let blank_id = parse_json_row(r#"{"id": " ", "title": "A", "body": "x"}"#, "f", 4);
    assert_eq!(blank_id.map(|p| p.key), Ok("import-line:f:4".to_owned()));
}

#[test]
fn key_parts_are_visible_ascii_and_cannot_collide_across_forms() {
    assert_eq!(
        encode_key_part("архив 1.csv"),
        "%D0%B0%D1%80%D1%85%D0%B8%D0%B2%201.csv"
    );
    assert_eq!(encode_key_part("a:b%c"), "a%3Ab%25c");
    // A batch named like an id prefix stays apart from ids: the forms differ in their head.
    assert_ne!(
        row_key(Some("x:1"), "b", 1),
        row_key(None, &encode_key_part("x"), 1)
    );
    assert!(row_key(Some(&"é".repeat(100)), "b", 1).is_err());
    assert!(batch_key_part(&"a".repeat(201)).is_err());
    assert!(batch_key_part("  ").is_err());
}

#[test]
fn bad_json_rows_say_what_is_wrong() {
    let error = |line: &str| parse_json_row(line, "f", 1).expect_err(line);
    assert!(error(r#"{"title": "A"}"#).contains("missing field `body`"));
    assert!(error(r#"{"title": 5, "body": "x"}"#).contains("invalid type"));
    assert!(error(r#"{"title": "A", "body": "x", "author": "me"}"#).contains("unknown field"));
    assert!(error(r#"{"title": "A", "body": "#).contains("EOF"));
    assert!(error(r#"{"id": 1.5, "title": "A", "body": "x"}"#).contains("whole number"));
    let prepared = parse_json_row(
        r#"{"title": "A", "body": "x", "language": "ru", "published_at": null}"#,
        "f",
        1,
    )
    .expect("a row");
    assert_eq!(
        prepared.body,
        json!({ "title": "A", "body": "x", "language": "ru" })
    );
}

#[test]
fn csv_rows_keep_ids_as_text_and_report_bad_records() {
    let header: csv::StringRecord = ["id", "title", "body", "published_at"]
        .into_iter()
        .collect();
    check_csv_header(&header).expect("a good header");
    let record = csv::ByteRecord::from(vec!["007", "T", "B", ""]);
    let prepared = parse_csv_row(&record, &header, "f.csv", 2).expect("a row");
    assert_eq!(prepared.key, "import-id:007");
    assert_eq!(prepared.body, json!({ "title": "T", "body": "B" }));
    let short = csv::ByteRecord::from(vec!["1", "T"]);
    assert_eq!(
        parse_csv_row(&short, &header, "f.csv", 3),
        Err("has 2 fields; the header has 4".to_owned())
    );
    let latin1 = csv::ByteRecord::from(vec![&b"1"[..], b"T", b"caf\xE9", b""]);
    assert_eq!(
        parse_csv_row(&latin1, &header, "f.csv", 4),
        Err("field 3 is not UTF-8 text".to_owned())
    );
    let unknown: csv::StringRecord = ["title", "body", "author"].into_iter().collect();
    assert!(check_csv_header(&unknown).is_err());
    let no_body: csv::StringRecord = ["title"].into_iter().collect();
    assert!(check_csv_header(&no_body).is_err());
    let twice: csv::StringRecord = ["title", "body", "title"].into_iter().collect();
    assert!(check_csv_header(&twice).is_err());
}

/// Everything a reader sent, after it returned.
fn drain(mut rx: mpsc::Receiver<Item>) -> Vec<Item> {
    let mut items = Vec::new();
    while let Ok(item) = rx.try_recv() {
        items.push(item);
    }
    items
}

#[test]
fn ndjson_lines_are_numbered_as_in_the_file_and_every_byte_is_counted() {
    let mut input = b"\xEF\xBB\xBF{\"title\": \"A\", \"body\": \"x\"}\r\n\n  \n".to_vec();
    input.extend_from_slice(b"{\"title\": \"caf\xE9\", \"body\": \"x\"}\n");
    input.extend_from_slice(&vec![b' '; MAX_LINE_BYTES + 10]);
    input.extend_from_slice(b"\n{\"title\": \"B\", \"body\": \"y\"}");
    let (tx, rx) = mpsc::channel(16);
    read_ndjson(&input[..], "f", &tx).expect("read");
    drop(tx);
    let items = drain(rx);
    let lines: Vec<u64> = items.iter().map(|item| item.line).collect();
    assert_eq!(
        lines,
        vec![1, 4, 5, 6],
        "blank lines are skipped, not renumbered"
    );
    assert_eq!(
        items[0].parsed.as_ref().map(|p| p.key.as_str()),
        Ok("import-line:f:1"),
        "a byte-order mark and CRLF are not part of the row"
    );
    assert_eq!(
        items[1].parsed,
        Err("not UTF-8 text (invalid byte at column 15)".to_owned())
    );
    assert_eq!(items[2].parsed, Err("line is longer than 4 MiB".to_owned()));
    assert!(items[3].parsed.is_ok(), "a last line without a line break");
    let counted: u64 = items.iter().map(|item| item.bytes).sum();
    assert_eq!(counted, input.len() as u64);
}

#[test]
fn csv_rows_are_numbered_by_the_line_they_start_on() {
    let input = "id,title,body\n1,A,\"two\nlines\"\n2,B\n3,C,z\n";
    let mut reader = csv_reader(Box::new(std::io::Cursor::new(input.as_bytes().to_vec())));
    let header = read_csv_header(&mut reader).expect("header");
    let (tx, rx) = mpsc::channel(16);
    read_csv(reader, &header, "f.csv", &tx).expect("read");
    drop(tx);
    let items = drain(rx);
    let lines: Vec<u64> = items.iter().map(|item| item.line).collect();
    assert_eq!(lines, vec![2, 4, 5]);
    assert_eq!(
        items[0].parsed.as_ref().map(|p| p.body["body"].clone()),
        Ok(json!("two\nlines"))
    );
    assert!(items[1].parsed.is_err());
    let counted: u64 = items.iter().map(|item| item.bytes).sum();
    assert_eq!(counted, (input.len() - "id,title,body\n".len()) as u64);
}

#[test]
fn rejects_group_by_reason_in_file_order() {
    let reject = |line, reason: &str| Reject {
        line,
        id: None,
        reason: reason.to_owned(),
    };
    let summary = Summary {
        rejects: vec![reject(9, "b"), reject(4, "a"), reject(2, "b")],
        ..Summary::default()
    };
    assert_eq!(
        summary.grouped(),
        vec![("b".to_owned(), vec![2, 9]), ("a".to_owned(), vec![4])]
    );
}
