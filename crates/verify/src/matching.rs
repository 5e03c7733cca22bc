//! Claim matching: does a new claim say the same thing as an earlier one?
//!
//! A claim's `content` becomes a [`Fingerprint`]: the text is folded (lowercase, `ё` → `е`,
//! quotes and punctuation gone, decimal commas kept), cut into words, each word stemmed with the
//! Snowball stemmer of the claim's language (`rust-stemmers`), stop words and reporting verbs
//! ("сообщил", "заявил") dropped, a few metonymies folded to one term ("Вашингтон" → "США",
//! "Баку" → "Азербайджан", "ЕС" → "Евросоюз") and number words read as numbers ("четырех" → 4,
//! "полтора" → 1.5, months → `m1`…`m12`). Negation words ("не", "нет", "без", "not") are not
//! terms: they set the fingerprint's polarity.
//!
//! Two fingerprints are compared by [`compare`]: a weighted overlap (Otsuka–Ochiai, the cosine
//! of two sets; numbers weigh 3, proper names 2, other words 1) and three vetoes for the
//! near-misses that share almost every word but state another fact — opposite polarity
//! (including "невозможна" against "возможна"), other numbers on both sides, other names on both
//! sides. A pair matches when nothing vetoes it and the score reaches [`THRESHOLD`], which was
//! chosen on the dev half of `tests/data/matching` (see its README and [`eval`]).
//!
//! [`MatchIndex`] is the candidate lookup the verify service keeps in memory: an inverted index
//! from term to the claims holding it, so a new claim is compared only with earlier claims that
//! share at least two of its terms. It is rebuilt from the projection at start.
//!
//! Everything here is pure and deterministic: the same claims give the same matches in the same
//! order, so a redelivered `claim.extracted` re-emits the same `claim.matched` events.

use claimledger_types::Language;
use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::LazyLock;
use uuid::Uuid;

/// Recorded on every `claim.matched`: which rules and threshold decided the match.
pub const MATCHER_VERSION: &str = "stems-1";
/// The least score at which two claims without a veto are the same claim (chosen on dev data).
pub const THRESHOLD: f64 = 0.54;
/// Most clusters one new claim is linked to (through the best claim of each): an article
/// copied ten times links each claim once, to the first copy, not ten times.
pub const MAX_MATCHES: usize = 3;

/// What a term is, which decides its weight and whether it can veto a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TermKind {
    Word,
    /// A capitalised word inside the text (not its first word), or a folded metonymy.
    Name,
    /// A number, a number word or a month.
    Number,
}

impl TermKind {
    fn weight(self) -> f64 {
        match self {
            TermKind::Word => 1.0,
            TermKind::Name => 2.0,
            TermKind::Number => 3.0,
        }
    }
}

/// The comparable form of a claim's content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fingerprint {
    pub language: Language,
    /// Stemmed terms with their kind (a term seen as a name anywhere is a name).
    pub terms: BTreeMap<String, TermKind>,
    /// Whether the content is negated ("не", "нет", "без", "not", "never", "without").
    pub negated: bool,
}

/// Why two claims that share their words are still not the same claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Veto {
    /// One says it is so, the other that it is not.
    Polarity,
    /// Each has a number (or month) the other lacks.
    Numbers,
    /// Each names someone or somewhere the other does not.
    Names,
}

/// How alike two fingerprints are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    /// Weighted Otsuka–Ochiai overlap of the terms, in [0, 1].
    pub score: f64,
    pub veto: Option<Veto>,
}

impl Comparison {
    /// Whether the two claims are the same claim at `threshold`.
    pub fn matches(&self, threshold: f64) -> bool {
        self.veto.is_none() && self.score >= threshold
    }
}

struct Lexicon {
    stemmer: Stemmer,
    /// Stems dropped: function words and reporting verbs.
    stop: HashSet<String>,
    /// Stem → the stem it stands for (metonymies, abbreviations).
    canonical: HashMap<String, String>,
    /// Stem pairs read as one term ("соединен" "штат" → "сша").
    phrases: Vec<([String; 2], String)>,
    negations: &'static [&'static str],
    numbers: &'static [(&'static str, &'static str)],
    months: &'static [(&'static str, &'static str)],
    /// Stem prefixes of opposites ("улучш" / "ухудш"): one on each side is a polarity veto.
    antonyms: &'static [(&'static str, &'static str)],
    /// Stems of place names: a name wherever they stand, even first in the text.
    places: HashSet<String>,
}

impl Lexicon {
    fn new(algorithm: Algorithm, words: &Words) -> Self {
        let stemmer = Stemmer::create(algorithm);
        let stem = |word: &str| stemmer.stem(word).into_owned();
        let stop = words.stop.iter().map(|word| stem(word)).collect();
        let canonical = words
            .canonical
            .iter()
            .map(|(from, to)| (stem(from), stem(to)))
            .collect();
        let phrases = words
            .phrases
            .iter()
            .map(|(first, second, to)| ([stem(first), stem(second)], stem(to)))
            .collect();
        Lexicon {
            stop,
            canonical,
            phrases,
            negations: words.negations,
            numbers: words.numbers,
            months: words.months,
            antonyms: words.antonyms,
            places: words
                .places
                .iter()
                .chain(words.canonical.iter().map(|(_, to)| to))
                .map(|word| stem(word))
                .collect(),
            stemmer,
        }
    }

    fn is_place(&self, stem: &str) -> bool {
        self.places.iter().any(|place| same_term(place, stem))
    }

    fn number(&self, word: &str) -> Option<String> {
        if word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            return Some(word.to_owned());
        }
        if let Some((_, value)) = self.numbers.iter().find(|(surface, _)| *surface == word) {
            return Some((*value).to_owned());
        }
        self.months
            .iter()
            .find(|(prefix, _)| {
                word.starts_with(prefix) && (prefix.chars().count() >= 3 || word == *prefix)
            })
            .map(|(_, month)| (*month).to_owned())
    }
}

struct Words {
    stop: &'static [&'static str],
    canonical: &'static [(&'static str, &'static str)],
    phrases: &'static [(&'static str, &'static str, &'static str)],
    negations: &'static [&'static str],
    numbers: &'static [(&'static str, &'static str)],
    months: &'static [(&'static str, &'static str)],
    antonyms: &'static [(&'static str, &'static str)],
    places: &'static [&'static str],
}

static RUSSIAN: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::new(
        Algorithm::Russian,
        &Words {
            stop: &[
                "и",
                "в",
                "во",
                "на",
                "с",
                "со",
                "к",
                "ко",
                "о",
                "об",
                "обо",
                "от",
                "до",
                "по",
                "за",
                "из",
                "изо",
                "у",
                "для",
                "при",
                "про",
                "под",
                "над",
                "через",
                "что",
                "чтобы",
                "как",
                "а",
                "но",
                "же",
                "ли",
                "бы",
                "это",
                "этот",
                "эта",
                "эти",
                "этого",
                "этой",
                "этом",
                "эту",
                "тот",
                "та",
                "те",
                "того",
                "тем",
                "том",
                "то",
                "его",
                "ее",
                "их",
                "он",
                "она",
                "они",
                "оно",
                "мы",
                "вы",
                "я",
                "нас",
                "нам",
                "вас",
                "им",
                "ему",
                "ей",
                "так",
                "также",
                "еще",
                "уже",
                "был",
                "была",
                "были",
                "было",
                "быть",
                "будет",
                "будут",
                "является",
                "являются",
                "все",
                "весь",
                "вся",
                "всех",
                "свой",
                "свои",
                "своих",
                "своей",
                "своим",
                "который",
                "которая",
                "которое",
                "которые",
                "которого",
                "которой",
                "которых",
                "которым",
                "которую",
                "ним",
                "ней",
                "них",
                "пока",
                "теперь",
                "сейчас",
                "лишь",
                "только",
                "или",
                "либо",
                "да",
                "если",
                "тогда",
                "хотя",
                "чем",
                "вот",
                "там",
                "тут",
                "где",
                "когда",
                "же",
                "всё",
                "ещё",
                "по-прежнему",
                "прежнему",
                "все-таки",
                "таки",
                "всего",
                "около",
                "более",
                "сообщил",
                "сообщила",
                "сообщили",
                "сообщает",
                "сообщается",
                "заявил",
                "заявила",
                "заявили",
                "сказал",
                "сказала",
                "сказали",
                "отметил",
                "отметила",
                "подчеркнул",
                "подчеркнула",
                "словам",
                "данным",
                "якобы",
                "вероятно",
                "очевидно",
                "безусловно",
                "естественно",
            ],
            canonical: &[
                ("вашингтон", "сша"),
                ("американский", "сша"),
                ("баку", "азербайджан"),
                ("азербайджанский", "азербайджан"),
                ("москва", "россия"),
                ("кремль", "россия"),
                ("рф", "россия"),
                ("российский", "россия"),
                ("антироссийский", "россия"),
                ("токио", "япония"),
                ("японский", "япония"),
                ("афины", "греция"),
                ("греческий", "греция"),
                ("киев", "украина"),
                ("украинский", "украина"),
                ("ес", "евросоюз"),
                ("фрг", "германия"),
                ("берлин", "германия"),
                ("белоруссия", "беларусь"),
                ("белорусский", "беларусь"),
                ("минск", "беларусь"),
                ("израильский", "израиль"),
                ("альянс", "нато"),
                ("натовский", "нато"),
                ("млрд", "миллиард"),
                ("млн", "миллион"),
                ("замминистра", "министр"),
            ],
            phrases: &[
                ("соединенные", "штаты", "сша"),
                ("европейский", "союз", "евросоюз"),
                ("совет", "безопасности", "совбез"),
                ("иностранных", "дел", "мид"),
            ],
            negations: &["не", "нет", "ни", "без", "никогда", "нельзя"],
            numbers: &[
                ("один", "1"),
                ("одна", "1"),
                ("одного", "1"),
                ("одной", "1"),
                ("два", "2"),
                ("две", "2"),
                ("двух", "2"),
                ("три", "3"),
                ("трех", "3"),
                ("четыре", "4"),
                ("четырех", "4"),
                ("пять", "5"),
                ("пяти", "5"),
                ("пятерых", "5"),
                ("шесть", "6"),
                ("шести", "6"),
                ("семь", "7"),
                ("семи", "7"),
                ("восемь", "8"),
                ("восьми", "8"),
                ("девять", "9"),
                ("девяти", "9"),
                ("десять", "10"),
                ("десяти", "10"),
                ("двадцать", "20"),
                ("сто", "100"),
                ("тысяча", "1000"),
                ("тысячи", "1000"),
                ("тысяч", "1000"),
                ("полтора", "1.5"),
                ("полторы", "1.5"),
            ],
            months: &[
                ("январ", "m1"),
                ("феврал", "m2"),
                ("март", "m3"),
                ("апрел", "m4"),
                ("май", "m5"),
                ("мая", "m5"),
                ("мае", "m5"),
                ("июн", "m6"),
                ("июл", "m7"),
                ("август", "m8"),
                ("сентябр", "m9"),
                ("октябр", "m10"),
                ("ноябр", "m11"),
                ("декабр", "m12"),
            ],
            antonyms: &[
                ("улучш", "ухудш"),
                ("больш", "меньш"),
                ("рост", "паден"),
                ("рост", "сниж"),
                ("увелич", "сокра"),
                ("увелич", "уменьш"),
                ("повыс", "пониз"),
                ("наруша", "соблюда"),
                ("побед", "поражен"),
                ("одобр", "отклон"),
                ("поддерж", "осуд"),
            ],
            places: &[
                "россия",
                "сша",
                "украина",
                "беларусь",
                "казахстан",
                "азербайджан",
                "армения",
                "грузия",
                "турция",
                "иран",
                "ирак",
                "сирия",
                "израиль",
                "палестина",
                "египет",
                "иордания",
                "ливан",
                "катар",
                "индия",
                "пакистан",
                "китай",
                "япония",
                "корея",
                "германия",
                "франция",
                "италия",
                "испания",
                "польша",
                "греция",
                "кипр",
                "чехия",
                "венгрия",
                "сербия",
                "румыния",
                "молдавия",
                "литва",
                "латвия",
                "эстония",
                "финляндия",
                "швеция",
                "норвегия",
                "великобритания",
                "британия",
                "канада",
                "мексика",
                "бразилия",
                "австралия",
                "анкара",
                "пекин",
                "париж",
                "лондон",
                "рим",
                "варшава",
                "вильнюс",
                "ереван",
                "тбилиси",
                "тегеран",
                "газа",
                "крым",
                "донбасс",
                "евросоюз",
                "нато",
                "оон",
                "обсе",
                "мид",
            ],
        },
    )
});

static ENGLISH: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::new(
        Algorithm::English,
        &Words {
            stop: &[
                "the",
                "a",
                "an",
                "of",
                "to",
                "in",
                "on",
                "at",
                "for",
                "by",
                "with",
                "and",
                "or",
                "that",
                "this",
                "these",
                "those",
                "is",
                "are",
                "was",
                "were",
                "be",
                "been",
                "being",
                "has",
                "have",
                "had",
                "it",
                "its",
                "as",
                "from",
                "will",
                "would",
                "shall",
                "should",
                "its",
                "their",
                "his",
                "her",
                "they",
                "he",
                "she",
                "we",
                "which",
                "who",
                "whom",
                "also",
                "still",
                "yet",
                "already",
                "said",
                "says",
                "say",
                "told",
                "reported",
                "according",
                "allegedly",
                "about",
                "into",
                "than",
                "then",
                "so",
                "but",
                "if",
                "there",
            ],
            canonical: &[
                ("washington", "us"),
                ("american", "us"),
                ("usa", "us"),
                ("moscow", "russia"),
                ("kremlin", "russia"),
                ("russian", "russia"),
                ("eu", "european"),
                ("bn", "billion"),
                ("m", "million"),
            ],
            phrases: &[("united", "states", "us")],
            negations: &["not", "no", "never", "without", "nor", "none"],
            numbers: &[
                ("one", "1"),
                ("two", "2"),
                ("three", "3"),
                ("four", "4"),
                ("five", "5"),
                ("six", "6"),
                ("seven", "7"),
                ("eight", "8"),
                ("nine", "9"),
                ("ten", "10"),
                ("hundred", "100"),
                ("thousand", "1000"),
            ],
            months: &[
                ("january", "m1"),
                ("february", "m2"),
                ("march", "m3"),
                ("april", "m4"),
                ("may", "m5"),
                ("june", "m6"),
                ("july", "m7"),
                ("august", "m8"),
                ("september", "m9"),
                ("october", "m10"),
                ("november", "m11"),
                ("december", "m12"),
            ],
            antonyms: &[
                ("improv", "worsen"),
                ("more", "less"),
                ("rise", "fall"),
                ("increas", "decreas"),
                ("rais", "lower"),
                ("win", "lose"),
                ("approv", "reject"),
            ],
            places: &[],
        },
    )
});

fn lexicon(language: Language) -> &'static Lexicon {
    match language {
        Language::Ru => &RUSSIAN,
        Language::En => &ENGLISH,
    }
}

/// A word as written: folded, and whether it began with a capital letter.
struct Word {
    text: String,
    capital: bool,
}

/// Cuts text into folded words. Digits joined by `.` or `,` stay one number ("1,5" → "1.5");
/// English "n't" becomes "not".
fn words(text: &str) -> Vec<Word> {
    let text = text.replace("n't", " not").replace("n’t", " not");
    let chars: Vec<char> = text.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    let mut capital = false;
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        if c.is_alphanumeric() {
            if current.is_empty() {
                capital = c.is_uppercase();
            }
            for lower in c.to_lowercase() {
                current.push(if lower == 'ё' { 'е' } else { lower });
            }
        } else if (c == ',' || c == '.')
            && current.chars().last().is_some_and(|c| c.is_ascii_digit())
            && chars.get(index + 1).is_some_and(|c| c.is_ascii_digit())
        {
            current.push('.');
        } else if !current.is_empty() {
            words.push(Word {
                text: std::mem::take(&mut current),
                capital,
            });
        }
        index += 1;
    }
    if !current.is_empty() {
        words.push(Word {
            text: current,
            capital,
        });
    }
    words
}

/// The fingerprint of a claim's content.
pub fn fingerprint(content: &str, language: Language) -> Fingerprint {
    let lexicon = lexicon(language);
    let mut negated = false;
    // (stem, kind) in text order, before phrases are joined.
    let mut stems: Vec<(String, TermKind)> = Vec::new();
    for (position, word) in words(content).into_iter().enumerate() {
        if lexicon.negations.contains(&word.text.as_str()) {
            negated = true;
            continue;
        }
        if let Some(number) = lexicon.number(&word.text) {
            stems.push((number, TermKind::Number));
            continue;
        }
        let stem = lexicon.stemmer.stem(&word.text).into_owned();
        if lexicon.stop.contains(&stem) {
            continue;
        }
        let (stem, kind) = match lexicon.canonical.get(&stem) {
            Some(canonical) => (canonical.clone(), TermKind::Name),
            None if lexicon.is_place(&stem) => (stem, TermKind::Name),
            None if word.capital && position > 0 => (stem, TermKind::Name),
            None => (stem, TermKind::Word),
        };
        stems.push((stem, kind));
    }
    let mut terms: BTreeMap<String, TermKind> = BTreeMap::new();
    let mut index = 0;
    while index < stems.len() {
        let joined = stems.get(index + 1).and_then(|(next, _)| {
            lexicon
                .phrases
                .iter()
                .find(|([first, second], _)| *first == stems[index].0 && second == next)
                .map(|(_, to)| to.clone())
        });
        let (term, kind, step) = match joined {
            Some(term) => (term, TermKind::Name, 2),
            None => (stems[index].0.clone(), stems[index].1, 1),
        };
        let kind = if lexicon.is_place(&term) {
            TermKind::Name
        } else {
            kind
        };
        let entry = terms.entry(term).or_insert(kind);
        *entry = (*entry).max(kind);
        index += step;
    }
    Fingerprint {
        language,
        terms,
        negated,
    }
}

/// Whether `term` is the negated form ("невозможн") of a term of `other` ("возможн").
fn negated_form_of(term: &str, other: &Fingerprint) -> bool {
    other.language == Language::Ru
        && term
            .strip_prefix("не")
            .is_some_and(|rest| rest.chars().count() >= 4 && find_term(other, rest).is_some())
}

/// Whether two terms stand for the same word: equal, or one a prefix of the other at least four
/// letters long and at most three shorter — the inflections a stemmer leaves on names
/// ("андр" / "андре", "санник" / "санников") and on derived words ("предлож" / "предложен").
fn same_term(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let (short_chars, long_chars) = (short.chars().count(), long.chars().count());
    short_chars >= 4 && long_chars <= short_chars + 3 && long.starts_with(short)
}

/// The key a term is indexed under: its first four letters, so that terms [`same_term`] joins
/// share a posting list.
fn term_key(term: &str) -> String {
    term.chars().take(4).collect()
}

/// The kind of the term of `fingerprint` that is the same term as `term`, if any.
fn find_term(fingerprint: &Fingerprint, term: &str) -> Option<TermKind> {
    if let Some(kind) = fingerprint.terms.get(term) {
        return Some(*kind);
    }
    let key = term_key(term);
    fingerprint
        .terms
        .range(key.clone()..)
        .take_while(|(other, _)| other.starts_with(&key))
        .find(|(other, _)| same_term(term, other))
        .map(|(_, kind)| *kind)
}

/// Compares two fingerprints (see the module notes).
pub fn compare(a: &Fingerprint, b: &Fingerprint) -> Comparison {
    if a.language != b.language || a.terms.is_empty() || b.terms.is_empty() {
        return Comparison {
            score: 0.0,
            veto: None,
        };
    }
    let weight = |fingerprint: &Fingerprint| -> f64 {
        fingerprint.terms.values().map(|kind| kind.weight()).sum()
    };
    let shared: f64 = a
        .terms
        .iter()
        .filter_map(|(term, kind)| {
            find_term(b, term).map(|other| (kind.weight() * other.weight()).sqrt())
        })
        .sum();
    let score = (shared / (weight(a) * weight(b)).sqrt()).min(1.0);
    let negated_word = a.terms.keys().any(|term| negated_form_of(term, b))
        || b.terms.keys().any(|term| negated_form_of(term, a));
    let antonyms = lexicon(a.language).antonyms.iter().any(|(x, y)| {
        let has = |f: &Fingerprint, t: &str| f.terms.keys().any(|term| term.starts_with(t));
        (has(a, x) && has(b, y) && !has(a, y) && !has(b, x))
            || (has(a, y) && has(b, x) && !has(a, x) && !has(b, y))
    });
    let unmatched = |of: &Fingerprint, against: &Fingerprint, kind: TermKind| {
        of.terms
            .iter()
            .any(|(term, k)| *k == kind && find_term(against, term).is_none())
    };
    let veto = if a.negated != b.negated || negated_word || antonyms {
        Some(Veto::Polarity)
    } else if unmatched(a, b, TermKind::Number) && unmatched(b, a, TermKind::Number) {
        Some(Veto::Numbers)
    } else if unmatched(a, b, TermKind::Name) && unmatched(b, a, TermKind::Name) {
        Some(Veto::Names)
    } else {
        None
    };
    Comparison { score, veto }
}

/// An earlier claim a new one matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub claim_id: Uuid,
    pub cluster_id: Uuid,
    pub similarity: f64,
}

/// What the candidate index keeps of each claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indexed {
    /// Its place in the stream: only claims of a lower order are "earlier".
    pub order: u64,
    pub article_id: Uuid,
    /// The cluster it joined when indexed (its best match's, or its own id).
    pub cluster_id: Uuid,
    pub fingerprint: Fingerprint,
}

/// One entry of a term's posting list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Posting {
    pub order: u64,
    pub claim_id: Uuid,
}

/// Most earlier claims one new claim is compared with (those sharing the most terms).
const MAX_CANDIDATES: usize = 32;

/// Of each term's posting list (kept in stream order), only this many earliest claims are
/// counted when gathering candidates. A term every copy of a much-copied article holds would
/// otherwise make each new copy walk all the earlier ones (quadratic in the copies); the
/// earliest are the ones candidates are chosen from anyway, and a rarer term still brings in
/// a later claim.
pub const POSTINGS_SCANNED: usize = 256;

/// Posting lists longer than this are skipped when gathering candidates: such a term is in
/// too many claims to say anything (a stop word the lists missed).
pub const COMMON_TERM: u64 = 5_000;

/// The keys a fingerprint is indexed under: each term's first four letters, so that terms
/// that `same_term` joins share a posting list.
pub fn posting_keys(fingerprint: &Fingerprint) -> BTreeSet<String> {
    fingerprint.terms.keys().map(|t| term_key(t)).collect()
}

/// Where the candidate index lives: in memory ([`MatchIndex`]) or in the verify projection.
/// [`find_in`] asks it only these two questions, so both give the same matches.
pub trait Candidates {
    type Error;
    /// The earliest [`POSTINGS_SCANNED`] postings under `key`, in stream order (order, then
    /// claim id); `None` when the list holds more than [`COMMON_TERM`] claims.
    fn earliest_holding(
        &self,
        language: Language,
        key: &str,
    ) -> Result<Option<Vec<Posting>>, Self::Error>;
    /// What the index keeps of one claim.
    fn indexed(&self, claim_id: Uuid) -> Result<Option<Indexed>, Self::Error>;
}

/// The earlier claims (order below `before`, other articles) that `fingerprint` matches in
/// `index`: the best claim of each cluster (on a tie, the earliest: a cluster's first claim
/// gathers the links), best cluster first, at most [`MAX_MATCHES`] clusters.
pub fn find_in<C: Candidates>(
    index: &C,
    fingerprint: &Fingerprint,
    article_id: Uuid,
    before: u64,
) -> Result<Vec<Found>, C::Error> {
    let mut shared: BTreeMap<Posting, usize> = BTreeMap::new();
    for key in posting_keys(fingerprint) {
        let Some(postings) = index.earliest_holding(fingerprint.language, &key)? else {
            continue;
        };
        for posting in postings.into_iter().filter(|p| p.order < before) {
            *shared.entry(posting).or_default() += 1;
        }
    }
    let least = fingerprint.terms.len().min(2);
    // The candidates sharing the most terms, earliest first on a tie: an article copied a
    // thousand times costs the same comparisons as one copied thirty times.
    let mut ranked: Vec<(usize, Posting)> = shared
        .into_iter()
        .filter(|(_, count)| *count >= least)
        .map(|(posting, count)| (count, posting))
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut found: Vec<(u64, Found)> = Vec::new();
    let mut compared = 0;
    for (_, posting) in ranked {
        if compared == MAX_CANDIDATES {
            break;
        }
        let Some(candidate) = index.indexed(posting.claim_id)? else {
            continue;
        };
        if candidate.article_id == article_id {
            continue;
        }
        compared += 1;
        let comparison = compare(fingerprint, &candidate.fingerprint);
        if comparison.matches(THRESHOLD) {
            found.push((
                candidate.order,
                Found {
                    claim_id: posting.claim_id,
                    cluster_id: candidate.cluster_id,
                    similarity: comparison.score,
                },
            ));
        }
    }
    found.sort_by(|(order_a, a), (order_b, b)| {
        b.similarity
            .total_cmp(&a.similarity)
            .then(order_a.cmp(order_b))
            .then(a.claim_id.cmp(&b.claim_id))
    });
    let mut clusters = BTreeSet::new();
    Ok(found
        .into_iter()
        .map(|(_, found)| found)
        .filter(|found| clusters.insert(found.cluster_id))
        .take(MAX_MATCHES)
        .collect())
}

/// The candidate index in memory: term → claims holding it, plus each claim's fingerprint and
/// cluster. The verify service keeps the same index on disk (its projection); this one serves
/// the eval and the tests.
#[derive(Debug, Default)]
pub struct MatchIndex {
    claims: HashMap<Uuid, Indexed>,
    postings: HashMap<(Language, String), Vec<Posting>>,
}

impl MatchIndex {
    pub fn len(&self) -> usize {
        self.claims.len()
    }

    pub fn is_empty(&self) -> bool {
        self.claims.is_empty()
    }

    /// Adds a claim; a claim already indexed stays as it was (its content and order do not
    /// change).
    pub fn insert(&mut self, claim_id: Uuid, indexed: Indexed) {
        if self.claims.contains_key(&claim_id) {
            return;
        }
        // Each list stays in stream order whatever order claims come in (a rebuild reads them
        // by id), so the earliest postings `find` counts are the same live and after a restart.
        let posting = Posting {
            order: indexed.order,
            claim_id,
        };
        for key in posting_keys(&indexed.fingerprint) {
            let list = self
                .postings
                .entry((indexed.fingerprint.language, key))
                .or_default();
            let at = list.partition_point(|known| *known < posting);
            list.insert(at, posting);
        }
        self.claims.insert(claim_id, indexed);
    }

    /// See [`find_in`].
    pub fn find(&self, fingerprint: &Fingerprint, article_id: Uuid, before: u64) -> Vec<Found> {
        match find_in(self, fingerprint, article_id, before) {
            Ok(found) => found,
            Err(never) => match never {},
        }
    }
}

impl Candidates for MatchIndex {
    type Error = std::convert::Infallible;

    fn earliest_holding(
        &self,
        language: Language,
        key: &str,
    ) -> Result<Option<Vec<Posting>>, Self::Error> {
        let Some(list) = self.postings.get(&(language, key.to_owned())) else {
            return Ok(Some(Vec::new()));
        };
        if list.len() as u64 > COMMON_TERM {
            return Ok(None);
        }
        Ok(Some(list.iter().take(POSTINGS_SCANNED).copied().collect()))
    }

    fn indexed(&self, claim_id: Uuid) -> Result<Option<Indexed>, Self::Error> {
        Ok(self.claims.get(&claim_id).cloned())
    }
}

pub mod eval {
    //! Pair-level scoring of the matcher against claims annotated with clusters: every pair of
    //! claims in a set is a positive when both carry the same cluster label, and predicted
    //! positive when [`super::compare`] matches them at the threshold.

    use super::{compare, fingerprint, Fingerprint};
    use claimledger_types::Language;
    use serde::{Deserialize, Serialize};

    /// One annotated claim (a line of `tests/data/matching/claims.jsonl`).
    #[derive(Debug, Clone, Serialize, Deserialize)]
    pub struct Labelled {
        pub id: String,
        pub cluster: String,
        /// `dev` (thresholds are chosen on it) or `test` (figures are reported on it).
        pub split: String,
        /// `original`, `paraphrase` or `near_miss`.
        pub kind: String,
        pub language: Language,
        pub content: String,
        #[serde(default)]
        pub note: Option<String>,
    }

    /// Pair counts and the rates they give.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
    pub struct Score {
        pub claims: usize,
        pub pairs: usize,
        pub true_positives: usize,
        pub false_positives: usize,
        pub false_negatives: usize,
        pub precision: f64,
        pub recall: f64,
    }

    /// One mistake, for the report.
    #[derive(Debug, Clone, Serialize)]
    pub struct Mistake {
        pub kind: &'static str,
        pub a: String,
        pub b: String,
        pub score: f64,
        pub veto: Option<String>,
    }

    struct Prepared<'a> {
        claim: &'a Labelled,
        fingerprint: Fingerprint,
    }

    /// Scores `claims` (all pairs among them) at `threshold`; returns the score and the mistakes.
    pub fn score(claims: &[&Labelled], threshold: f64) -> (Score, Vec<Mistake>) {
        let prepared: Vec<Prepared> = claims
            .iter()
            .map(|claim| Prepared {
                claim,
                fingerprint: fingerprint(&claim.content, claim.language),
            })
            .collect();
        let mut score = Score {
            claims: claims.len(),
            ..Score::default()
        };
        let mut mistakes = Vec::new();
        for (index, a) in prepared.iter().enumerate() {
            for b in &prepared[index + 1..] {
                score.pairs += 1;
                let same = a.claim.cluster == b.claim.cluster;
                let comparison = compare(&a.fingerprint, &b.fingerprint);
                let predicted = comparison.matches(threshold);
                let mistake = match (same, predicted) {
                    (true, true) => {
                        score.true_positives += 1;
                        None
                    }
                    (false, true) => {
                        score.false_positives += 1;
                        Some("false positive")
                    }
                    (true, false) => {
                        score.false_negatives += 1;
                        Some("false negative")
                    }
                    (false, false) => None,
                };
                if let Some(kind) = mistake {
                    mistakes.push(Mistake {
                        kind,
                        a: format!(
                            "{}: {}\n      {:?}",
                            a.claim.id, a.claim.content, a.fingerprint.terms
                        ),
                        b: format!(
                            "{}: {}\n      {:?}",
                            b.claim.id, b.claim.content, b.fingerprint.terms
                        ),
                        score: comparison.score,
                        veto: comparison.veto.map(|veto| format!("{veto:?}")),
                    });
                }
            }
        }
        let ratio = |part: usize, whole: usize| {
            if whole == 0 {
                1.0
            } else {
                part as f64 / whole as f64
            }
        };
        score.precision = ratio(
            score.true_positives,
            score.true_positives + score.false_positives,
        );
        score.recall = ratio(
            score.true_positives,
            score.true_positives + score.false_negatives,
        );
        (score, mistakes)
    }

    /// The threshold chosen on `dev`: among 0.20, 0.21 … 0.95, the one with the best recall at
    /// a precision of at least `min_precision` (the lowest such threshold on a tie); `None`
    /// when no threshold reaches that precision.
    pub fn choose_threshold(dev: &[&Labelled], min_precision: f64) -> Option<f64> {
        let mut best: Option<(f64, f64)> = None;
        for step in 20..=95 {
            let threshold = f64::from(step) / 100.0;
            let (score, _) = self::score(dev, threshold);
            if score.precision < min_precision {
                continue;
            }
            if best.is_none_or(|(_, recall)| score.recall > recall) {
                best = Some((threshold, score.recall));
            }
        }
        best.map(|(threshold, _)| threshold)
    }

    /// Reads annotated claims, one JSON object per line (blank lines skipped).
    pub fn parse(text: &str) -> Result<Vec<Labelled>, String> {
        text.lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(number, line)| {
                serde_json::from_str(line).map_err(|error| format!("line {}: {error}", number + 1))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ru(text: &str) -> Fingerprint {
        fingerprint(text, Language::Ru)
    }

    fn same(a: &str, b: &str) -> bool {
        compare(&ru(a), &ru(b)).matches(THRESHOLD)
    }

    #[test]
    fn folding_stemming_and_metonymy_make_rewordings_alike() {
        let print = ru("Баку ещё не принял «окончательного» решения.");
        assert!(print.negated);
        assert!(print.terms.contains_key("азербайджа"), "{print:?}");
        assert!(!print.terms.contains_key("не"));
        assert!(same(
            "Баку еще не принял окончательного решения",
            "Азербайджан пока не принял окончательное решение"
        ));
        let numbers = ru("Потери составляют около четырех млрд евро, 1,5 миллиона в мае");
        for term in ["4", "1.5", "m5", "миллиард"] {
            assert!(numbers.terms.contains_key(term), "{term} in {numbers:?}");
        }
        assert_eq!(numbers.terms.get("4"), Some(&TermKind::Number));
    }

    #[test]
    fn near_misses_are_vetoed() {
        let original = "США не будут направлять свои войска";
        let veto = |other: &str| compare(&ru(original), &ru(other)).veto;
        assert_eq!(
            veto("США будут направлять свои войска"),
            Some(Veto::Polarity)
        );
        assert_eq!(
            veto("Турция не будет направлять свои войска"),
            Some(Veto::Names)
        );
        assert_eq!(
            compare(
                &ru("Переговоры пройдут в Париже 24 февраля"),
                &ru("Переговоры пройдут в Париже 27 февраля")
            )
            .veto,
            Some(Veto::Numbers)
        );
        assert_eq!(
            compare(
                &ru("миротворческая миссия ООН возможна"),
                &ru("миротворческая миссия ООН невозможна")
            )
            .veto,
            Some(Veto::Polarity)
        );
        // A trimmed clause or a dropped date is not a different fact.
        assert_eq!(
            compare(
                &ru("Переговоры пройдут в Париже 24 февраля"),
                &ru("Переговоры пройдут в Париже")
            )
            .veto,
            None
        );
    }

    fn indexed(
        order: u64,
        article_id: Uuid,
        cluster_id: Uuid,
        fingerprint: Fingerprint,
    ) -> Indexed {
        Indexed {
            order,
            article_id,
            cluster_id,
            fingerprint,
        }
    }

    #[test]
    fn the_index_finds_earlier_claims_of_other_articles_only_and_in_a_fixed_order() {
        let mut index = MatchIndex::default();
        let first_article = Uuid::from_u128(1);
        let second_article = Uuid::from_u128(2);
        let a = Uuid::from_u128(10);
        let b = Uuid::from_u128(11);
        let claim = ru("Баку еще не принял окончательного решения");
        index.insert(a, indexed(1, first_article, a, claim.clone()));
        index.insert(
            b,
            indexed(
                2,
                second_article,
                a,
                ru("Баку не принял окончательного решения"),
            ),
        );
        let c = Uuid::from_u128(12);
        index.insert(
            c,
            indexed(
                3,
                second_article,
                c,
                ru("США не будут направлять свои войска"),
            ),
        );
        let third_article = Uuid::from_u128(3);
        let found = index.find(&claim, third_article, 4);
        // a and b are one cluster: the new claim links to its best claim only.
        assert_eq!(
            found.iter().map(|f| f.claim_id).collect::<Vec<_>>(),
            vec![a]
        );
        assert_eq!(found[0].cluster_id, a);
        // Not its own article, not later claims.
        assert_eq!(index.find(&claim, first_article, 4).len(), 1);
        assert!(index.find(&claim, third_article, 1).is_empty());
        assert_eq!(index.find(&claim, third_article, 4), found, "deterministic");
    }

    #[test]
    fn a_much_copied_claim_finds_the_same_earliest_copies_whatever_order_it_was_indexed_in() {
        let claim = ru("Баку еще не принял окончательного решения");
        let copies: Vec<(Uuid, Uuid, u64)> = (0..700u128)
            .map(|n| {
                (
                    Uuid::from_u128(1_000 + n),
                    Uuid::from_u128(5_000 + n),
                    n as u64 + 1,
                )
            })
            .collect();
        let mut live = MatchIndex::default();
        for (claim_id, article_id, order) in &copies {
            live.insert(
                *claim_id,
                indexed(*order, *article_id, copies[0].0, claim.clone()),
            );
        }
        // A rebuild reads claims by id, not in stream order.
        let mut rebuilt = MatchIndex::default();
        for (claim_id, article_id, order) in copies.iter().rev() {
            rebuilt.insert(
                *claim_id,
                indexed(*order, *article_id, copies[0].0, claim.clone()),
            );
        }
        let new_article = Uuid::from_u128(9_999);
        let found = live.find(&claim, new_article, 10_000);
        assert_eq!(found, rebuilt.find(&claim, new_article, 10_000));
        // Every copy is one cluster: linked once, to the first copy.
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].claim_id, copies[0].0);
        // A copy in the middle of the stream sees only the copies before it.
        let middle = live.find(&claim, new_article, 400);
        assert_eq!(middle, rebuilt.find(&claim, new_article, 400));
        assert_eq!(middle[0].claim_id, copies[0].0);
    }
}
