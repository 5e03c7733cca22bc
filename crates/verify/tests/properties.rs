//! Property tests for the verify state machine: "nothing lost, nothing doubled".
//!
//! Each case is a random newsroom session: a few articles submitted by random users and
//! extracted by one or two extractor versions, then random reviewer commands (take, review,
//! correct, dismiss, add, assign) issued by random users — the article's submitter among them — at
//! random clock times, so that holds run out or not. Every command goes through the real
//! decision function (`review::decide*`) against the live projection (`ClaimStore`), exactly as
//! the verify service does it: an accepted decision becomes an `Event`, is appended to the log
//! and folded into the store at once (order 0, like `store_decision`); the durable consumer
//! delivers the same event again later, in log order (`store.apply(&event, seq)`), and a
//! restart re-applies every stored decision (`sync_decisions`). A refused command writes
//! nothing.
//!
//! Checked after every step:
//! - **replay equals live**: the log folded into a fresh `Desk` has the same articles and claims
//!   as the store;
//! - **never an illegal state**: every claim's counters, status, notes, hold and attribution
//!   agree with its own record and with the log, and every decision in the log was allowed at
//!   the time it was made (not by the submitter, not under someone else's hold, an addition
//!   on free text).
//!
//! At the end of a case: redelivering the whole log changes neither the store nor the replay,
//! and a store rebuilt from the log equals the live one.
//!
//! `PROPTEST_CASES=2000 cargo test -p claimledger-verify --test properties` runs a longer
//! campaign; the default keeps the file at a few seconds in a debug build.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use claimledger_types::message::{
    AddClaim, AssignClaim, ChangeSettings, CorrectClaim, DismissClaim, ErrorCode, ListClaims,
    ReviewClaim, SecondReviewClaim, ServiceError, TakeClaim,
};
use claimledger_types::view::{ArticleView, ClaimStatus, ClaimView, CorrectionKind, Hold};
use claimledger_types::{
    ids, ArticleExtracted, ArticleSubmitted, ClaimExtracted, DomainEvent, Event, Language, Role,
    Sourcing, Span, UserAdded, UserDisabled, Verdict,
};
use claimledger_verify::desk::ArticleRecord;
use claimledger_verify::review::{self, ArticleFacts, DEFAULT_HOLD};
use claimledger_verify::{ClaimStore, Desk, SpilledDesk};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{TestCaseError, TestRunner};
use serde_json::Value;
use std::collections::BTreeMap;
use uuid::Uuid;

// ---------------------------------------------------------------------------------------------
// The newsroom every case draws from
// ---------------------------------------------------------------------------------------------

/// Editors and reviewers alike: any of them may submit an article, any may try to review.
const USERS: [&str; 4] = ["eddie", "erin", "rita", "ray"];
/// The users as `user.added` events make them, for assignments: eddie is an editor only and
/// ray is disabled, so only erin and rita may be asked to look.
const ROLES: [(&str, &[Role], bool); 4] = [
    ("eddie", &[Role::Editor], false),
    ("erin", &[Role::Editor, Role::Reviewer], false),
    ("rita", &[Role::Reviewer], false),
    ("ray", &[Role::Reviewer], true),
];
/// An assignee nobody is.
const NO_SUCH_USER: &str = "nobody-at-all";
const EXTRACTORS: [&str; 2] = ["x1", "x2"];
/// Article bodies with two-, three- and four-byte characters, so that random byte spans fall
/// off character boundaries.
const BODIES: [(&str, Language); 3] = [
    (
        "Баку еще не принял окончательного решения. Об этом сообщили источники AnewZ. \
         Ожидается, что переговоры продолжатся в понедельник.",
        Language::Ru,
    ),
    (
        "The ministry said the bridge will reopen in May. Officials — speaking on condition of \
         anonymity — expect delays. Prices rose 4 % in March… Traders blame the port strike.",
        Language::En,
    ),
    (
        "Кремль заявил, что встреча состоится. «Решение за Вашингтоном», — сказал Песков. \
         Эксперты ждут 🙂 перемен.",
        Language::Ru,
    ),
];
const NOTES: [&str; 3] = [
    "checked with the ministry",
    "  no second source  ",
    "a headline, not a claim",
];
/// A source phrase no body contains.
const NOT_IN_ANY_BODY: &str = "Reuters";

fn start_of_session() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .expect("a valid time")
}

/// The sentences of `body`: runs ending in `.`, `!`, `?` or `…` before whitespace or the end.
fn sentences(body: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut start = None;
    let mut chars = body.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if start.is_none() {
            if c.is_whitespace() {
                continue;
            }
            start = Some(at);
        }
        let at_end = chars.peek().is_none_or(|(_, next)| next.is_whitespace());
        if matches!(c, '.' | '!' | '?' | '…') && at_end {
            if let Some(begin) = start.take() {
                spans.push(Span::new(begin, at + c.len_utf8()));
            }
        }
    }
    if let Some(begin) = start {
        spans.push(Span::new(begin, body.len()));
    }
    spans
}

fn words(text: &str) -> Vec<&str> {
    text.split_whitespace()
        .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|word| !word.is_empty())
        .collect()
}

fn overlaps(a: Span, b: Span) -> bool {
    a.start < b.end && b.start < a.end
}

// ---------------------------------------------------------------------------------------------
// What a case is made of
// ---------------------------------------------------------------------------------------------

/// A choice among whatever there is to choose from when the step runs (users, claims,
/// sentences, words), taken modulo their number; shrinks towards the first.
#[derive(Debug, Clone, Copy)]
struct Pick(u16);

impl Pick {
    fn index(&self, count: usize) -> usize {
        usize::from(self.0) % count
    }
}

/// A phrase a command names as the source (or content), resolved against the article.
#[derive(Debug, Clone)]
enum Phrase {
    /// A word of the claim's own sentence (of the body when there is none).
    InSentence(Pick),
    /// A word anywhere in the body, padded with spaces: maybe outside the sentence.
    InBody(Pick),
    NotInBody,
    /// Only whitespace.
    Blank,
}

impl Phrase {
    fn resolve(&self, body: &str, within: Option<Span>) -> String {
        let body_words = words(body);
        match self {
            Phrase::InSentence(pick) => {
                let sentence_words = within
                    .and_then(|span| span.slice(body))
                    .map(words)
                    .filter(|found| !found.is_empty())
                    .unwrap_or(body_words);
                sentence_words[pick.index(sentence_words.len())].to_owned()
            }
            Phrase::InBody(pick) => format!(" {} ", body_words[pick.index(body_words.len())]),
            Phrase::NotInBody => NOT_IN_ANY_BODY.to_owned(),
            Phrase::Blank => "   ".to_owned(),
        }
    }
}

/// A note, reason or nothing.
#[derive(Debug, Clone)]
enum Text {
    Absent,
    Blank,
    Note(Pick),
}

impl Text {
    fn resolve(&self) -> Option<String> {
        match self {
            Text::Absent => None,
            Text::Blank => Some("   ".to_owned()),
            Text::Note(pick) => Some(NOTES[pick.index(NOTES.len())].to_owned()),
        }
    }

    fn is_blank(&self) -> bool {
        !matches!(self, Text::Note(_))
    }
}

#[derive(Debug, Clone, Copy)]
enum Evidence {
    None,
    Link,
    Unusable,
}

impl Evidence {
    fn resolve(self) -> Vec<String> {
        match self {
            Evidence::None => vec![],
            Evidence::Link => vec!["https://example.org/statement".to_owned()],
            Evidence::Unusable => vec!["javascript:alert(1)".to_owned()],
        }
    }
}

/// The version or revision a command says it saw.
#[derive(Debug, Clone, Copy)]
enum Expect {
    Current,
    /// An older number if there is one, else a number from the future.
    Stale(u8),
}

impl Expect {
    fn resolve(self, current: u64) -> u64 {
        match self {
            Expect::Current => current,
            Expect::Stale(back) if current > u64::from(back) => current - 1 - u64::from(back),
            Expect::Stale(ahead) => current + 1 + u64::from(ahead),
        }
    }
}

/// The byte span a reviewer picks for an added claim.
#[derive(Debug, Clone)]
enum SpanPick {
    /// A sentence, with a few bytes before or after it.
    Sentence { sentence: Pick, lead: u8, trail: u8 },
    /// Any offsets up to just past the end: off boundaries, reversed, empty.
    Raw { start: Pick, end: Pick },
}

impl SpanPick {
    fn resolve(&self, body: &str) -> Span {
        match self {
            SpanPick::Sentence {
                sentence,
                lead,
                trail,
            } => {
                let all = sentences(body);
                let picked = all[sentence.index(all.len())];
                Span::new(
                    picked.start.saturating_sub(usize::from(*lead)),
                    (picked.end + usize::from(*trail)).min(body.len() + 1),
                )
            }
            SpanPick::Raw { start, end } => {
                Span::new(start.index(body.len() + 2), end.index(body.len() + 2))
            }
        }
    }
}

/// One claim an extractor version finds: on a sentence, with an attribution that may not be
/// consistent (extractors err; corrections must not).
#[derive(Debug, Clone)]
struct ClaimSpec {
    sentence: Pick,
    sourcing: Sourcing,
    source: Option<Phrase>,
    hedged: bool,
    score: u8,
}

#[derive(Debug, Clone)]
struct ArticleSpec {
    body: Pick,
    submitter: Pick,
    /// What each extractor version finds, by `EXTRACTORS` index.
    extractions: [Vec<ClaimSpec>; 2],
}

#[derive(Debug, Clone)]
enum Command {
    /// An extractor version (re-)extracts an article; the consumer catches up.
    Extract {
        article: Pick,
        version: Pick,
    },
    Take {
        claim: Pick,
        reviewer: Pick,
    },
    Review {
        claim: Pick,
        reviewer: Pick,
        verdict: Verdict,
        note: Text,
        evidence: Evidence,
        version: Expect,
        revision: Option<Expect>,
    },
    Correct {
        claim: Pick,
        reviewer: Pick,
        sourcing: Option<Sourcing>,
        source: Option<Option<Phrase>>,
        hedged: Option<bool>,
        /// `Some(false)`: the reviewer says the source is not in the text.
        source_in_text: Option<bool>,
        note: Text,
        revision: Expect,
    },
    Dismiss {
        claim: Pick,
        reviewer: Pick,
        reason: Text,
        revision: Expect,
    },
    Add {
        article: Pick,
        reviewer: Pick,
        span: SpanPick,
        content: Option<Phrase>,
        sourcing: Sourcing,
        source: Option<Phrase>,
        hedged: bool,
        source_in_text: Option<bool>,
        note: Text,
    },
    /// Someone asks a user (or, with `None`, nobody) to look at a claim.
    Assign {
        claim: Pick,
        by: Pick,
        /// A pick among `USERS` and one name nobody has.
        assignee: Option<Pick>,
    },
    /// An admin turns the two-reviewer rule on or off.
    Settings {
        on: bool,
    },
    /// A reviewer confirms (or disputes) a verdict awaiting a second reviewer.
    SecondReview {
        claim: Pick,
        reviewer: Pick,
        confirm: bool,
        note: Text,
        version: Expect,
    },
    /// The durable consumer delivers the next few events of the log.
    Deliver {
        events: u8,
    },
    /// The service restarts: every stored decision is folded in again, in stream order.
    Restart,
}

/// A command and how far the clock moved before it.
#[derive(Debug, Clone)]
struct Step {
    after_seconds: i64,
    command: Command,
}

#[derive(Debug, Clone)]
struct Case {
    articles: Vec<ArticleSpec>,
    steps: Vec<Step>,
}

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

fn pick() -> impl Strategy<Value = Pick> {
    any::<u16>().prop_map(Pick)
}

fn sourcing() -> impl Strategy<Value = Sourcing> {
    prop::sample::select(Sourcing::ALL.to_vec())
}

fn verdict() -> impl Strategy<Value = Verdict> {
    prop_oneof![Just(Verdict::Verified), Just(Verdict::Unverified)]
}

fn phrase() -> impl Strategy<Value = Phrase> {
    prop_oneof![
        4 => pick().prop_map(Phrase::InSentence),
        1 => pick().prop_map(Phrase::InBody),
        1 => Just(Phrase::NotInBody),
        1 => Just(Phrase::Blank),
    ]
}

fn text() -> impl Strategy<Value = Text> {
    prop_oneof![
        1 => Just(Text::Absent),
        1 => Just(Text::Blank),
        3 => pick().prop_map(Text::Note),
    ]
}

fn evidence() -> impl Strategy<Value = Evidence> {
    prop_oneof![
        3 => Just(Evidence::None),
        2 => Just(Evidence::Link),
        1 => Just(Evidence::Unusable),
    ]
}

fn expect() -> impl Strategy<Value = Expect> {
    prop_oneof![
        5 => Just(Expect::Current),
        1 => (0u8..3).prop_map(Expect::Stale),
    ]
}

fn user() -> impl Strategy<Value = Pick> {
    pick()
}

fn span_pick() -> impl Strategy<Value = SpanPick> {
    prop_oneof![
        3 => (pick(), 0u8..3, 0u8..3).prop_map(|(sentence, lead, trail)| {
            SpanPick::Sentence { sentence, lead, trail }
        }),
        2 => (pick(), pick()).prop_map(|(start, end)| SpanPick::Raw { start, end }),
    ]
}

fn claim_spec() -> impl Strategy<Value = ClaimSpec> {
    (
        pick(),
        sourcing(),
        prop::option::weighted(0.7, phrase()),
        any::<bool>(),
        0u8..=10,
    )
        .prop_map(|(sentence, sourcing, source, hedged, score)| ClaimSpec {
            sentence,
            sourcing,
            source,
            hedged,
            score,
        })
}

fn article_spec() -> impl Strategy<Value = ArticleSpec> {
    (
        pick(),
        user(),
        prop::collection::vec(claim_spec(), 0..=3),
        prop::collection::vec(claim_spec(), 0..=3),
    )
        .prop_map(|(body, submitter, first, second)| ArticleSpec {
            body,
            submitter,
            extractions: [first, second],
        })
}

fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        1 => (pick(), pick())
            .prop_map(|(article, version)| Command::Extract { article, version }),
        4 => (pick(), user()).prop_map(|(claim, reviewer)| Command::Take { claim, reviewer }),
        5 => (
            pick(),
            user(),
            verdict(),
            text(),
            evidence(),
            expect(),
            prop::option::of(expect()),
        )
            .prop_map(|(claim, reviewer, verdict, note, evidence, version, revision)| {
                Command::Review { claim, reviewer, verdict, note, evidence, version, revision }
            }),
        3 => (
            pick(),
            user(),
            prop::option::of(sourcing()),
            prop::option::of(prop::option::weighted(0.7, phrase())),
            prop::option::of(any::<bool>()),
            // Mostly "not in the text": a random phrase is seldom in the sentence, and a
            // correction refused for it would leave too few accepted ones to reach every
            // decision (corrections under one's own hold among them).
            prop_oneof![3 => Just(Some(false)), 1 => Just(None), 1 => Just(Some(true))],
            text(),
            expect(),
        )
            .prop_map(|(claim, reviewer, sourcing, source, hedged, source_in_text, note, revision)| {
                Command::Correct { claim, reviewer, sourcing, source, hedged, source_in_text, note, revision }
            }),
        2 => (pick(), user(), text(), expect()).prop_map(
            |(claim, reviewer, reason, revision)| Command::Dismiss { claim, reviewer, reason, revision }
        ),
        3 => (
            pick(),
            user(),
            span_pick(),
            prop::option::weighted(0.3, phrase()),
            sourcing(),
            prop::option::weighted(0.7, phrase()),
            any::<bool>(),
            prop::option::of(any::<bool>()),
            text(),
        )
            .prop_map(|(article, reviewer, span, content, sourcing, source, hedged, source_in_text, note)| {
                Command::Add { article, reviewer, span, content, sourcing, source, hedged, source_in_text, note }
            }),
        2 => (pick(), user(), prop::option::weighted(0.8, user()))
            .prop_map(|(claim, by, assignee)| Command::Assign { claim, by, assignee }),
        // Mostly on: claims then await confirmation often enough to be confirmed or disputed.
        1 => prop::bool::weighted(0.8).prop_map(|on| Command::Settings { on }),
        3 => (pick(), user(), any::<bool>(), text(), expect()).prop_map(
            |(claim, reviewer, confirm, note, version)| Command::SecondReview { claim, reviewer, confirm, note, version }
        ),
        2 => (1u8..6).prop_map(|events| Command::Deliver { events }),
        1 => Just(Command::Restart),
    ]
}

/// How far the clock moves before a command: often not at all or a little, sometimes past a
/// hold (15 minutes).
fn after_seconds() -> impl Strategy<Value = i64> {
    prop_oneof![
        2 => Just(0i64),
        3 => 1i64..120,
        3 => 120i64..900,
        2 => 900i64..1800,
    ]
}

fn case(max_steps: usize) -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(article_spec(), 1..=3),
        prop::collection::vec(
            (after_seconds(), command()).prop_map(|(after_seconds, command)| Step {
                after_seconds,
                command,
            }),
            1..=max_steps,
        ),
    )
        .prop_map(|(articles, steps)| Case { articles, steps })
}

// ---------------------------------------------------------------------------------------------
// The harness: the live service's decision path, step by step
// ---------------------------------------------------------------------------------------------

struct Article {
    id: Uuid,
    body: &'static str,
    language: Language,
    submitter: &'static str,
    spec: ArticleSpec,
}

/// How often each outcome happened, to show the properties are not vacuous.
#[derive(Debug, Default)]
struct Tally {
    accepted: BTreeMap<&'static str, usize>,
    /// (command, error code) → count.
    refused: BTreeMap<(&'static str, &'static str), usize>,
    /// Takes accepted over another reviewer's hold that had run out.
    expired_takeovers: usize,
    /// Verdicts accepted on a dismissed claim.
    reinstated: usize,
    /// Corrections accepted on a claim the corrector held.
    corrected_under_own_hold: usize,
    /// Decisions the consumer delivered after they were already applied.
    redelivered_decisions: usize,
    restarts: usize,
    steps: usize,
}

struct Newsroom {
    articles: Vec<Article>,
    _dir: tempfile::TempDir,
    store: ClaimStore,
    /// The event stream: `log[i]` has stream sequence `i + 1`.
    log: Vec<Event>,
    /// How far the durable consumer has delivered the log.
    delivered: usize,
    now: DateTime<Utc>,
    /// Every claim the store knows, in the order it learnt of them: what commands pick from.
    claim_ids: Vec<Uuid>,
    tally: Tally,
}

fn open_store(dir: &std::path::Path) -> ClaimStore {
    // Nothing here calls `flush`: these stores never face a crash, and fsyncs would make
    // thousands of cases slow.
    ClaimStore::open(&dir.join("verify.redb"), 1 << 20).expect("claim store opens")
}

fn is_decision(event: &Event) -> bool {
    matches!(
        event.payload,
        DomainEvent::ClaimTaken(_)
            | DomainEvent::ClaimReviewed(_)
            | DomainEvent::ClaimDismissed(_)
            | DomainEvent::ClaimCorrected(_)
            | DomainEvent::ClaimAdded(_)
            | DomainEvent::ClaimAssigned(_)
            | DomainEvent::ClaimUnassigned(_)
            | DomainEvent::ClaimConfirmed(_)
            | DomainEvent::ClaimDisputed(_)
            | DomainEvent::NewsroomSettingsChanged(_)
    )
}

/// Whether the two-reviewer rule is on, by the log (the latest change wins).
fn rule_by_log(log: &[Event]) -> bool {
    log.iter()
        .rev()
        .find_map(|event| match &event.payload {
            DomainEvent::NewsroomSettingsChanged(changed) => Some(changed.two_reviewer_rule),
            _ => None,
        })
        .unwrap_or(false)
}

impl Newsroom {
    fn new(specs: &[ArticleSpec]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = open_store(dir.path());
        let articles = specs
            .iter()
            .enumerate()
            .map(|(index, spec)| {
                let (body, language) = BODIES[spec.body.index(BODIES.len())];
                Article {
                    id: Uuid::from_u128(0xa271_c1e0_0000 + index as u128),
                    body,
                    language,
                    submitter: USERS[spec.submitter.index(USERS.len())],
                    spec: spec.clone(),
                }
            })
            .collect();
        let mut newsroom = Newsroom {
            articles,
            _dir: dir,
            store,
            log: Vec::new(),
            delivered: 0,
            now: start_of_session(),
            claim_ids: Vec::new(),
            tally: Tally::default(),
        };
        for (name, roles, disabled) in ROLES {
            newsroom.publish(
                "api",
                DomainEvent::UserAdded(UserAdded {
                    name: name.to_owned(),
                    roles: roles.to_vec(),
                    token_hash: String::new(),
                    added_by: None,
                }),
            );
            if disabled {
                newsroom.publish(
                    "api",
                    DomainEvent::UserDisabled(UserDisabled {
                        name: name.to_owned(),
                        disabled_by: None,
                    }),
                );
            }
        }
        for index in 0..newsroom.articles.len() {
            let article = &newsroom.articles[index];
            let submitted = ArticleSubmitted {
                article_id: article.id,
                title: format!("article {index}"),
                body: article.body.to_owned(),
                language: article.language,
                source_url: None,
                outlet: None,
                published_at: None,
                submitted_by: article.submitter.to_owned(),
            };
            newsroom.publish("ingest", DomainEvent::ArticleSubmitted(submitted));
            newsroom.extract(index, 0);
        }
        newsroom.deliver(usize::MAX);
        newsroom
    }

    /// An event another service publishes: the verify service sees it through its consumer.
    fn publish(&mut self, service: &str, payload: DomainEvent) {
        let mut event = Event::new(service, payload);
        event.time = self.now;
        self.log.push(event);
    }

    /// The consumer delivers up to `count` more events, each with its stream sequence.
    fn deliver(&mut self, count: usize) {
        let end = self.delivered.saturating_add(count).min(self.log.len());
        for index in self.delivered..end {
            let event = &self.log[index];
            if is_decision(event) {
                self.tally.redelivered_decisions += 1;
            }
            self.store
                .apply(event, index as u64 + 1)
                .expect("store applies");
            match &event.payload {
                DomainEvent::ClaimExtracted(extracted) => self.learn(extracted.claim_id),
                DomainEvent::ClaimAdded(added) => self.learn(added.claim_id),
                _ => {}
            }
        }
        self.delivered = end;
    }

    fn learn(&mut self, claim_id: Uuid) {
        if !self.claim_ids.contains(&claim_id) {
            self.claim_ids.push(claim_id);
        }
    }

    /// What `version` of the extractor finds in the article at `index`, as its events.
    fn extract(&mut self, index: usize, version: usize) {
        let article = &self.articles[index];
        let extractor = EXTRACTORS[version];
        let all = sentences(article.body);
        let claims: Vec<ClaimExtracted> = article.spec.extractions[version]
            .iter()
            .enumerate()
            .map(|(position, spec)| {
                let span = all[spec.sentence.index(all.len())];
                let sentence = span
                    .slice(article.body)
                    .expect("sentences are on boundaries");
                let content = sentence.trim_end_matches(['.', '!', '?', '…']);
                let source = spec
                    .source
                    .as_ref()
                    .map(|phrase| phrase.resolve(article.body, Some(span)).trim().to_owned())
                    .filter(|source| !source.is_empty());
                let source_span = source.as_deref().and_then(|source| {
                    sentence
                        .find(source)
                        .map(|at| Span::new(span.start + at, span.start + at + source.len()))
                });
                ClaimExtracted {
                    claim_id: ids::claim_id(article.id, extractor, position),
                    article_id: article.id,
                    extractor_version: extractor.to_owned(),
                    language: article.language,
                    sentence: sentence.to_owned(),
                    span,
                    content: content.to_owned(),
                    content_span: Span::new(span.start, span.start + content.len()),
                    source,
                    source_span,
                    source_resolved: None,
                    reporter: None,
                    sourcing: spec.sourcing,
                    hedged: spec.hedged,
                    score: f32::from(spec.score) / 10.0,
                }
            })
            .collect();
        let claim_ids = claims.iter().map(|claim| claim.claim_id).collect();
        let article_id = article.id;
        for claim in claims {
            self.publish("extract", DomainEvent::ClaimExtracted(claim));
        }
        self.publish(
            "extract",
            DomainEvent::ArticleExtracted(ArticleExtracted {
                article_id,
                extractor_version: extractor.to_owned(),
                claim_ids,
                claims_cut: None,
                article_version: 1,
            }),
        );
    }

    /// The claim a command picks, with its article, as the service reads them from the store.
    fn target(&self, pick: &Pick) -> Option<(ClaimView, Option<ArticleRecord>)> {
        if self.claim_ids.is_empty() {
            return None;
        }
        let id = self.claim_ids[pick.index(self.claim_ids.len())];
        let claim = self.store.claim(id).expect("store reads")?;
        let article = self.store.article(claim.article_id).expect("store reads");
        Some((claim, article))
    }

    /// [`Newsroom::target`] among the claims awaiting confirmation by the log, when there are
    /// any (else among all): a second review picked at random would seldom meet one.
    fn awaiting_target(&self, pick: &Pick) -> Option<(ClaimView, Option<ArticleRecord>)> {
        let awaiting: Vec<Uuid> = self
            .claim_ids
            .iter()
            .copied()
            .filter(|id| awaiting_by_log(&self.log, *id).is_some())
            .collect();
        if awaiting.is_empty() {
            return self.target(pick);
        }
        let id = awaiting[pick.index(awaiting.len())];
        let claim = self.store.claim(id).expect("store reads")?;
        let article = self.store.article(claim.article_id).expect("store reads");
        Some((claim, article))
    }

    /// The article's submitter as the test set it up (not as the store says).
    fn submitter_of(&self, article_id: Uuid) -> &'static str {
        self.articles
            .iter()
            .find(|article| article.id == article_id)
            .map_or("", |article| article.submitter)
    }

    /// The hold the log says someone other than `reviewer` has on the claim now: the latest
    /// take, unless a verdict or a dismissal came after it.
    fn held_by_other(&self, claim_id: Uuid, reviewer: &str) -> Option<Hold> {
        holds_by_log(&self.log)
            .remove(&claim_id)
            .filter(|hold| hold.reviewer != reviewer && hold.until > self.now)
    }

    /// Publishes an accepted decision and folds it in at once, as `store_decision` does.
    fn store_decision(&mut self, payload: DomainEvent) -> Result<(), TestCaseError> {
        let mut event = Event::new("verify", payload);
        event.time = self.now;
        let changed = self.store.apply(&event, 0).expect("store applies");
        if let DomainEvent::ClaimTaken(taken) = &event.payload {
            let claim = self.store.claim(taken.claim_id).expect("store reads");
            let hold = claim.and_then(|claim| claim.hold);
            prop_assert_eq!(
                hold.as_ref()
                    .map(|hold| (hold.reviewer.as_str(), hold.until)),
                Some((taken.reviewer.as_str(), taken.until)),
                "an accepted take is the claim's hold"
            );
        } else {
            prop_assert!(changed, "an accepted decision was lost: {:?}", event);
        }
        if let DomainEvent::ClaimAdded(added) = &event.payload {
            self.learn(added.claim_id);
        }
        self.log.push(event);
        Ok(())
    }

    /// Checks a decision's outcome against what the test knows, then stores it if accepted.
    /// `held` is the hold another reviewer has (for commands on an existing claim).
    fn settle(
        &mut self,
        command: &'static str,
        submitter: &str,
        reviewer: &str,
        held: Option<&Hold>,
        outcome: Result<DomainEvent, ServiceError>,
    ) -> Result<bool, TestCaseError> {
        let by_submitter = reviewer == submitter;
        match outcome {
            Ok(payload) => {
                prop_assert!(
                    !by_submitter,
                    "{} by {}, the article's submitter, was accepted",
                    command,
                    reviewer
                );
                prop_assert!(
                    held.is_none(),
                    "{} by {} was accepted while {:?} held the claim",
                    command,
                    reviewer,
                    held
                );
                *self.tally.accepted.entry(command).or_default() += 1;
                self.store_decision(payload)?;
                Ok(true)
            }
            Err(error) => {
                prop_assert_eq!(
                    error.code == ErrorCode::Forbidden,
                    by_submitter,
                    "{} by {} (submitter {}): a refusal is forbidden exactly when the \
                     submitter decides: {:?}",
                    command,
                    reviewer,
                    submitter,
                    error
                );
                if held.is_some() && !by_submitter {
                    prop_assert_eq!(
                        error.code,
                        ErrorCode::Conflict,
                        "{} under another's hold is a conflict",
                        command
                    );
                }
                *self
                    .tally
                    .refused
                    .entry((command, error.code.as_str()))
                    .or_default() += 1;
                Ok(false)
            }
        }
    }

    fn run(&mut self, step: &Step) -> Result<(), TestCaseError> {
        self.tally.steps += 1;
        self.now += TimeDelta::seconds(step.after_seconds);
        let now = self.now;
        match &step.command {
            Command::Extract { article, version } => {
                let index = article.index(self.articles.len());
                self.extract(index, version.index(EXTRACTORS.len()));
                self.deliver(usize::MAX);
            }
            Command::Deliver { events } => self.deliver(usize::from(*events)),
            Command::Assign {
                claim,
                by,
                assignee,
            } => {
                let Some((claim, article)) = self.target(claim) else {
                    return Ok(());
                };
                let by = USERS[by.index(USERS.len())];
                let name = assignee.map(|pick| {
                    let names = [&USERS[..], &[NO_SUCH_USER]].concat();
                    names[pick.index(names.len())]
                });
                let user = name
                    .map(|name| self.store.user(name).expect("store reads"))
                    .unwrap_or_default();
                let command = AssignClaim {
                    claim_id: claim.id,
                    assignee: name.map(str::to_owned),
                    by: by.to_owned(),
                };
                let outcome = claimledger_verify::team::decide_assign(
                    &claim,
                    service_submitter(article.as_ref()),
                    user.as_ref(),
                    &command,
                );
                // What the log and the test's own users say, never the store.
                let current = assignments_by_log(&self.log).remove(&claim.id);
                let submitter = self.submitter_of(claim.article_id);
                let well_formed = claim.superseded_in.is_none()
                    && match name {
                        None => current.is_some(),
                        Some(name) => {
                            ROLES.iter().any(|(user, roles, disabled)| {
                                *user == name && roles.contains(&Role::Reviewer) && !disabled
                            }) && name != submitter
                                && current.as_deref() != Some(name)
                        }
                    };
                prop_assert_eq!(
                    outcome.is_ok(),
                    well_formed,
                    "an assignment is accepted exactly when it is well formed: {:?}",
                    outcome
                );
                match outcome {
                    Ok(payload) => {
                        *self.tally.accepted.entry("assign").or_default() += 1;
                        self.store_decision(payload)?;
                    }
                    Err(error) => {
                        *self
                            .tally
                            .refused
                            .entry(("assign", error.code.as_str()))
                            .or_default() += 1;
                    }
                }
            }
            Command::Settings { on } => {
                let settings = self.store.settings().expect("store reads");
                let outcome = claimledger_verify::second::decide_settings(
                    &settings,
                    &ChangeSettings {
                        two_reviewer_rule: *on,
                        by: "ada".to_owned(),
                    },
                );
                prop_assert_eq!(
                    outcome.is_ok(),
                    rule_by_log(&self.log) != *on,
                    "a settings change is accepted exactly when it changes the rule: {:?}",
                    outcome
                );
                match outcome {
                    Ok(changed) => {
                        *self.tally.accepted.entry("settings").or_default() += 1;
                        self.store_decision(DomainEvent::NewsroomSettingsChanged(changed))?;
                        prop_assert_eq!(
                            self.store
                                .settings()
                                .expect("store reads")
                                .two_reviewer_rule,
                            *on
                        );
                    }
                    Err(error) => {
                        *self
                            .tally
                            .refused
                            .entry(("settings", error.code.as_str()))
                            .or_default() += 1;
                    }
                }
            }
            Command::SecondReview {
                claim,
                reviewer,
                confirm,
                note,
                version,
            } => {
                let Some((claim, article)) = self.awaiting_target(claim) else {
                    return Ok(());
                };
                let reviewer = USERS[reviewer.index(USERS.len())];
                let submitter = self.submitter_of(claim.article_id);
                let held = self.held_by_other(claim.id, reviewer);
                let command = SecondReviewClaim {
                    claim_id: claim.id,
                    confirm: *confirm,
                    note: note.resolve(),
                    expected_version: version.resolve(claim.version),
                    reviewer: reviewer.to_owned(),
                };
                let outcome = claimledger_verify::second::decide_second_review(
                    &claim,
                    service_submitter(article.as_ref()),
                    &command,
                    now,
                );
                // The verdict awaiting an answer, by the log: the claim's latest verdict, given
                // under the rule, with no confirmation or dispute of its version since.
                let awaiting_by = awaiting_by_log(&self.log, claim.id);
                let first = awaiting_by.as_deref() == Some(reviewer);
                let well_formed = reviewer != submitter
                    && held.is_none()
                    && command.expected_version == claim.version
                    && awaiting_by.is_some()
                    && claim.superseded_in.is_none()
                    && claim.status == ClaimStatus::AwaitingConfirmation
                    && !first
                    && (*confirm || !note.is_blank());
                prop_assert_eq!(
                    outcome.is_ok(),
                    well_formed,
                    "a second review is accepted exactly when it is well formed: {:?}",
                    outcome
                );
                let what = if *confirm { "confirm" } else { "dispute" };
                match outcome {
                    Ok(payload) => {
                        *self.tally.accepted.entry(what).or_default() += 1;
                        self.store_decision(payload)?;
                    }
                    Err(error) => {
                        prop_assert_eq!(
                            error.code == ErrorCode::Forbidden,
                            reviewer == submitter
                                || (first
                                    && held.is_none()
                                    && command.expected_version == claim.version
                                    && claim.status == ClaimStatus::AwaitingConfirmation
                                    && claim.superseded_in.is_none()),
                            "a second review is forbidden exactly to the submitter and the \
                             first reviewer: {:?}",
                            error
                        );
                        *self
                            .tally
                            .refused
                            .entry((what, error.code.as_str()))
                            .or_default() += 1;
                    }
                }
            }
            Command::Restart => {
                // `sync_decisions`: every stored decision, in stream order, before deciding.
                self.tally.restarts += 1;
                for (index, event) in self.log.iter().enumerate() {
                    if is_decision(event) {
                        self.store
                            .apply(event, index as u64 + 1)
                            .expect("store applies");
                    }
                }
            }
            Command::Take { claim, reviewer } => {
                let Some((claim, article)) = self.target(claim) else {
                    return Ok(());
                };
                let reviewer = USERS[reviewer.index(USERS.len())];
                let submitter = self.submitter_of(claim.article_id);
                let held = self.held_by_other(claim.id, reviewer);
                let command = TakeClaim {
                    claim_id: claim.id,
                    reviewer: reviewer.to_owned(),
                };
                let outcome = review::decide_take(
                    &claim,
                    service_submitter(article.as_ref()),
                    &command,
                    now,
                    DEFAULT_HOLD,
                )
                .map(DomainEvent::ClaimTaken);
                let expired_other = holds_by_log(&self.log)
                    .remove(&claim.id)
                    .is_some_and(|hold| hold.reviewer != reviewer && hold.until <= now);
                let free = reviewer != submitter && held.is_none();
                prop_assert_eq!(
                    outcome.is_ok(),
                    free,
                    "a take is accepted exactly when the claim is free to this non-submitter: {:?}",
                    outcome
                );
                if self.settle("take", submitter, reviewer, held.as_ref(), outcome)?
                    && expired_other
                {
                    self.tally.expired_takeovers += 1;
                }
            }
            Command::Review {
                claim,
                reviewer,
                verdict,
                note,
                evidence,
                version,
                revision,
            } => {
                let Some((claim, article)) = self.target(claim) else {
                    return Ok(());
                };
                let reviewer = USERS[reviewer.index(USERS.len())];
                let submitter = self.submitter_of(claim.article_id);
                let held = self.held_by_other(claim.id, reviewer);
                let command = ReviewClaim {
                    claim_id: claim.id,
                    verdict: *verdict,
                    note: note.resolve(),
                    evidence: evidence.resolve(),
                    reviewer: reviewer.to_owned(),
                    expected_version: version.resolve(claim.version),
                    expected_revision: revision.map(|expect| expect.resolve(claim.revision)),
                    basis_claim_id: None,
                };
                let rule_on = self
                    .store
                    .settings()
                    .expect("store reads")
                    .two_reviewer_rule;
                prop_assert_eq!(rule_on, rule_by_log(&self.log));
                let outcome =
                    review::decide(&claim, service_submitter(article.as_ref()), &command, now)
                        .and_then(|reviewed| {
                            claimledger_verify::second::under_rule(&claim, rule_on, reviewed)
                        })
                        .map(DomainEvent::ClaimReviewed);
                if let Ok(DomainEvent::ClaimReviewed(reviewed)) = &outcome {
                    prop_assert_eq!(reviewed.awaiting_confirmation, rule_on);
                }
                let well_formed = !(rule_on && claim.status == ClaimStatus::AwaitingConfirmation)
                    && reviewer != submitter
                    && held.is_none()
                    && command.expected_version == claim.version
                    && command
                        .expected_revision
                        .is_none_or(|seen| seen == claim.revision)
                    && (*verdict == Verdict::Verified || !note.is_blank())
                    && !matches!(evidence, Evidence::Unusable);
                prop_assert_eq!(
                    outcome.is_ok(),
                    well_formed,
                    "a verdict is accepted exactly when it is well formed: {:?}",
                    outcome
                );
                let was_dismissed = claim.status == ClaimStatus::Dismissed;
                if self.settle("review", submitter, reviewer, held.as_ref(), outcome)?
                    && was_dismissed
                {
                    self.tally.reinstated += 1;
                }
            }
            Command::Correct {
                claim,
                reviewer,
                sourcing,
                source,
                hedged,
                source_in_text,
                note,
                revision,
            } => {
                let Some((claim, article)) = self.target(claim) else {
                    return Ok(());
                };
                let reviewer = USERS[reviewer.index(USERS.len())];
                let submitter = self.submitter_of(claim.article_id);
                let held = self.held_by_other(claim.id, reviewer);
                let body = article.as_ref().map_or("", |article| article.body.as_str());
                let command = CorrectClaim {
                    claim_id: claim.id,
                    sourcing: *sourcing,
                    source: source.as_ref().map(|phrase| {
                        phrase
                            .as_ref()
                            .map(|phrase| phrase.resolve(body, Some(claim.span)))
                    }),
                    hedged: *hedged,
                    source_in_text: *source_in_text,
                    note: note.resolve(),
                    reviewer: reviewer.to_owned(),
                    expected_revision: revision.resolve(claim.revision),
                };
                let outcome = review::decide_correct(
                    &claim,
                    service_submitter(article.as_ref()),
                    body,
                    &command,
                    now,
                );
                if let Ok(corrected) = &outcome {
                    prop_assert_eq!(corrected.based_on_revision, command.expected_revision);
                    prop_assert_eq!(corrected.based_on_revision, claim.revision);
                    // A new source phrase stands in the claim's sentence, or the reviewer said
                    // the text does not name it.
                    if corrected.source.is_some() && corrected.source != claim.source {
                        match corrected.source_span {
                            Some(at) => {
                                prop_assert!(
                                    claim.span.start <= at.start && at.end <= claim.span.end
                                );
                                prop_assert_eq!(at.slice(body), corrected.source.as_deref());
                            }
                            None => prop_assert_eq!(command.source_in_text, Some(false)),
                        }
                    }
                }
                let own_hold = claim
                    .hold
                    .as_ref()
                    .is_some_and(|hold| hold.reviewer == reviewer && hold.until > now);
                let outcome = outcome.map(DomainEvent::ClaimCorrected);
                if self.settle("correct", submitter, reviewer, held.as_ref(), outcome)? && own_hold
                {
                    self.tally.corrected_under_own_hold += 1;
                }
            }
            Command::Dismiss {
                claim,
                reviewer,
                reason,
                revision,
            } => {
                let Some((claim, article)) = self.target(claim) else {
                    return Ok(());
                };
                let reviewer = USERS[reviewer.index(USERS.len())];
                let submitter = self.submitter_of(claim.article_id);
                let held = self.held_by_other(claim.id, reviewer);
                let command = DismissClaim {
                    claim_id: claim.id,
                    reason: reason.resolve().unwrap_or_default(),
                    reviewer: reviewer.to_owned(),
                    expected_revision: revision.resolve(claim.revision),
                };
                let outcome = review::decide_dismiss(
                    &claim,
                    service_submitter(article.as_ref()),
                    &command,
                    now,
                )
                .map(DomainEvent::ClaimDismissed);
                let well_formed = reviewer != submitter
                    && held.is_none()
                    && command.expected_revision == claim.revision
                    && !reason.is_blank()
                    && claim.status != ClaimStatus::Dismissed;
                prop_assert_eq!(
                    outcome.is_ok(),
                    well_formed,
                    "a dismissal is accepted exactly when it is well formed: {:?}",
                    outcome
                );
                self.settle("dismiss", submitter, reviewer, held.as_ref(), outcome)?;
            }
            Command::Add {
                article,
                reviewer,
                span,
                content,
                sourcing,
                source,
                hedged,
                source_in_text,
                note,
            } => {
                let fixture = &self.articles[article.index(self.articles.len())];
                let Some(record) = self.store.article(fixture.id).expect("store reads") else {
                    return Ok(());
                };
                let submitter = fixture.submitter;
                let reviewer = USERS[reviewer.index(USERS.len())];
                let body = fixture.body;
                let span = span.resolve(body);
                let standing = self.store.claims_of(&record).expect("store reads");
                let command = AddClaim {
                    article_id: record.id,
                    span,
                    content: content
                        .as_ref()
                        .map(|phrase| phrase.resolve(body, Some(span))),
                    source: source
                        .as_ref()
                        .map(|phrase| phrase.resolve(body, Some(span))),
                    sourcing: *sourcing,
                    hedged: *hedged,
                    source_in_text: *source_in_text,
                    note: note.resolve(),
                    reviewer: reviewer.to_owned(),
                };
                let facts = ArticleFacts {
                    id: record.id,
                    body: &record.body,
                    language: record.language,
                    submitted_by: &record.submitted_by,
                };
                let outcome = review::decide_add(&facts, &standing, &command, Uuid::now_v7());
                if let Ok(added) = &outcome {
                    // The sentence lies inside the picked span, trimmed, on boundaries, and
                    // no standing claim (as the service saw them) covers any of it.
                    prop_assert!(span.start <= added.span.start && added.span.end <= span.end);
                    prop_assert_eq!(added.span.slice(body), Some(added.sentence.as_str()));
                    prop_assert!(!added.sentence.is_empty());
                    prop_assert_eq!(added.sentence.trim(), added.sentence.as_str());
                    // The content is the sentence or a part of it; the source is written there
                    // or said not to be.
                    let inside =
                        |at: Span| added.span.start <= at.start && at.end <= added.span.end;
                    prop_assert!(inside(added.content_span));
                    prop_assert_eq!(added.content_span.slice(body), Some(added.content.as_str()));
                    match (added.source.as_deref(), added.source_span) {
                        (Some(source), Some(at)) => {
                            prop_assert!(inside(at));
                            prop_assert_eq!(at.slice(body), Some(source));
                        }
                        (Some(_), None) => prop_assert_eq!(command.source_in_text, Some(false)),
                        (None, at) => prop_assert_eq!(at, None),
                    }
                    for claim in &standing {
                        prop_assert!(
                            claim.status == ClaimStatus::Dismissed
                                || !overlaps(claim.span, added.span),
                            "added {:?} overlaps standing claim {:?}",
                            added.span,
                            claim.span
                        );
                    }
                }
                self.settle(
                    "add",
                    submitter,
                    reviewer,
                    None,
                    outcome.map(DomainEvent::ClaimAdded),
                )?;
            }
        }
        Ok(())
    }

    fn stored_claims(&self) -> BTreeMap<Uuid, ClaimView> {
        claims_in(&self.store)
    }
}

/// Every claim a store holds, by id.
fn claims_in(store: &ClaimStore) -> BTreeMap<Uuid, ClaimView> {
    let everything = ListClaims {
        limit: 1000,
        ..Default::default()
    };
    let page = store
        .list(&everything, start_of_session())
        .expect("store lists");
    page.claims
        .into_iter()
        .map(|claim| (claim.id, claim))
        .collect()
}

/// What the service passes as the submitter: the stored article's, or "" when unknown.
fn service_submitter(article: Option<&ArticleRecord>) -> &str {
    article.map_or("", |article| article.submitted_by.as_str())
}

/// Every claim's assignee as the log tells it: the latest assignment, unless cleared since.
fn assignments_by_log(log: &[Event]) -> BTreeMap<Uuid, String> {
    let mut assigned = BTreeMap::new();
    for event in log {
        match &event.payload {
            DomainEvent::ClaimAssigned(assignment) => {
                assigned.insert(assignment.claim_id, assignment.assignee.clone());
            }
            DomainEvent::ClaimUnassigned(cleared) => {
                assigned.remove(&cleared.claim_id);
            }
            _ => {}
        }
    }
    assigned
}

/// Every claim's hold as the log tells it: the latest take, ended by a verdict or dismissal.
/// Who gave the verdict claim `id` awaits a second reviewer on, by the log alone: its latest
/// verdict, if given under the rule and not confirmed or disputed since.
fn awaiting_by_log(log: &[Event], id: Uuid) -> Option<String> {
    let mut awaiting = None;
    for event in log {
        match &event.payload {
            DomainEvent::ClaimReviewed(reviewed) if reviewed.claim_id == id => {
                awaiting = reviewed
                    .awaiting_confirmation
                    .then(|| reviewed.reviewer.clone());
            }
            DomainEvent::ClaimConfirmed(e) if e.claim_id == id => awaiting = None,
            DomainEvent::ClaimDisputed(e) if e.claim_id == id => awaiting = None,
            _ => {}
        }
    }
    awaiting
}

fn holds_by_log(log: &[Event]) -> BTreeMap<Uuid, Hold> {
    let mut holds = BTreeMap::new();
    for event in log {
        match &event.payload {
            DomainEvent::ClaimTaken(taken) => {
                holds.insert(
                    taken.claim_id,
                    Hold {
                        reviewer: taken.reviewer.clone(),
                        until: taken.until,
                    },
                );
            }
            DomainEvent::ClaimReviewed(reviewed) => {
                holds.remove(&reviewed.claim_id);
            }
            DomainEvent::ClaimDismissed(dismissed) => {
                holds.remove(&dismissed.claim_id);
            }
            DomainEvent::ClaimConfirmed(confirmed) => {
                holds.remove(&confirmed.claim_id);
            }
            DomainEvent::ClaimDisputed(disputed) => {
                holds.remove(&disputed.claim_id);
            }
            _ => {}
        }
    }
    holds
}

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

/// Where two values differ, as JSON paths with both sides: readable where a `Debug` dump of a
/// whole projection is not.
fn differences(left: &impl serde::Serialize, right: &impl serde::Serialize) -> Vec<String> {
    fn walk(path: String, left: &Value, right: &Value, found: &mut Vec<String>) {
        match (left, right) {
            (Value::Object(a), Value::Object(b)) => {
                let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
                for key in keys {
                    let missing = Value::Null;
                    let (x, y) = (
                        a.get(key).unwrap_or(&missing),
                        b.get(key).unwrap_or(&missing),
                    );
                    walk(format!("{path}.{key}"), x, y, found);
                }
            }
            (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
                for (index, (x, y)) in a.iter().zip(b).enumerate() {
                    walk(format!("{path}[{index}]"), x, y, found);
                }
            }
            (x, y) if x != y => found.push(format!("{path}: {x} ≠ {y}")),
            _ => {}
        }
    }
    let left = serde_json::to_value(left).expect("serialisable");
    let right = serde_json::to_value(right).expect("serialisable");
    let mut found = Vec::new();
    walk(String::new(), &left, &right, &mut found);
    found
}

/// Fails with the differences when `live` and `expected` differ.
fn assert_same<T: PartialEq + serde::Serialize>(
    live: &T,
    expected: &T,
    what: &str,
) -> Result<(), TestCaseError> {
    if live != expected {
        let differences = differences(live, expected);
        return Err(TestCaseError::fail(format!(
            "{what} (left: live, right: expected):\n  {}",
            differences.join("\n  ")
        )));
    }
    Ok(())
}

fn replay(log: &[Event]) -> Desk {
    let mut desk = Desk::default();
    for event in log {
        desk.apply(event);
    }
    desk
}

fn articles_of(desk: &Desk) -> Vec<ArticleView> {
    desk.snapshot(0, None).articles
}

/// Replay equals live: the same articles (with their claims) and the same claims.
fn check_replay_equals_live(newsroom: &Newsroom, desk: &Desk) -> Result<(), TestCaseError> {
    let live = newsroom.store.all_articles().expect("store reads");
    assert_same(&live, &articles_of(desk), "replay ≠ live: articles differ")?;
    assert_same(
        &newsroom.stored_claims(),
        &desk.claims,
        "replay ≠ live: claims differ",
    )?;
    Ok(())
}

/// Walks the log the way it happened and checks each decision against the state just before
/// it: not by the submitter, not under another reviewer's unexpired hold, an addition only on
/// text no standing claim of the article covers.
fn check_decisions_were_allowed(log: &[Event]) -> Result<(), TestCaseError> {
    let mut desk = Desk::default();
    let mut holds: BTreeMap<Uuid, Hold> = BTreeMap::new();
    for event in log {
        let decided_on = match &event.payload {
            DomainEvent::ClaimTaken(e) => Some((e.claim_id, e.reviewer.as_str(), "take")),
            DomainEvent::ClaimReviewed(e) => Some((e.claim_id, e.reviewer.as_str(), "verdict")),
            DomainEvent::ClaimCorrected(e) => Some((e.claim_id, e.reviewer.as_str(), "correction")),
            DomainEvent::ClaimDismissed(e) => Some((e.claim_id, e.reviewer.as_str(), "dismissal")),
            DomainEvent::ClaimConfirmed(e) => {
                Some((e.claim_id, e.reviewer.as_str(), "confirmation"))
            }
            DomainEvent::ClaimDisputed(e) => Some((e.claim_id, e.reviewer.as_str(), "dispute")),
            _ => None,
        };
        if let Some((claim_id, reviewer, what)) = decided_on {
            let claim = desk.claims.get(&claim_id);
            prop_assert!(claim.is_some(), "{} on an unknown claim", what);
            let article_id = claim.map(|claim| claim.article_id);
            let submitter = article_id
                .and_then(|id| desk.articles.get(&id))
                .map(|article| article.submitted_by.as_str());
            prop_assert_ne!(
                submitter,
                Some(reviewer),
                "a {} by the article's submitter is in the log",
                what
            );
            if let Some(hold) = holds.get(&claim_id) {
                prop_assert!(
                    hold.reviewer == reviewer || hold.until <= event.time,
                    "a {} by {} at {} while {} held the claim until {}",
                    what,
                    reviewer,
                    event.time,
                    hold.reviewer,
                    hold.until
                );
            }
        }
        match &event.payload {
            DomainEvent::ClaimTaken(taken) => {
                holds.insert(
                    taken.claim_id,
                    Hold {
                        reviewer: taken.reviewer.clone(),
                        until: taken.until,
                    },
                );
            }
            DomainEvent::ClaimReviewed(reviewed) => {
                holds.remove(&reviewed.claim_id);
            }
            DomainEvent::ClaimDismissed(dismissed) => {
                holds.remove(&dismissed.claim_id);
            }
            DomainEvent::ClaimConfirmed(confirmed) => {
                let first = desk
                    .claims
                    .get(&confirmed.claim_id)
                    .and_then(|claim| claim.history.last());
                prop_assert!(
                    first.is_some_and(|first| first.reviewer != confirmed.reviewer),
                    "a confirmation by the first reviewer is in the log"
                );
                holds.remove(&confirmed.claim_id);
            }
            DomainEvent::ClaimDisputed(disputed) => {
                let first = desk
                    .claims
                    .get(&disputed.claim_id)
                    .and_then(|claim| claim.history.last());
                prop_assert!(
                    first.is_some_and(|first| first.reviewer != disputed.reviewer),
                    "a dispute by the first reviewer is in the log"
                );
                holds.remove(&disputed.claim_id);
            }
            DomainEvent::ClaimAdded(added) => {
                let article = desk.articles.get(&added.article_id);
                prop_assert!(article.is_some(), "a claim added to an unknown article");
                if let Some(article) = article {
                    prop_assert_ne!(
                        article.submitted_by.as_str(),
                        added.reviewer.as_str(),
                        "an addition by the article's submitter is in the log"
                    );
                    prop_assert_eq!(
                        added.span.slice(&article.body),
                        Some(added.sentence.as_str())
                    );
                    for id in article.all_claim_ids() {
                        if let Some(other) = desk.claims.get(&id) {
                            prop_assert!(
                                other.status == ClaimStatus::Dismissed
                                    || !overlaps(other.span, added.span),
                                "claim added on {:?}, where claim {} stood on {:?}",
                                added.span,
                                other.id,
                                other.span
                            );
                        }
                    }
                }
            }
            _ => {}
        }
        desk.apply(event);
    }
    Ok(())
}

/// Never an illegal state: one claim's record agrees with itself, with its article and with
/// the log.
fn check_claim(
    claim: &ClaimView,
    article: &Article,
    log: &[Event],
    hold_by_log: Option<&Hold>,
) -> Result<(), TestCaseError> {
    let id = claim.id;
    // Counters.
    prop_assert_eq!(
        claim.version,
        claim.history.len() as u64,
        "claim {}: version counts verdicts",
        id
    );
    for (index, entry) in claim.history.iter().enumerate() {
        prop_assert_eq!(
            entry.version,
            index as u64 + 1,
            "claim {}: verdict versions",
            id
        );
    }
    let decisions: Vec<_> = claim
        .corrections
        .iter()
        .filter(|entry| entry.kind != CorrectionKind::Added)
        .collect();
    let answers: Vec<u64> = claim
        .history
        .iter()
        .filter_map(|entry| entry.second_review.as_ref())
        .map(|answer| answer.revision)
        .collect();
    prop_assert_eq!(
        claim.revision,
        (claim.history.len() + decisions.len() + answers.len()) as u64,
        "claim {}: revision counts verdicts, corrections, dismissals, confirmations and disputes",
        id
    );
    // The addition, if any, comes first and is the only one; it makes no revision.
    let additions = claim
        .corrections
        .iter()
        .filter(|entry| entry.kind == CorrectionKind::Added)
        .count();
    prop_assert_eq!(additions, usize::from(claim.added_by.is_some()));
    if claim.added_by.is_some() {
        prop_assert_eq!(claim.corrections[0].kind, CorrectionKind::Added);
        prop_assert_eq!(claim.corrections[0].revision, 0);
    }
    // Which revision each decision made: corrections and dismissals say so; the verdicts
    // made the others, in order.
    let by_corrections: Vec<u64> = decisions.iter().map(|entry| entry.revision).collect();
    prop_assert!(
        by_corrections.windows(2).all(|pair| pair[0] < pair[1])
            && by_corrections
                .iter()
                .all(|revision| (1..=claim.revision).contains(revision)),
        "claim {}: correction revisions {:?} out of 1..={}",
        id,
        by_corrections,
        claim.revision
    );
    let verdict_revisions: Vec<u64> = (1..=claim.revision)
        .filter(|revision| !by_corrections.contains(revision) && !answers.contains(revision))
        .collect();
    let last_verdict = claim.history.last().zip(verdict_revisions.last());
    let last_dismissal = decisions
        .iter()
        .filter(|entry| entry.kind == CorrectionKind::Dismissed)
        .map(|entry| entry.revision)
        .max();
    let status = match (last_verdict, last_dismissal) {
        (Some((_, verdict_at)), Some(dismissed_at)) if dismissed_at > *verdict_at => {
            ClaimStatus::Dismissed
        }
        (Some((entry, _)), _) => match (&entry.second_review, entry.needs_confirmation) {
            (_, false) => entry.verdict.into(),
            (None, true) => ClaimStatus::AwaitingConfirmation,
            (Some(answer), true) if answer.confirmed => entry.verdict.into(),
            (Some(_), true) => ClaimStatus::Pending,
        },
        (None, Some(_)) => ClaimStatus::Dismissed,
        (None, None) => ClaimStatus::Pending,
    };
    prop_assert_eq!(
        claim.status,
        status,
        "claim {}: status is not what its latest verdict or dismissal says",
        id
    );
    // Notes.
    for entry in &claim.history {
        if entry.verdict == Verdict::Unverified {
            prop_assert!(
                entry
                    .note
                    .as_deref()
                    .is_some_and(|note| !note.trim().is_empty()),
                "claim {}: an unverified verdict without a note",
                id
            );
        }
    }
    // Nobody decides on their own article.
    let deciders = claim
        .history
        .iter()
        .map(|entry| entry.reviewer.as_str())
        .chain(
            claim
                .corrections
                .iter()
                .map(|entry| entry.reviewer.as_str()),
        )
        .chain(claim.added_by.as_deref())
        .chain(claim.hold.as_ref().map(|hold| hold.reviewer.as_str()));
    for decider in deciders {
        prop_assert_ne!(
            decider,
            article.submitter,
            "claim {}: the submitter decided on their own article",
            id
        );
    }
    // The hold is the latest take unless a verdict or dismissal ended it.
    prop_assert_eq!(
        claim.hold.as_ref(),
        hold_by_log,
        "claim {}: the hold is not what the log says",
        id
    );
    // Attribution: once a person corrected or added the claim, sourcing and source agree.
    let touched = claim.corrections.iter().any(|entry| {
        matches!(
            entry.kind,
            CorrectionKind::Corrected | CorrectionKind::Added
        )
    });
    if touched {
        prop_assert_eq!(
            claim.sourcing == Sourcing::Unattributed,
            claim.source.is_none(),
            "claim {}: sourcing {} with source {:?}",
            id,
            claim.sourcing,
            claim.source
        );
        if let Some(source) = &claim.source {
            prop_assert!(!source.is_empty() && source.trim() == source);
        }
    }
    if let (Some(span), Some(source)) = (claim.source_span, &claim.source) {
        prop_assert_eq!(
            span.slice(article.body),
            Some(source.as_str()),
            "claim {}: the source span does not mark the source",
            id
        );
    }
    // Nothing lost, nothing doubled: the claim's entries are exactly its decisions in the log.
    let mut verdict_ids = Vec::new();
    let mut correction_ids = Vec::new();
    for event in log {
        match &event.payload {
            DomainEvent::ClaimReviewed(e) if e.claim_id == id => verdict_ids.push(event.id),
            DomainEvent::ClaimCorrected(e) if e.claim_id == id => correction_ids.push(event.id),
            DomainEvent::ClaimDismissed(e) if e.claim_id == id => correction_ids.push(event.id),
            DomainEvent::ClaimAdded(e) if e.claim_id == id => correction_ids.push(event.id),
            _ => {}
        }
    }
    prop_assert_eq!(
        claim
            .history
            .iter()
            .map(|entry| entry.event_id)
            .collect::<Vec<_>>(),
        verdict_ids,
        "claim {}: verdicts lost or doubled",
        id
    );
    prop_assert_eq!(
        claim
            .corrections
            .iter()
            .map(|entry| entry.event_id)
            .collect::<Vec<_>>(),
        correction_ids,
        "claim {}: corrections lost or doubled",
        id
    );
    Ok(())
}

/// Both properties after one step.
fn check_step(newsroom: &Newsroom) -> Result<(), TestCaseError> {
    let desk = replay(&newsroom.log);
    check_replay_equals_live(newsroom, &desk)?;
    check_decisions_were_allowed(&newsroom.log)?;
    let holds = holds_by_log(&newsroom.log);
    let assigned = assignments_by_log(&newsroom.log);
    for claim in newsroom.stored_claims().values() {
        prop_assert_eq!(
            claim.assignment.as_ref().map(|a| a.reviewer.as_str()),
            assigned.get(&claim.id).map(String::as_str),
            "claim {}'s assignment is not the log's latest",
            claim.id
        );
        let article = newsroom
            .articles
            .iter()
            .find(|article| article.id == claim.article_id);
        prop_assert!(
            article.is_some(),
            "claim {} of an unknown article",
            claim.id
        );
        if let Some(article) = article {
            check_claim(claim, article, &newsroom.log, holds.get(&claim.id))?;
        }
    }
    Ok(())
}

/// At the end: redelivery changes nothing, and a rebuilt store equals the live one.
fn check_redelivery_and_rebuild(newsroom: &Newsroom) -> Result<(), TestCaseError> {
    let live_articles = newsroom.store.all_articles().expect("store reads");
    let live_claims = newsroom.stored_claims();
    let desk = replay(&newsroom.log);

    for (index, event) in newsroom.log.iter().enumerate() {
        newsroom
            .store
            .apply(event, index as u64 + 1)
            .expect("store applies");
    }
    assert_same(
        &newsroom.store.all_articles().expect("store reads"),
        &live_articles,
        "redelivering the log changed the store's articles",
    )?;
    assert_same(
        &newsroom.stored_claims(),
        &live_claims,
        "redelivering the log changed the store's claims",
    )?;
    let mut redelivered = desk.clone();
    for event in &newsroom.log {
        redelivered.apply(event);
    }
    assert_same(
        &articles_of(&redelivered),
        &articles_of(&desk),
        "redelivering the log changed the replayed articles",
    )?;
    assert_same(
        &redelivered.claims,
        &desk.claims,
        "redelivering the log changed the replayed claims",
    )?;
    prop_assert!(
        redelivered == desk,
        "redelivering the log changed the replay"
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let rebuilt = open_store(dir.path());
    for (index, event) in newsroom.log.iter().enumerate() {
        rebuilt
            .apply(event, index as u64 + 1)
            .expect("store applies");
    }
    assert_same(
        &live_articles,
        &rebuilt.all_articles().expect("store reads"),
        "a store rebuilt from the log differs from the live one",
    )?;
    assert_same(
        &live_claims,
        &claims_in(&rebuilt),
        "a store rebuilt from the log holds other claims than the live one",
    )?;

    // The same log folded in batches: whatever the batch boundaries, the same state.
    let positioned: Vec<(u64, &Event)> = newsroom
        .log
        .iter()
        .enumerate()
        .map(|(index, event)| (index as u64 + 1, event))
        .collect();
    for size in [1, 7, 256] {
        let dir = tempfile::tempdir().expect("temp dir");
        let batched = open_store(dir.path());
        let mut batched_desk = Desk::default();
        for batch in positioned.chunks(size) {
            batched
                .apply_batch(batch, None)
                .expect("store applies a batch");
            batched_desk.fold(batch.iter().copied());
        }
        assert_same(
            &live_articles,
            &batched.all_articles().expect("store reads"),
            &format!("a store folded in batches of {size} differs from the live one"),
        )?;
        assert_same(
            &live_claims,
            &claims_in(&batched),
            &format!("a store folded in batches of {size} holds other claims"),
        )?;
        assert_same(
            &articles_of(&batched_desk),
            &articles_of(&desk),
            &format!("a replay in batches of {size} differs from the replay"),
        )?;
        assert_same(
            &batched_desk.claims,
            &desk.claims,
            &format!("a replay in batches of {size} holds other claims"),
        )?;

        // The replay of a long history keeps most of its state in a temporary file: with
        // room for one claim and one article in memory, nearly every read comes from the file.
        let mut spilled = SpilledDesk::with_hot_capacity(1, 1);
        for batch in positioned.chunks(size) {
            spilled
                .fold(batch.iter().copied())
                .expect("spilled replay folds");
        }
        let spilled_users = spilled.users();
        let spilled_articles: Vec<ArticleView> = spilled
            .into_articles()
            .collect::<Result<_, _>>()
            .expect("spilled replay reads back");
        let snapshot = desk.snapshot(0, None);
        assert_same(
            &spilled_articles,
            &snapshot.articles,
            &format!("a spilled replay in batches of {size} differs from the replay"),
        )?;
        assert_same(
            &spilled_users,
            &snapshot.users,
            &format!("a spilled replay in batches of {size} has other users"),
        )?;
    }
    Ok(())
}

/// Runs one case: every step, the checks after each, and the end-of-log checks.
fn run_case(case: &Case) -> Result<Tally, TestCaseError> {
    let mut newsroom = Newsroom::new(&case.articles);
    check_step(&newsroom)?;
    for step in &case.steps {
        newsroom.run(step)?;
        check_step(&newsroom)?;
    }
    newsroom.deliver(usize::MAX);
    check_step(&newsroom)?;
    check_redelivery_and_rebuild(&newsroom)?;
    Ok(newsroom.tally)
}

/// `PROPTEST_CASES` when set, else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(default)
}

const MAX_STEPS: usize = 40;

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(64),
        // A failing session is long; give shrinking room to cut it down to a few steps.
        max_shrink_iters: 4096,
        ..ProptestConfig::default()
    })]

    /// Replay equals live after every step, redelivery changes nothing, a rebuild equals the
    /// live store; and no claim ever reaches an illegal state.
    #[test]
    fn random_sessions_replay_to_the_live_state_and_stay_legal(case in case(MAX_STEPS)) {
        run_case(&case)?;
    }
}

/// The generator reaches what the properties are about: every command is accepted and refused
/// sometimes, holds run out and are taken over, dismissed claims are reinstated, decisions
/// are redelivered and the service restarts. Deterministic, so it never flakes.
#[test]
fn the_random_sessions_reach_every_decision_and_refusal() {
    let mut runner = TestRunner::deterministic();
    let strategy = case(MAX_STEPS);
    let mut total = Tally::default();
    for _ in 0..64 {
        let case = strategy
            .new_tree(&mut runner)
            .expect("a case generates")
            .current();
        let tally = run_case(&case).expect("the properties hold");
        for (command, count) in tally.accepted {
            *total.accepted.entry(command).or_default() += count;
        }
        for (key, count) in tally.refused {
            *total.refused.entry(key).or_default() += count;
        }
        total.expired_takeovers += tally.expired_takeovers;
        total.reinstated += tally.reinstated;
        total.corrected_under_own_hold += tally.corrected_under_own_hold;
        total.redelivered_decisions += tally.redelivered_decisions;
        total.restarts += tally.restarts;
        total.steps += tally.steps;
    }
    for code in ["unprocessable", "conflict"] {
        assert!(
            total
                .refused
                .get(&("assign", code))
                .is_some_and(|count| *count > 0),
            "no assign refused as {code}: {total:#?}"
        );
    }
    assert!(
        total.accepted.get("assign").is_some_and(|count| *count > 1),
        "no assignment accepted: {total:#?}"
    );
    for command in ["settings", "confirm", "dispute"] {
        assert!(
            total.accepted.get(command).is_some_and(|count| *count > 0),
            "no {command} accepted: {total:#?}"
        );
    }
    for (command, code) in [
        ("confirm", "forbidden"),
        ("confirm", "conflict"),
        ("dispute", "bad_request"),
        ("settings", "conflict"),
    ] {
        assert!(
            total
                .refused
                .get(&(command, code))
                .is_some_and(|count| *count > 0),
            "no {command} refused as {code}: {total:#?}"
        );
    }
    for command in ["take", "review", "correct", "dismiss", "add"] {
        assert!(
            total.accepted.get(command).is_some_and(|count| *count > 0),
            "no {command} accepted: {total:#?}"
        );
        for code in ["forbidden", "bad_request", "conflict"] {
            if command == "take" && code == "bad_request" {
                continue;
            }
            assert!(
                total
                    .refused
                    .get(&(command, code))
                    .is_some_and(|count| *count > 0),
                "no {command} refused as {code}: {total:#?}"
            );
        }
    }
    println!("{total:#?}");
    assert!(total.expired_takeovers > 0, "{total:#?}");
    assert!(total.reinstated > 0, "{total:#?}");
    assert!(total.corrected_under_own_hold > 0, "{total:#?}");
    assert!(total.redelivered_decisions > 0, "{total:#?}");
    assert!(total.restarts > 0, "{total:#?}");
}

// ---------------------------------------------------------------------------------------------
// Regressions: the minimal cases proptest printed, kept as plain tests
// ---------------------------------------------------------------------------------------------

/// One article by `submitter` (a `USERS` pick), on the first body; `x1` finds `claims` claims,
/// all on its first sentence, named and without a source.
fn one_article(submitter: u16, claims: usize) -> ArticleSpec {
    let claim = ClaimSpec {
        sentence: Pick(0),
        sourcing: Sourcing::Named,
        source: None,
        hedged: false,
        score: 0,
    };
    ArticleSpec {
        body: Pick(0),
        submitter: Pick(submitter),
        extractions: [vec![claim; claims], vec![]],
    }
}

/// Erin takes Eddie's claim, extends her hold when it runs out, and the consumer then delivers
/// the first take: the store's hold went back to 09:15 while the log says 09:30.
#[test]
fn regression_a_take_delivered_after_its_extension_shortened_the_hold() {
    let take = Command::Take {
        claim: Pick(0),
        reviewer: Pick(1),
    };
    let case = Case {
        articles: vec![one_article(0, 1)],
        steps: vec![
            Step {
                after_seconds: 0,
                command: take.clone(),
            },
            Step {
                after_seconds: 900,
                command: take,
            },
            Step {
                after_seconds: 0,
                command: Command::Deliver { events: 1 },
            },
        ],
    };
    run_case(&case).expect("the properties hold");
}

/// Erin takes a claim and gives her verdict, which ends her hold; delivering the log again
/// (here: at the end of the case) brought the hold back, so nobody else could review the
/// claim for up to 15 minutes.
#[test]
fn regression_a_take_delivered_after_the_verdict_brought_the_lease_back() {
    let case = Case {
        articles: vec![one_article(0, 1), one_article(0, 2)],
        steps: vec![
            Step {
                after_seconds: 0,
                command: Command::Take {
                    claim: Pick(56047),
                    reviewer: Pick(2061),
                },
            },
            Step {
                after_seconds: 0,
                command: Command::Extract {
                    article: Pick(0),
                    version: Pick(0),
                },
            },
            Step {
                after_seconds: 0,
                command: Command::Extract {
                    article: Pick(0),
                    version: Pick(0),
                },
            },
            Step {
                after_seconds: 0,
                command: Command::Review {
                    claim: Pick(14944),
                    reviewer: Pick(3853),
                    verdict: Verdict::Verified,
                    note: Text::Absent,
                    evidence: Evidence::None,
                    version: Expect::Current,
                    revision: None,
                },
            },
        ],
    };
    run_case(&case).expect("the properties hold");
}
