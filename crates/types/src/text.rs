//! The one rule for text people type, and the one way it is shown where it could do harm.
//!
//! Stored free text (titles, bodies, outlets, notes, evidence, reasons, added claims, source
//! names) may hold tab and line breaks but no other control character: news text has none, and
//! an escape sequence stored once would run in every terminal that prints it. History written
//! before this rule may still hold some, so output meant for a terminal or a spreadsheet also
//! escapes them ([`escape_controls`], [`spreadsheet_cell`]).

use crate::message::{ErrorCode, ServiceError};
use std::borrow::Cow;
use std::fmt::Write as _;

/// The first control character other than tab and line breaks, with its byte offset.
pub fn first_refused_control(text: &str) -> Option<(usize, char)> {
    text.char_indices()
        .find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// Refuses `text` (named `field` in the message) if it holds a control character other than
/// tab and line breaks: a `400` naming the character and where it is.
pub fn check_no_controls(field: &str, text: &str) -> Result<(), ServiceError> {
    match first_refused_control(text) {
        None => Ok(()),
        Some((position, '\0')) => Err(ServiceError::new(
            ErrorCode::BadRequest,
            format!("{field} contains a NUL character at byte {position}"),
        )),
        Some((position, c)) => Err(ServiceError::new(
            ErrorCode::BadRequest,
            format!(
                "{field} contains the control character U+{:04X} at byte {position}",
                c as u32
            ),
        )),
    }
}

/// Characters a terminal would act on rather than show: every control character but tab and
/// line feed (a carriage return rewrites the line), and the bidirectional overrides and
/// isolates that make text read in another order than it is stored.
fn acts_on_terminal(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every character a terminal would act on written as a visible escape (`\r`,
/// `\u{1b}`, …); text without any is returned as it is.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts_on_terminal) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\r' => escaped.push_str("\\r"),
            c if acts_on_terminal(c) => {
                let _ = write!(escaped, "\\u{{{:x}}}", c as u32);
            }
            c => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}

/// A CSV cell safe to open in a spreadsheet and to print: a cell beginning with `=`, `+`, `-`,
/// `@`, tab or carriage return is prefixed with a single quote, so it is read as text and never
/// as a formula (OWASP, "CSV Injection"); control characters are then escaped as in
/// [`escape_controls`]. Quoting and embedded quotes are the CSV writer's part.
pub fn spreadsheet_cell(text: &str) -> Cow<'_, str> {
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    match (formula, escape_controls(text)) {
        (false, cell) => cell,
        (true, cell) => Cow::Owned(format!("'{cell}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_and_line_breaks_pass_other_controls_are_refused_by_position() {
        assert!(check_no_controls("note", "a\tb\nc\r\nd").is_ok());
        assert!(check_no_controls("note", "Кремль заявил").is_ok());
        let error = check_no_controls("note", "ab\u{1b}[31m").expect_err("ESC");
        assert_eq!(error.code, ErrorCode::BadRequest);
        assert_eq!(
            error.message,
            "note contains the control character U+001B at byte 2"
        );
        let error = check_no_controls("reason", "\u{0}").expect_err("NUL");
        assert_eq!(error.message, "reason contains a NUL character at byte 0");
        for refused in [
            "\u{7}",
            "\u{8}",
            "\u{7f}",
            "\u{9b}",
            "x\u{1b}]8;;http://e/\u{7}",
        ] {
            assert!(check_no_controls("f", refused).is_err(), "{refused:?}");
        }
    }

    #[test]
    fn escapes_leave_plain_text_alone_and_show_the_rest() {
        assert!(matches!(escape_controls("plain\ttext\n"), Cow::Borrowed(_)));
        assert_eq!(
            escape_controls("a\u{1b}]0;pwned\u{7}b\rc"),
            "a\\u{1b}]0;pwned\\u{7}b\\rc"
        );
        assert_eq!(escape_controls("\u{202e}txt.exe"), "\\u{202e}txt.exe");
    }

    #[test]
    fn formula_cells_become_text() {
        for (cell, safe) in [
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            (
                "=HYPERLINK(\"http://e.example\")",
                "'=HYPERLINK(\"http://e.example\")",
            ),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\\r=1"),
            ("Exports rose 3.5%", "Exports rose 3.5%"),
            ("", ""),
            ("a=b", "a=b"),
        ] {
            assert_eq!(spreadsheet_cell(cell), safe, "{cell:?}");
        }
    }
}
