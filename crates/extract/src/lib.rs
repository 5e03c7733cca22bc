//! Rule-based claim extraction for Russian and English news: pure text in, claims out — no I/O,
//! no clock, no randomness, so the same body always yields the same claims (the extract
//! service's deterministic event ids rely on that). The crate owns the answers to "what are the
//! sentences", "which of them are claims", "who says each claim and how well is it sourced"
//! (DESIGN.md, "Sourcing rules"), "is it hedged" and "how check-worthy is it". Every span it
//! returns is a UTF-8 byte range on char boundaries into the body it was given, and
//! `&body[span]` equals the text field next to it.
//!
//! # Layout
//! - sentences and tokens come from `claimledger_text` (shared with the API and ingest, which
//!   need them without the extractor).
//! - `lexicon` — every word list the rules consult (cue verbs by stem, source nouns, hedges).
//! - `word_set` — the lexicon's word lists, which turn most words away before hashing them.
//! - `attribution` — frames ("X сообщил, что Y", "Y, X said", "По данным X, Y") → source,
//!   reporter, sourcing status and the claim proper; one file per construction.
//! - `coreference` — pronoun sources ("he", "она") resolved to the nearest earlier named one.
//! - `hedge` — expectation, plan, possibility and scheduled-future cues.
//! - `nonclaim` — headlines, deks, datelines, credit lines, questions, fragments.
//! - `score` — check-worthiness in [0, 1].
//! - `eval` — scoring extraction against hand-made gold (`claimledger eval`).
//! - `polnear` — scoring sources against PolNeAR's annotations (`claimledger eval --polnear`).
//! - `carrying` — pure: the events that bring an article to a newer text (a new version, or a
//!   newer extractor), its claims carried by the one rule, `claimledger_verify::carry`.
//! - `service` — the bus worker around `extract` (the only module that does I/O).

mod attribution;
pub mod carrying;
mod coreference;
pub mod eval;
mod hedge;
mod lexicon;
mod nonclaim;
pub mod polnear;
mod score;
pub mod service;
mod word_set;

#[cfg(test)]
mod tests;

pub use claimledger_text::{detect_language, sentences};
use claimledger_text::{segment, token};
use claimledger_types::{Language, Sourcing, Span};
use serde::{Deserialize, Serialize};

use crate::attribution::Analysis;
use crate::token::Token;

/// Names the rule set; bump it whenever a change can alter the claims of some body.
pub const EXTRACTOR_VERSION: &str = "rules-15";

/// One claim found in an article body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtractedClaim {
    /// The sentence as written: `&body[span]`.
    pub sentence: String,
    pub span: Span,
    /// The claim proper, attribution frame removed: `&body[content_span]`.
    pub content: String,
    pub content_span: Span,
    /// Who says it, as written; `None` when the article asserts it itself.
    pub source: Option<String>,
    pub source_span: Option<Span>,
    /// The named source a pronoun source ("he", "она") stands for: the nearest earlier
    /// compatible one in the article; `None` when the source is no pronoun or nothing fits.
    pub source_resolved: Option<String>,
    /// The outlet relaying the claim, when it is not the source itself.
    pub reporter: Option<String>,
    /// Decided by the ultimate source, not by the relaying outlet.
    pub sourcing: Sourcing,
    /// Expectation, plan, possibility, prediction or scheduled future event.
    pub hedged: bool,
    /// Check-worthiness in [0, 1].
    pub score: f32,
}

/// One sentence on its way to becoming (or not) a claim. Its tokens are dropped once read:
/// kept for every sentence until the end, they were most of the memory of a long body (the
/// extract bench's peak RSS fell from ~95 to ~55–72 MiB without them), and the page faults of
/// that showed in profiles. What the later passes need of them is kept instead.
struct Candidate {
    span: Span,
    paragraph: usize,
    analysis: Analysis,
    is_claim: bool,
    quote_marks: QuoteMarks,
    /// The name and handle when the sentence signs an embedded post (`signature_line`).
    signature: Option<Span>,
    /// The name signing a quote after a dash in this sentence (`quote_signature`).
    quote_signed: Option<attribution::QuoteSignature>,
    /// "She continued:": the speaker this sentence names for the quote of the next paragraph.
    quote_intro: Option<(Span, Sourcing)>,
    /// Read while the tokens were at hand; only claims have one.
    content: Option<Content>,
    /// A second report in the same sentence, with its own speaker ("Y, though she
    /// acknowledged Z"): a claim of its own, read while the tokens were at hand.
    second: Option<Box<(Analysis, Content)>>,
}

/// The quotation marks at a sentence's edges, which tell whether a quote runs on across it.
#[derive(Debug, Clone, Copy)]
struct QuoteMarks {
    /// The first token opens a quote.
    opens: bool,
    /// The last quotation mark opens a quote (one left open at the sentence's end).
    last_opens: bool,
    /// The last quotation mark closes a quote.
    last_closes: bool,
    /// The last token before the final punctuation closes a quote.
    ends_closed: bool,
}

impl QuoteMarks {
    fn of(tokens: &[Token]) -> Self {
        let last_quote = tokens
            .iter()
            .rev()
            .find(|t| matches!(t.kind, token::Kind::Open | token::Kind::Close))
            .map(|t| t.kind);
        QuoteMarks {
            opens: tokens.first().is_some_and(|t| t.kind == token::Kind::Open),
            last_opens: last_quote == Some(token::Kind::Open),
            last_closes: last_quote == Some(token::Kind::Close),
            ends_closed: tokens
                .iter()
                .rev()
                .find(|t| t.kind != token::Kind::Terminal)
                .is_some_and(|t| t.kind == token::Kind::Close),
        }
    }
}

/// A claim's content as its tokens give it; the score waits for the final sourcing.
struct Content {
    span: Span,
    hedged: bool,
    counts: score::ContentCounts,
}

/// The claims of `body`, in document order.
pub fn extract(body: &str, language: Language) -> Vec<ExtractedClaim> {
    let lex = lexicon::lexicon(language);
    let sents = segment::split(body, language);
    let paragraphs = sents.last().map_or(0, |s| s.paragraph + 1);
    let mut per_paragraph = vec![0usize; paragraphs];
    for s in &sents {
        per_paragraph[s.paragraph] += 1;
    }
    let mut opens_with_headline = false;
    let mut candidates: Vec<Candidate> = Vec::with_capacity(sents.len());
    for (i, s) in sents.iter().enumerate() {
        let tokens = token::tokenize(body, s.span);
        let text = &body[s.span.start..s.span.end];
        let alone = per_paragraph[s.paragraph] == 1;
        let after_headline = opens_with_headline && s.paragraph == 1;
        let reason = nonclaim::reason(text, &tokens, alone, after_headline, lex);
        // A one-word headline ("Недоглядел") reads as a fragment; the dek under it is still one.
        if i == 0 && alone && matches!(reason, Some("headline" | "fragment")) {
            opens_with_headline = true;
        }
        let mut analysis = attribution::analyze(&tokens, lex, s.depth_start > 0);
        let (content_start, content_end) = analysis.content;
        let mut is_claim = reason.is_none() && !analysis.not_claim && content_start < content_end;
        // "Об этом сообщили в пресс-службе Кремля": the source belongs to the sentence before.
        if is_claim && attribution::anaphoric_attribution(&tokens, lex, &analysis) {
            is_claim = false;
            if let Some(prev) = candidates.last_mut().filter(|p| {
                p.is_claim
                    && p.paragraph == s.paragraph
                    && p.analysis.sourcing == Sourcing::Unattributed
            }) {
                prev.analysis.source = analysis.source.take();
                prev.analysis.sourcing = analysis.sourcing;
                prev.analysis.reporter = analysis.reporter.take();
            }
        }
        // "“Y.” ― Ann Lee": a quote signed after a dash is the signer's (`sign_quotes`).
        let quote_signed = attribution::quote_signature(&tokens, lex);
        if let Some(own) = quote_signed.and_then(|sig| sig.own_words.map(|own| (sig.name, own))) {
            let (name, words) = own;
            analysis.spoken_by(name, Sourcing::Named);
            analysis.content = words;
            analysis.quote_speaker = false;
        }
        // "― Ann Lee “Z…": the sentence's words are the next quote's, signed later; a
        // signature alone ("- Ann Lee, Dover.") is no claim.
        if let Some(sig) = quote_signed.filter(|sig| sig.own_words.is_none()) {
            match sig.next_quote {
                Some(next) => analysis.content = next,
                None => is_claim = false,
            }
        }
        // "Lee said Y, though she acknowledged Z": the first claim ends before the second.
        let second = is_claim
            .then(|| attribution::second_report(&tokens, lex, &analysis, s.depth_start > 0))
            .flatten()
            .map(|second| {
                analysis.content.1 = second.first_content_end;
                let content = Content::of(&tokens, &second.analysis, lex);
                Box::new((second.analysis, content))
            });
        // Later passes only take claimhood away (`sign_posts`), never give it: a sentence that
        // is no claim now needs no content.
        let content = is_claim.then(|| Content::of(&tokens, &analysis, lex));
        candidates.push(Candidate {
            span: s.span,
            paragraph: s.paragraph,
            analysis,
            is_claim,
            quote_marks: QuoteMarks::of(&tokens),
            signature: attribution::signature_line(&tokens, lex),
            quote_signed,
            quote_intro: attribution::quote_intro(&tokens, lex),
            content,
            second,
        });
    }
    sign_quotes(&sents, &mut candidates);
    // Before the quotes are inherited: a quote introduced so that runs over paragraphs carries
    // its speaker on.
    introduce_quotes(&sents, &mut candidates);
    inherit_quote_speakers(&sents, &mut candidates);
    sign_posts(&sents, &mut candidates);
    // Second reports become candidates of their own, right after their sentence's first, so
    // that coreference reads them in document order.
    let candidates = with_second_reports(candidates);
    let sources: Vec<Option<(&str, Sourcing)>> = candidates
        .iter()
        .map(|c| {
            let span = c.analysis.source?;
            Some((body.get(span.start..span.end)?, c.analysis.sourcing))
        })
        .collect();
    let resolved = coreference::resolve(&sources, language);
    candidates
        .into_iter()
        .zip(resolved)
        .filter(|(c, _)| c.is_claim)
        .filter_map(|(c, source_resolved)| to_claim(body, c, source_resolved))
        .collect()
}

impl Content {
    fn of(tokens: &[Token], analysis: &Analysis, lex: &lexicon::Lexicon) -> Self {
        let (start, end) = analysis.content;
        let content_tokens = &tokens[start..end];
        Content {
            span: Span::new(tokens[start].start, tokens[end - 1].end),
            hedged: analysis.frame_hedged || hedge::hedged(content_tokens, lex),
            counts: score::ContentCounts::of(content_tokens),
        }
    }
}

/// Every candidate followed by its sentence's second report, if it has one and is a claim.
fn with_second_reports(candidates: Vec<Candidate>) -> Vec<Candidate> {
    let mut out = Vec::with_capacity(candidates.len());
    for mut c in candidates {
        let second = c.second.take().filter(|_| c.is_claim);
        let (span, paragraph, quote_marks) = (c.span, c.paragraph, c.quote_marks);
        out.push(c);
        if let Some(second) = second {
            let (analysis, content) = *second;
            out.push(Candidate {
                span,
                paragraph,
                analysis,
                is_claim: true,
                quote_marks,
                signature: None,
                quote_signed: None,
                quote_intro: None,
                content: Some(content),
                second: None,
            });
        }
    }
    out
}

/// Sentences inside one multi-sentence quote take the quote's speaker, found in whichever of
/// them carries the trailing or colon attribution. Ordinary follow-on sentences inherit nothing.
fn inherit_quote_speakers(sents: &[segment::Sentence], candidates: &mut [Candidate]) {
    let mut i = 0;
    while i < sents.len() {
        if !(sents[i].depth_start == 0 && sents[i].depth_end > 0) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < sents.len()
            && sents[j].paragraph == sents[i].paragraph
            && sents[j].depth_start > 0
        {
            j += 1;
        }
        // A lone sentence that opens a quote the paragraph does not close ("…,” she said.
        // “The state paid half.¶") may still be the resumed quotation of the one before.
        if j - i >= 2 || i > 0 {
            let speaker = (i..j).rev().find(|&k| {
                let a = &candidates[k].analysis;
                a.quote_speaker && a.source.is_some() && !a.first_person
            });
            // `…," he said. "X. Y."`: a quotation resumed right after its attribution, with no
            // attribution of its own, is the same speaker's for all its sentences.
            let resumed = speaker.is_none()
                && i > 0
                && sents[i - 1].paragraph == sents[i].paragraph
                && sents[i - 1].depth_end == 0
                && candidates[i].quote_marks.opens
                && {
                    let p = &candidates[i - 1].analysis;
                    p.quote_speaker && p.source.is_some() && !p.first_person
                };
            let speaker = match speaker {
                None if resumed => Some(i - 1),
                found => found,
            };
            if let Some(k) = speaker {
                let from = candidates[k].analysis.clone();
                for (m, c) in candidates[i..j].iter_mut().enumerate() {
                    let a = &mut c.analysis;
                    if i + m == k || (a.source.is_some() && !a.first_person) {
                        continue;
                    }
                    a.source = from.source;
                    a.sourcing = from.sourcing;
                    a.reporter = from.reporter;
                }
            }
        }
        i = j;
    }
    // "…paid half.¶“The rest comes from the city.”": a quotation left open at a paragraph's end
    // and reopened at the next one's start goes on in the same voice, to the end of the quote.
    for k in 1..sents.len() {
        if sents[k].paragraph == sents[k - 1].paragraph
            || (candidates[k].analysis.source.is_some() && !candidates[k].analysis.first_person)
            || !candidates[k].quote_marks.opens
        {
            continue;
        }
        let prev = &candidates[k - 1];
        let left_open = prev.quote_marks.last_opens;
        let from = prev.analysis.clone();
        if !left_open || from.source.is_none() || from.first_person {
            continue;
        }
        let mut m = k;
        while m < sents.len() && (m == k || sents[m].paragraph == sents[k].paragraph) {
            let a = &mut candidates[m].analysis;
            // "We expect no delay": inside the quote a first person is the speaker's own.
            if a.source.is_some() && !a.first_person {
                break;
            }
            a.source = from.source;
            a.sourcing = from.sourcing;
            a.reporter = from.reporter;
            // The quote ends where a sentence closes it.
            if candidates[m].quote_marks.last_closes {
                break;
            }
            m += 1;
        }
    }
    // «…», — заявил Лавров. «Y»: a quotation resumed right after its attribution, with no
    // frame of its own, is the same speaker's.
    for i in 1..sents.len() {
        let (before, rest) = candidates.split_at_mut(i);
        let (prev, cur) = (&before[i - 1], &mut rest[0]);
        let whole_quote = sents[i].depth_start == 0
            && sents[i].depth_end == 0
            && cur.quote_marks.opens
            && cur.quote_marks.ends_closed;
        let speaker = &prev.analysis;
        // "“…,” Reed said. “I think Y.”": inside the quote a first person is the speaker.
        let own_source = cur.analysis.source.is_some() && !cur.analysis.first_person;
        // "Reed said the ferries were late. “It is our port.”": a quote with no frame right
        // after a report goes on in the reporter's voice.
        let reported =
            speaker.quote_speaker || (prev.is_claim && speaker.sourcing == Sourcing::Named);
        if whole_quote
            && sents[i].paragraph == sents[i - 1].paragraph
            && !own_source
            && reported
            && speaker.source.is_some()
            && !speaker.first_person
            && sents[i - 1].depth_end == 0
        {
            cur.analysis.source = speaker.source;
            cur.analysis.sourcing = speaker.sourcing;
            cur.analysis.reporter = speaker.reporter;
        }
    }
}

/// "She continued:" ¶ "“Y. I think Z.”": a sentence that ends its paragraph introducing a quote
/// names the speaker of the quote the next paragraph opens, for its sentences without a speaker
/// of their own (or with "I"/"we", the quote's speaker), up to where the quote closes.
fn introduce_quotes(sents: &[segment::Sentence], candidates: &mut [Candidate]) {
    for k in 0..candidates.len().saturating_sub(1) {
        let Some((source, sourcing)) = candidates[k].quote_intro else {
            continue;
        };
        let next = k + 1;
        if sents[next].paragraph != sents[k].paragraph + 1
            || sents[next].depth_start != 0
            || !candidates[next].quote_marks.opens
        {
            continue;
        }
        // The quote runs on while it is open; a paragraph that leaves it open and a next one
        // that opens it again ("“Y. Z. ¶ “W.”") continue it.
        let mut open = false;
        let mut m = next;
        while m < candidates.len() {
            if sents[m].paragraph != sents[m - 1].paragraph
                && (m > next && !(open && candidates[m].quote_marks.opens))
            {
                break;
            }
            let marks = candidates[m].quote_marks;
            speak_unless_sourced(&mut candidates[m].analysis, source, sourcing);
            if marks.last_closes {
                open = false;
            } else if marks.last_opens {
                open = true;
            }
            if !open && sents[m].depth_end == 0 {
                break;
            }
            m += 1;
        }
    }
}

/// "“Y. Z.” ― Ann Lee “W…": a quote signed after a dash lends its signer to the sentences of
/// the quote before the signature, back to the one that opened it; a sentence that carries an
/// earlier signature ends the walk (its words before that dash are the earlier signer's).
fn sign_quotes(sents: &[segment::Sentence], candidates: &mut [Candidate]) {
    for k in 0..candidates.len() {
        let Some(sig) = candidates[k].quote_signed else {
            continue;
        };
        // Where the signed quote closes: in this sentence, or at the end of the one before.
        let closes_here = sig.own_words.is_some();
        let closed_before = k > 0
            && sents[k - 1].paragraph == sents[k].paragraph
            && candidates[k - 1].quote_marks.ends_closed;
        // "“Y. Z.” ¶- Ann Lee.": a signature alone in its paragraph signs the quote that
        // closes the paragraph before it.
        let signs_paragraph_before = !closes_here
            && sig.next_quote.is_none()
            && k > 0
            && sents[k - 1].paragraph != sents[k].paragraph
            && sents
                .get(k + 1)
                .is_none_or(|next| next.paragraph != sents[k].paragraph)
            && candidates[k - 1].quote_marks.ends_closed;
        if signs_paragraph_before {
            let paragraph = sents[k - 1].paragraph;
            for m in (0..k).rev() {
                if sents[m].paragraph != paragraph {
                    break;
                }
                speak_unless_sourced(&mut candidates[m].analysis, sig.name, Sourcing::Named);
                if sents[m].depth_start == 0 {
                    break;
                }
            }
            continue;
        }
        if !(closes_here || closed_before) {
            continue;
        }
        // The quote opened in this sentence: nothing before it to sign.
        if closes_here && sents[k].depth_start == 0 {
            continue;
        }
        let mut m = k;
        while m > 0 {
            m -= 1;
            if sents[m].paragraph != sents[k].paragraph {
                break;
            }
            // A sentence that signs an earlier quote ends the walk; if a new quote opens after
            // its signature ("― Ann Lee “Z…"), that quote is this signer's.
            if let Some(earlier) = candidates[m].quote_signed {
                if earlier.next_quote.is_some() {
                    let a = &mut candidates[m].analysis;
                    a.source = Some(sig.name);
                    a.sourcing = Sourcing::Named;
                    a.reporter = None;
                }
                break;
            }
            speak_unless_sourced(&mut candidates[m].analysis, sig.name, Sourcing::Named);
            if sents[m].depth_start == 0 {
                break;
            }
        }
    }
}

/// A quoted sentence takes the speaker found around its quote (a signature, an introduction)
/// unless it names one of its own (a first-person "I" inside the quote is that speaker).
fn speak_unless_sourced(analysis: &mut Analysis, source: Span, sourcing: Sourcing) {
    if analysis.source.is_none() || analysis.first_person {
        analysis.spoken_by(source, sourcing);
    }
}

/// "Y. Z. ¶— Ann Lee (@annlee) June 29, 2016": a signature line closing an embedded post signs the
/// sentences of the post before it in the paragraph; the line itself is no claim.
fn sign_posts(sents: &[segment::Sentence], candidates: &mut [Candidate]) {
    for k in 0..candidates.len() {
        let Some(signer) = candidates[k].signature else {
            continue;
        };
        candidates[k].is_claim = false;
        for m in (0..k).rev() {
            let a = &mut candidates[m].analysis;
            if sents[m].paragraph != sents[k].paragraph || a.source.is_some() {
                break;
            }
            a.source = Some(signer);
            a.sourcing = Sourcing::Named;
        }
    }
}

/// The claim of a candidate that is one (`None` for any other).
fn to_claim(body: &str, c: Candidate, source_resolved: Option<String>) -> Option<ExtractedClaim> {
    let content = c.content?;
    let slice = |s: Span| body[s.start..s.end].to_owned();
    let source = c.analysis.source.map(slice);
    let reporter = c
        .analysis
        .reporter
        .map(slice)
        .filter(|r| source.as_deref() != Some(r.as_str()));
    Some(ExtractedClaim {
        sentence: slice(c.span),
        span: c.span,
        content: slice(content.span),
        content_span: content.span,
        source,
        source_span: c.analysis.source,
        source_resolved,
        reporter,
        sourcing: c.analysis.sourcing,
        hedged: content.hedged,
        score: score::score(content.counts, c.analysis.sourcing, content.hedged),
    })
}
