//! Scoring attribution against PolNeAR (github.com/networkdynamics/PolNeAR), as issue 20 defines
//! it: pure functions over strings, so `claimledger eval --polnear` only reads files and prints.
//!
//! - **recall**: gold attributions with a source whose content overlaps the sentence of a
//!   predicted claim that names that source (the two phrases match by `eval::sources_match`);
//! - **precision**: predicted claims with a source phrase that matches some gold source of the
//!   same article.
//!
//! PolNeAR also marks thoughts and intentions, which the sourcing contract does not count as
//! claims, so a recall of 1.0 is not the aim. The annotations are brat standoff files whose
//! offsets count chars; claims count UTF-8 bytes, so offsets are converted once per text.
//! The corpus has no licence to redistribute: it is read from a folder outside the repository.

use claimledger_types::Span;
use serde::Serialize;

use crate::eval::sources_match;
use crate::ExtractedClaim;

/// One annotated attribution with a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldAttribution {
    /// The source phrase as annotated (fragments of a discontinuous span joined by a space).
    pub source: String,
    /// The content's fragments, as byte ranges into the text.
    pub content: Vec<Span>,
    /// The cue as annotated ("said", "according to"); empty when the event has none. Only the
    /// misses report groups by it; scoring ignores it.
    pub cue: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AnnError {
    #[error("line {line}: {reason}")]
    Line { line: usize, reason: &'static str },
    #[error("line {line}: char offset {offset} is past the end of the text")]
    Offset { line: usize, offset: usize },
}

/// A text-bound annotation: `T12<TAB>Content 120 211;215 230<TAB>text`.
struct TextBound<'a> {
    id: &'a str,
    /// Char ranges.
    ranges: Vec<(usize, usize)>,
    text: &'a str,
    line: usize,
}

/// The attributions with a source in one brat `.ann` file of `text`.
pub fn parse_ann(ann: &str, text: &str) -> Result<Vec<GoldAttribution>, AnnError> {
    let mut bounds: Vec<TextBound<'_>> = Vec::new();
    let mut events: Vec<(usize, &str)> = Vec::new();
    for (index, line) in ann.lines().enumerate() {
        let line_no = index + 1;
        if annotation_id(line, 'T') {
            bounds.push(text_bound(line, line_no)?);
        } else if annotation_id(line, 'E') {
            let roles = line.split('\t').nth(1).ok_or(AnnError::Line {
                line: line_no,
                reason: "an event line needs a tab",
            })?;
            events.push((line_no, roles));
        }
        // Notes ("#1") and the continuation lines of a multi-line note carry nothing we score.
    }
    let bytes = char_to_byte(text);
    let to_bytes = |b: &TextBound<'_>| -> Result<Vec<Span>, AnnError> {
        b.ranges
            .iter()
            .map(|&(start, end)| {
                let at = |offset: usize| {
                    bytes.get(offset).copied().ok_or(AnnError::Offset {
                        line: b.line,
                        offset,
                    })
                };
                Ok(Span::new(at(start)?, at(end)?))
            })
            .collect()
    };
    let mut out = Vec::new();
    for (line, roles) in events {
        let mut source = None;
        let mut content = None;
        let mut cue = None;
        for role in roles.split_whitespace() {
            let Some((name, id)) = role.split_once(':') else {
                return Err(AnnError::Line {
                    line,
                    reason: "an event role needs NAME:ID",
                });
            };
            let bound = || bounds.iter().find(|b| b.id == id);
            if name.starts_with("Source") {
                source = bound();
            } else if name.starts_with("Content") {
                content = bound();
            } else if name.starts_with("Cue") {
                cue = bound();
            }
        }
        if let (Some(source), Some(content)) = (source, content) {
            out.push(GoldAttribution {
                source: source.text.to_owned(),
                content: to_bytes(content)?,
                cue: cue.map_or_else(String::new, |c| c.text.to_lowercase()),
            });
        }
    }
    Ok(out)
}

/// Whether `line` opens with an id like `T12` followed by a tab. A note's text may run over
/// several lines, and a continuation line may start with any letter ("The mayor…").
fn annotation_id(line: &str, kind: char) -> bool {
    line.strip_prefix(kind)
        .and_then(|rest| rest.split_once('\t'))
        .is_some_and(|(number, _)| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
}

fn text_bound(line: &str, line_no: usize) -> Result<TextBound<'_>, AnnError> {
    let bad = |reason| AnnError::Line {
        line: line_no,
        reason,
    };
    let mut fields = line.splitn(3, '\t');
    let id = fields.next().ok_or(bad("no id"))?;
    let kind_and_ranges = fields.next().ok_or(bad("no type and offsets"))?;
    let text = fields.next().unwrap_or("");
    let (_, ranges) = kind_and_ranges
        .split_once(' ')
        .ok_or(bad("no offsets after the type"))?;
    let ranges = ranges
        .split(';')
        .map(|range| {
            let (start, end) = range.split_once(' ').ok_or(bad("an offset pair"))?;
            let parse = |s: &str| s.trim().parse::<usize>().map_err(|_| bad("an offset"));
            Ok((parse(start)?, parse(end)?))
        })
        .collect::<Result<Vec<_>, AnnError>>()?;
    Ok(TextBound {
        id,
        ranges,
        text,
        line: line_no,
    })
}

/// The byte offset of every char offset of `text`, one past the end included.
fn char_to_byte(text: &str) -> Vec<usize> {
    let mut bytes: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
    bytes.push(text.len());
    bytes
}

/// Tallies over articles; the rates derive from them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PolnearCounts {
    /// Gold attributions with a source.
    pub gold: usize,
    /// Of them, those a predicted claim covers and names.
    pub recalled: usize,
    /// Predicted claims with a source phrase.
    pub predicted: usize,
    /// Of them, those whose source matches a gold source of the article.
    pub precise: usize,
}

impl std::ops::AddAssign for PolnearCounts {
    fn add_assign(&mut self, o: PolnearCounts) {
        self.gold += o.gold;
        self.recalled += o.recalled;
        self.predicted += o.predicted;
        self.precise += o.precise;
    }
}

impl PolnearCounts {
    pub fn recall(&self) -> f64 {
        ratio(self.recalled, self.gold)
    }
    pub fn precision(&self) -> f64 {
        ratio(self.precise, self.predicted)
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

fn overlaps(a: Span, b: Span) -> bool {
    a.start < b.end && b.start < a.end
}

/// Scores one article's claims against its gold attributions.
pub fn score_article(gold: &[GoldAttribution], claims: &[ExtractedClaim]) -> PolnearCounts {
    let sourced: Vec<&ExtractedClaim> = claims.iter().filter(|c| c.source.is_some()).collect();
    let recalled = gold
        .iter()
        .filter(|g| {
            sourced.iter().any(|c| {
                g.content.iter().any(|&part| overlaps(part, c.span))
                    && sources_match(Some(&g.source), c.source.as_deref())
            })
        })
        .count();
    let precise = sourced
        .iter()
        .filter(|c| {
            gold.iter()
                .any(|g| sources_match(Some(&g.source), c.source.as_deref()))
        })
        .count();
    PolnearCounts {
        gold: gold.len(),
        recalled,
        predicted: sourced.len(),
        precise,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{extract, Language};

    // An invented text in PolNeAR's format: the em dash and the curly quotes make char and byte
    // offsets differ.
    const TEXT: &str = "Budget — news. “Taxes will rise,” the mayor said. Rain fell.";

    fn ann() -> String {
        // Chars: "Taxes will rise" is 16..31, "the mayor" 34..43, "said" 44..48.
        [
            "T1\tSource 34 43\tthe mayor",
            "T2\tCue 44 48\tsaid",
            "T3\tContent 16 31\tTaxes will rise",
            "T4\tAttribution 44 48\tsaid",
            "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
            "T5\tCue 50 54\tRain",
            "E2\tAttribution:T5 Cue:T5",
            "#1\tAnnotatorNotes T1\ta note that runs",
            "The rest of the note, on a line of its own.",
            "E and this line too.",
        ]
        .join("\n")
    }

    #[test]
    fn char_offsets_become_byte_ranges_and_sourceless_events_are_left_out() {
        let gold = parse_ann(&ann(), TEXT).expect("valid");
        assert_eq!(gold.len(), 1);
        assert_eq!(gold[0].source, "the mayor");
        assert_eq!(gold[0].cue, "said");
        let part = gold[0].content[0];
        assert_eq!(&TEXT[part.start..part.end], "Taxes will rise");
    }

    #[test]
    fn a_claim_naming_the_source_is_recalled_and_precise() {
        let gold = parse_ann(&ann(), TEXT).expect("valid");
        let claims = extract(TEXT, Language::En);
        let counts = score_article(&gold, &claims);
        assert_eq!(counts.gold, 1);
        assert_eq!(counts.recalled, 1, "{claims:#?}");
        assert_eq!(counts.predicted, 1);
        assert_eq!(counts.precise, 1);
    }

    #[test]
    fn bad_lines_are_errors_not_panics() {
        assert!(matches!(
            parse_ann(
                "T1\tSource 0 1\tx\nT2\tContent 5 900\ty\nE1\tSource:T1 Content:T2",
                "short"
            ),
            Err(AnnError::Offset { line: 2, .. })
        ));
        assert!(matches!(
            parse_ann("T1\tSource x y\tx", "short"),
            Err(AnnError::Line { line: 1, .. })
        ));
    }
}
