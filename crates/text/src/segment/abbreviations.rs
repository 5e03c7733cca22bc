//! The splitter's word lists, one table per language: what a word before a period says about
//! whether the period ends the sentence.
//!
//! Words are lower case, "ё" written "е", without their final period; an abbreviation written
//! with inner spaces ("т. е.") is looked up with them removed ("т.е").

use claimledger_types::Language;
use rustc_hash::FxHashSet as HashSet;
use std::sync::LazyLock;

/// How a known abbreviation treats the period after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbbreviationKind {
    /// A title or a word that always has its complement after it ("Mr.", "г-н", "т.е."): the
    /// period never ends the sentence.
    Title,
    /// Page, number and article abbreviations ("p. 5", "No. 3", "ст. 105"): never before a
    /// number; before a capital, like `Ordinary`.
    Numbering,
    /// Words that often end a sentence ("etc.", "т.д.", "млн."): the sentence ends before any
    /// capital.
    EndsOften,
    /// Everything else ("Inc.", "Dec.", "обл."): the sentence ends only when the next word is one
    /// that starts sentences ("The", "He", "Однако").
    Ordinary,
    /// "a.m.", "p.m.": the sentence ends before a capital, unless a day, month or time zone
    /// follows, or the time is the sentence's opening adverbial ("At 5 a.m. Mr. Smith…").
    Time,
}

/// One language's lists.
pub struct Abbreviations {
    titles: HashSet<&'static str>,
    numbering: HashSet<&'static str>,
    ends_often: HashSet<&'static str>,
    ordinary: HashSet<&'static str>,
    times: HashSet<&'static str>,
    /// Words that commonly open a sentence: after an abbreviation or an initial, one of them
    /// means a new sentence has begun.
    starters: HashSet<&'static str>,
    /// Days, months and time zones that may follow "a.m."/"p.m." inside a sentence.
    after_time: HashSet<&'static str>,
}

impl Abbreviations {
    pub fn kind(&self, word: &str) -> Option<AbbreviationKind> {
        if self.titles.contains(word) {
            Some(AbbreviationKind::Title)
        } else if self.numbering.contains(word) {
            Some(AbbreviationKind::Numbering)
        } else if self.times.contains(word) {
            Some(AbbreviationKind::Time)
        } else if self.ends_often.contains(word) {
            Some(AbbreviationKind::EndsOften)
        } else if self.ordinary.contains(word) {
            Some(AbbreviationKind::Ordinary)
        } else {
            None
        }
    }

    pub fn is_starter(&self, word: &str) -> bool {
        self.starters.contains(word)
    }

    pub fn may_follow_time(&self, word: &str) -> bool {
        self.after_time.contains(word)
    }
}

fn words(list: &'static str) -> HashSet<&'static str> {
    list.split_whitespace().collect()
}

pub fn abbreviations(language: Language) -> &'static Abbreviations {
    match language {
        Language::Ru => &RU,
        Language::En => &EN,
    }
}

static EN: LazyLock<Abbreviations> = LazyLock::new(|| Abbreviations {
    titles: words(
        "mr mrs ms messrs mme dr prof gen sen rep gov lt col sgt cpl capt cmdr adm maj brig rev \
         hon pres supt insp det atty fr e.g i.e cf viz vs approx",
    ),
    numbering: words("no nos p pp vol vols art arts ch sec para fig figs ed eds op"),
    ends_often: words("etc jr sr"),
    ordinary: words(
        "inc corp ltd co plc llc bros assn dept univ est st mt ft ave blvd rd jan feb mar apr jun \
         jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun \
         ala ariz ark calif colo conn fla ga kan kans ky md mich minn mont neb nev okla tenn tex \
         vt wis wyo",
    ),
    times: words("a.m p.m"),
    starters: words(
        "the a an this that these those there it its he she they we i you his her their our my \
         but and or so yet however meanwhile moreover instead still also now then today \
         yesterday earlier later last in on at after before when while if as for from by with \
         during since although though despite some many most all both each several one two \
         three what why how who where which",
    ),
    after_time: words(
        "monday tuesday wednesday thursday friday saturday sunday january february march april \
         may june july august september october november december et est edt ct cst cdt mt mst \
         mdt pt pst pdt gmt utc bst cet cest local",
    ),
});

static RU: LazyLock<Abbreviations> = LazyLock::new(|| Abbreviations {
    titles: words(
        "г-н г-жа гг-н проф акад доц ген тов св им дж т.е т.к т.н т.о т.ч напр ср ул \
         просп пр-т пл пер наб ш к.п.н д.п.н к.т.н д.т.н к.э.н д.э.н к.ю.н д.ю.н к.м.н д.м.н \
         к.ф.н д.ф.н к.и.н д.и.н к.б.н д.б.н к.х.н д.х.н",
    ),
    numbering: words("ст п пп с стр рис табл гл ч т вып изд ред сост тел д кв корп"),
    ends_often: words(
        "т.д т.п др в вв млн млрд трлн тыс руб долл коп см гр мин сек чел км кг мм га н.э \
         до.н.э проц",
    ),
    ordinary: words(
        "пр обл р-н пос дер респ оз ао зао оао пао ооо янв февр фев апр авг сент окт нояб дек",
    ),
    times: words(""),
    starters: words(
        "в во на по он она оно они это этот эта эти этом тот та те но а и однако как что кроме \
         при после до для из за к ко с со у о об мы я его ее их там тогда затем потом также \
         вместе между ранее сейчас сегодня вчера накануне кто где когда почему все уже еще так \
         поэтому впрочем",
    ),
    after_time: words(""),
});
