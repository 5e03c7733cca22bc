//! Word lists the rules consult, one table per language.
//!
//! Everything a rule needs to recognise by *word* lives here, so recall work on a gold set means
//! editing lists, not code. Lists are plain whitespace-separated words (phrases are separated by
//! `|`), lower case with "ё" written "е". Russian cue verbs and source nouns are matched through
//! the Snowball stemmer, so one entry ("сообщили") covers its inflections ("сообщила",
//! "сообщило"); English cue verbs are matched as exact forms, because English finiteness is not
//! visible in a stem ("reports" the noun vs "reports" the verb).

pub(crate) use claimledger_text::normalize;
use claimledger_types::Language;
use rust_stemmers::{Algorithm, Stemmer};
// The sets hold the fixed word lists and are only looked up, never filled from article text, so
// a hash-flooding attack has nothing to fill: std's SipHash bought nothing and cost about a sixth
// of extraction time (BENCHMARKS.md, "extract").
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::LazyLock;

use crate::word_set::WordSet;

/// What a cue verb says about the speaker's relation to the proposition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cue {
    /// Reporting speech or writing: said, сообщил, пишет.
    Say,
    /// Holding an opinion: believe, считают.
    Believe,
    /// Forecasting: expect, прогнозируют — the proposition is hedged.
    Predict,
    /// Promising or pledging: a report about the speaker's own future — hedged.
    Promise,
    /// Hoping: the sentence is not a claim.
    Hope,
    /// Demanding or urging: the sentence is not a claim.
    Demand,
}

/// An impersonal frame ("ожидается, что", "как сообщается", "it is expected that").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Impersonal {
    /// `true` for reporting frames without an agent ("сообщается") → vague; `false` for the
    /// article's own expectations and knowledge ("ожидается", "как известно") → unattributed.
    pub vague: bool,
    pub hedged: bool,
}

const VAGUE: Impersonal = Impersonal {
    vague: true,
    hedged: false,
};
const EXPECTED: Impersonal = Impersonal {
    vague: false,
    hedged: true,
};
const KNOWN: Impersonal = Impersonal {
    vague: false,
    hedged: false,
};

/// How a prepositional frame ("по словам X", "according to X") relates the agent to the claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PrepKind {
    /// The agent is the source ("по словам X", "according to X").
    Agent,
    /// Agentless, and the frame itself is the (vague) source ("по некоторым данным").
    VagueFrame,
    /// Agentless, deliberately unnamed ("по неофициальным данным").
    AnonymousFrame,
    /// A forecast by the agent ("по прогнозам X") — hedged.
    Forecast,
    /// The agent is a possessive pronoun ("по его словам"): named, the person mentioned before.
    Possessive,
}

type Phrase = Vec<&'static str>;

pub(crate) struct Lexicon {
    pub language: Language,
    stemmer: Stemmer,
    /// Stem (ru) or exact form (en) → cue kind.
    cues: HashMap<String, Cue>,
    /// First three chars of every cue form: a cheap gate before stemming a Russian word.
    cue_prefixes: HashSet<String>,
    /// Impersonal frames, longest first where one is a prefix of another.
    pub impersonal: Vec<(Phrase, Impersonal)>,
    /// Prepositional frames, longest first where one is a prefix of another.
    pub prep_frames: Vec<(Phrase, PrepKind)>,
    /// Possessive pronouns inside a prep frame ("по его словам").
    pub possessives: WordSet,
    /// Nouns that name the *kind* of information after a prep frame ("данным", "information").
    pub info_nouns: WordSet,
    /// Participles marking the outlet's own information ("полученной", "obtained").
    pub obtained: WordSet,
    /// Deliberately unnamed people, stems.
    anonymous: HashSet<String>,
    /// Role nouns, anonymous unless a personal name follows ("official", "представитель").
    role_nouns: HashSet<String>,
    /// Collectives and unnamed outlets, stems.
    vague: HashSet<String>,
    /// Kinds of outlet ("канал", "agency"), stems: stripped to get the reporter's name.
    outlet_nouns: HashSet<String>,
    /// Nouns of speech that make "X …: Y" an attribution ("заявлением", "statement"), stems.
    speech_nouns: HashSet<String>,
    /// Sentence openers that carry no content ("между тем", "however").
    pub discourse: Vec<Phrase>,
    /// First words of `discourse`: most words open no marker, and one lookup says so.
    pub discourse_starts: WordSet,
    /// Words that end a subject noun phrase when they follow it ("также", "earlier").
    pub circumstance: WordSet,
    /// Prepositions that start a circumstance when one of `circumstance_heads` follows.
    pub circumstance_preps: WordSet,
    pub circumstance_heads: WordSet,
    /// English cue verbs that take a clause without "that" ("said he was…"); the others
    /// ("denied the report") take an object, and the sentence stays the article's.
    pub bare_complement: WordSet,
    /// English verbs whose object and its complement are the speaker's claim ("accused the
    /// mayor of lying", "described the plan as reckless", "has denied shelling the village").
    pub object_claim: WordSet,
    /// Complementizers after a cue verb ("что", "that").
    pub complementizers: WordSet,
    /// Words that open a subordinate clause: a cue verb after them is not the main verb.
    pub subordinators: WordSet,
    /// "со ссылкой на", "citing": the next noun phrase is the ultimate source.
    pub citing: Vec<Phrase>,
    /// "которого цитирует", "quoted by": the next noun phrase is the reporter.
    pub quoted_by: Vec<Phrase>,
    /// Hedge cues: single words and phrases.
    pub hedge_words: WordSet,
    pub hedge_phrases: Vec<Phrase>,
    /// Modals that hedge only before a scheduled-event verb ("должен прибыть").
    pub scheduled_modals: WordSet,
    pub scheduled_verbs: WordSet,
    /// First-person pronouns: inside a quote they point back at the quote's speaker.
    pub first_person: WordSet,
    /// Third-person pronouns: a frame around them names the speaker.
    pub pronouns: WordSet,
    /// Month names (for dates in front of a subject and datelines).
    pub months: WordSet,
    /// Openers of exhortations: the sentence is not a claim.
    pub exhortations: WordSet,
    /// Rubric labels before a colon ("Exclusive:", "Молния:"): not speakers.
    pub labels: WordSet,
    /// Modals of obligation ("должны", "must", "should"): a clause built on one is a demand.
    pub deontic: WordSet,
    pub deontic_phrases: Vec<Phrase>,
    /// Evaluative predicates that open "Жаль, что…", "It is a shame that…": not claims.
    pub evaluative: WordSet,
    /// Degree words that may precede an evaluative predicate ("особенно печально").
    pub intensifiers: WordSet,
    /// Hopes and advocacy said with a noun or a phrase ("возлагаем надежды", "выступил за"):
    /// not claims when they are the sentence's main predicate.
    pub not_claim_phrases: Vec<Phrase>,
    /// First words of `not_claim_phrases`.
    pub not_claim_starts: WordSet,
    /// Verbs of calling something a name ("called it 'a victory'"): with a quote and nothing
    /// else, the sentence is an evaluation.
    pub naming_verbs: WordSet,
    /// Speech gerunds that attach a reported clause to the main clause ("…, заявив, что Y").
    pub speech_gerunds: WordSet,
    /// Main verbs of reacting or calling names: with a speech gerund they make the subject
    /// the speaker of the gerund's clause ("отреагировал…, заявив, что Y").
    reaction_verbs: HashSet<String>,
    /// Negation before a cue verb: "did not say whether" attributes nothing.
    pub negations: WordSet,
    /// Attributive adjectives that are not hedges before a noun ("a possible carcinogen").
    pub attributive_hedges: WordSet,
    /// Determiners before those adjectives.
    pub determiners: WordSet,
    /// Past auxiliaries after a scheduled modal ("должно было вступить": it did not).
    pub past_auxiliaries: WordSet,
    /// Words that end the proposition's main part for hedging: an indirect question's
    /// "whether" ("have not said whether it will…").
    pub hedge_barriers: WordSet,
    /// Addressees that may follow a trailing speaker ("— заявил X журналистам"): not the
    /// speaker.
    pub addressees: WordSet,
    /// Asides that make a speaker deliberately unnamed ("who asked not to be identified").
    pub anonymity_phrases: Vec<Phrase>,
    /// Person nouns that, counted ("two engineers", "трех сотрудников"), are unnamed people.
    person_nouns: HashSet<String>,
    /// Documents and records: owned ("its report", "отчета фонда") they are a named source.
    document_nouns: HashSet<String>,
    /// First words of `impersonal` and `hedge_phrases`.
    phrase_starts: WordSet,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon")
            .field("language", &self.language)
            .field("cues", &self.cues.len())
            .finish_non_exhaustive()
    }
}

pub(crate) fn lexicon(language: Language) -> &'static Lexicon {
    match language {
        Language::Ru => &RU,
        Language::En => &EN,
    }
}

impl Lexicon {
    /// The stem used for noun lexicons.
    pub fn stem(&self, lower: &str) -> String {
        self.stemmer.stem(lower).into_owned()
    }

    /// The cue kind of a word, if it is a *finite* cue verb.
    pub fn cue(&self, lower: &str) -> Option<Cue> {
        match self.language {
            // The form itself is the key: a gate before the lookup would cost one lookup too.
            Language::En => self.cues.get(lower).copied(),
            Language::Ru => {
                let cut = lower.char_indices().nth(3).map_or(lower.len(), |(i, _)| i);
                if !self.cue_prefixes.contains(&lower[..cut]) || !russian_finite(lower) {
                    return None;
                }
                self.cues.get(self.stemmer.stem(lower).as_ref()).copied()
            }
        }
    }

    /// Whether some impersonal frame or hedge phrase starts with this word.
    pub fn starts_phrase(&self, lower: &str) -> bool {
        self.phrase_starts.contains(lower)
    }

    pub fn is_anonymous_noun(&self, stem: &str) -> bool {
        self.anonymous.contains(stem)
    }
    pub fn is_role_noun(&self, stem: &str) -> bool {
        self.role_nouns.contains(stem)
    }
    pub fn is_vague_noun(&self, stem: &str) -> bool {
        self.vague.contains(stem)
    }
    pub fn is_outlet_noun(&self, stem: &str) -> bool {
        self.outlet_nouns.contains(stem)
    }
    pub fn is_person_noun(&self, stem: &str) -> bool {
        self.person_nouns.contains(stem)
    }
    pub fn is_document_noun(&self, stem: &str) -> bool {
        self.document_nouns.contains(stem)
    }
    pub fn is_speech_noun(&self, stem: &str) -> bool {
        self.speech_nouns.contains(stem)
    }
    pub fn is_reaction_verb(&self, lower: &str) -> bool {
        match self.language {
            Language::En => self.reaction_verbs.contains(lower),
            Language::Ru => {
                russian_finite(lower)
                    && self
                        .reaction_verbs
                        .contains(self.stemmer.stem(lower).as_ref())
            }
        }
    }
}

/// Russian finite verb forms end in a personal or past-tense ending; gerunds ("подчёркивая") and
/// participles ("сообщивший") do not, and must not open an attribution.
fn russian_finite(lower: &str) -> bool {
    let base = lower
        .strip_suffix("ся")
        .or_else(|| lower.strip_suffix("сь"))
        .unwrap_or(lower);
    const ENDINGS: [&str; 18] = [
        "л", "ла", "ло", "ли", "ет", "ёт", "ут", "ют", "ат", "ят", "ит", "ем", "им", "ешь", "ишь",
        "ете", "ю", "у",
    ];
    ENDINGS.iter().any(|e| base.ends_with(e))
}

fn words(list: &'static str) -> WordSet {
    list.split_whitespace().collect()
}

fn phrases(list: &'static str) -> Vec<Phrase> {
    list.split('|')
        .map(|p| p.split_whitespace().collect::<Phrase>())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The words the phrases start with: a phrase can only match where its first word stands.
fn first_words<'a>(list: impl IntoIterator<Item = &'a Phrase>) -> WordSet {
    list.into_iter()
        .filter_map(|p| p.first().copied())
        .collect()
}

fn tagged<T: Copy>(groups: &[(&'static str, T)]) -> Vec<(Phrase, T)> {
    groups
        .iter()
        .flat_map(|(list, tag)| phrases(list).into_iter().map(move |p| (p, *tag)))
        .collect()
}

/// The word lists of one language, as written; `build` turns them into a `Lexicon`.
struct Lists {
    language: Language,
    cues: &'static [(&'static str, Cue)],
    impersonal: &'static [(&'static str, Impersonal)],
    prep_frames: &'static [(&'static str, PrepKind)],
    possessives: &'static str,
    info_nouns: &'static str,
    obtained: &'static str,
    anonymous: &'static str,
    role_nouns: &'static str,
    vague: &'static str,
    outlet_nouns: &'static str,
    speech_nouns: &'static str,
    discourse: &'static str,
    circumstance: &'static str,
    circumstance_preps: &'static str,
    circumstance_heads: &'static str,
    bare_complement: &'static str,
    object_claim: &'static str,
    complementizers: &'static str,
    subordinators: &'static str,
    citing: &'static str,
    quoted_by: &'static str,
    hedge_words: &'static str,
    hedge_phrases: &'static str,
    scheduled_modals: &'static str,
    scheduled_verbs: &'static str,
    first_person: &'static str,
    pronouns: &'static str,
    months: &'static str,
    exhortations: &'static str,
    labels: &'static str,
    deontic: &'static str,
    deontic_phrases: &'static str,
    evaluative: &'static str,
    intensifiers: &'static str,
    not_claim_phrases: &'static str,
    naming_verbs: &'static str,
    speech_gerunds: &'static str,
    reaction_verbs: &'static str,
    negations: &'static str,
    attributive_hedges: &'static str,
    determiners: &'static str,
    past_auxiliaries: &'static str,
    hedge_barriers: &'static str,
    addressees: &'static str,
    anonymity_phrases: &'static str,
    person_nouns: &'static str,
    document_nouns: &'static str,
}

fn build(l: &Lists) -> Lexicon {
    let stemmer = Stemmer::create(match l.language {
        Language::Ru => Algorithm::Russian,
        Language::En => Algorithm::English,
    });
    let mut cues = HashMap::default();
    let mut cue_prefixes = HashSet::default();
    for (list, cue) in l.cues {
        for form in list.split_whitespace() {
            cue_prefixes.insert(form.chars().take(3).collect::<String>());
            let key = match l.language {
                Language::Ru => stemmer.stem(form).into_owned(),
                Language::En => form.to_owned(),
            };
            cues.insert(key, *cue);
        }
    }
    let stems = |list: &'static str| -> HashSet<String> {
        list.split_whitespace()
            .map(|w| stemmer.stem(&normalize(w)).into_owned())
            .collect()
    };
    let impersonal = tagged(l.impersonal);
    let hedge_phrases = phrases(l.hedge_phrases);
    let phrase_starts = first_words(impersonal.iter().map(|(p, _)| p).chain(&hedge_phrases));
    let discourse = phrases(l.discourse);
    let not_claim_phrases = phrases(l.not_claim_phrases);
    Lexicon {
        language: l.language,
        cues,
        cue_prefixes,
        impersonal,
        prep_frames: tagged(l.prep_frames),
        possessives: words(l.possessives),
        info_nouns: words(l.info_nouns),
        obtained: words(l.obtained),
        anonymous: stems(l.anonymous),
        role_nouns: stems(l.role_nouns),
        vague: stems(l.vague),
        outlet_nouns: stems(l.outlet_nouns),
        speech_nouns: stems(l.speech_nouns),
        discourse_starts: first_words(&discourse),
        discourse,
        circumstance: words(l.circumstance),
        circumstance_preps: words(l.circumstance_preps),
        circumstance_heads: words(l.circumstance_heads),
        bare_complement: words(l.bare_complement),
        object_claim: words(l.object_claim),
        complementizers: words(l.complementizers),
        subordinators: words(l.subordinators),
        citing: phrases(l.citing),
        quoted_by: phrases(l.quoted_by),
        hedge_words: words(l.hedge_words),
        hedge_phrases,
        scheduled_modals: words(l.scheduled_modals),
        scheduled_verbs: words(l.scheduled_verbs),
        first_person: words(l.first_person),
        pronouns: words(l.pronouns),
        months: words(l.months),
        exhortations: words(l.exhortations),
        labels: words(l.labels),
        deontic: words(l.deontic),
        deontic_phrases: phrases(l.deontic_phrases),
        evaluative: words(l.evaluative),
        intensifiers: words(l.intensifiers),
        not_claim_starts: first_words(&not_claim_phrases),
        not_claim_phrases,
        naming_verbs: words(l.naming_verbs),
        speech_gerunds: words(l.speech_gerunds),
        reaction_verbs: match l.language {
            Language::Ru => stems(l.reaction_verbs),
            Language::En => l
                .reaction_verbs
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
        },
        negations: words(l.negations),
        attributive_hedges: words(l.attributive_hedges),
        determiners: words(l.determiners),
        past_auxiliaries: words(l.past_auxiliaries),
        hedge_barriers: words(l.hedge_barriers),
        addressees: words(l.addressees),
        anonymity_phrases: phrases(l.anonymity_phrases),
        person_nouns: stems(l.person_nouns),
        document_nouns: stems(l.document_nouns),
        phrase_starts,
        stemmer,
    }
}

static RU: LazyLock<Lexicon> = LazyLock::new(|| build(&RU_LISTS));
static EN: LazyLock<Lexicon> = LazyLock::new(|| build(&EN_LISTS));

const RU_LISTS: Lists = Lists {
    language: Language::Ru,
    cues: &[
        (
            "сообщил сообщает сообщают сообщал сообщило заявил заявляет заявляют сказал говорит \
             говорят отметил отмечает отмечают подчеркнул подчеркивает подчеркивают пишет пишут \
             писал указал указывает добавил добавляет уточнил уточняет пояснил поясняет рассказал \
             рассказывает рассказывают признал признает подтвердил подтверждает утверждает \
             утверждал утверждают передает передают передал констатировал предупредил \
             предупреждает допустил объяснил объясняет объявил объявляет доложил докладывал \
             докладывают напомнил напоминает опроверг опровергает отрицает отрицают обвинил \
             обвиняет обвиняют цитирует информирует ответил отвечает уверяет уверял настаивает \
             настаивал жаловались жалуется высказался заверил заверяет признался раскрыл \
             уведомил анонсировал предложил предлагает жалуются жаловался",
            Cue::Say,
        ),
        (
            "пообещал обещает обещают обещал поклялся гарантировал",
            Cue::Promise,
        ),
        (
            "считает считают считал полагает полагают думает думают",
            Cue::Believe,
        ),
        (
            "прогнозирует прогнозируют предсказывает предсказывают ожидает ожидают предполагает \
             предполагают допускают предрекают",
            Cue::Predict,
        ),
        ("надеется надеются надеюсь надеемся", Cue::Hope),
        (
            "требует требуют требуем призвал призывает призывают призываем потребовал",
            Cue::Demand,
        ),
    ],
    impersonal: &[
        (
            "как сообщается | как сообщалось | как утверждается | как стало известно | \
             сообщается | сообщалось | считается | говорится | утверждается | отмечается | \
             передается | стало известно",
            VAGUE,
        ),
        (
            "ожидается | ожидаются | ожидалось | предполагается | планируется | прогнозируется | \
             не исключено | вероятно | возможно",
            EXPECTED,
        ),
        ("как известно | известно", KNOWN),
    ],
    prep_frames: &[
        (
            "по некоторым данным | по имеющимся данным | по имеющейся информации | \
             по предварительным данным",
            PrepKind::VagueFrame,
        ),
        (
            "по неофициальным данным | по неофициальной информации | по нашим данным | \
             по нашей информации",
            PrepKind::AnonymousFrame,
        ),
        (
            "по его словам | по ее словам | по их словам | по его мнению | по ее мнению | \
             по их мнению | по его данным | по ее данным | по их данным",
            PrepKind::Possessive,
        ),
        (
            "по словам | со слов | по данным | по сведениям | по информации | по сообщению | \
             по сообщениям | по мнению | по оценке | по оценкам | по версии | по утверждению | \
             как следует из | следует из | согласно",
            PrepKind::Agent,
        ),
        ("по прогнозам | по прогнозу", PrepKind::Forecast),
    ],
    possessives: "его ее их",
    info_nouns: "информации данным сообщению сообщениям сведениям заявлению докладу отчету \
                 документам документу оценкам материалам прогнозу",
    obtained: "полученной полученным полученных полученному полученные имеющейся имеющимся \
               поступившей поступившим оказавшимся оказавшейся оказавшемуся",
    anonymous: "источник источники диписточник диписточники собеседник собеседники инсайдер \
                инсайдеры осведомленный осведомленные неназванный анонимный пожелавший знакомый",
    role_nouns: "представитель сотрудник чиновник дипломат следователь следователи \
                 дознаватель дознаватели",
    vague: "сми пресса прессы медиа эксперт эксперты экспертов аналитик аналитики наблюдатель \
            наблюдатели специалист специалисты политолог политологи ученые журналисты очевидцы \
            свидетели некоторые многие сайт блогеры соцсети слухи критики экономисты \
            жители горожане родители пенсионеры фермеры аграрии пассажиры пользователи \
            врачи медики экологи эпидемиологи активисты",
    outlet_nouns: "канал каналом телеканал телеканалом агентство агенство агентства газета газеты \
                   издание издания сайт портал радиостанция радио журнал информагентство",
    speech_nouns: "заявление заявлением обращение комментарий интервью",
    discourse: "между тем | при этом | однако | впрочем | кроме того | тем временем | \
                в свою очередь | вместе с тем | напомним также | напомним | тогда же | также | \
                в частности | итак | наконец | а | но | и",
    circumstance: "также тоже уже ранее вновь снова еще сегодня вчера завтра накануне недавно \
                   официально неоднократно лично публично прямо открыто утром вечером днем ночью \
                   позже позднее затем потом однако впрочем тогда",
    circumstance_preps: "в во на по после перед со с",
    circumstance_heads: "понедельник вторник среду четверг пятницу субботу воскресенье ходе \
                         интервью эфире беседе встрече брифинге пресс-конференции заявлении \
                         своем своей очередной итогам телефонном разговоре выступлении время \
                         этой прошлой минувшей социальных соцсетях twitter telegram ответ рамках \
                         кулуарах",
    bare_complement: "",
    object_claim: "",
    complementizers: "что будто якобы",
    subordinators: "что который которая которое которые которого которой которых когда если \
                    хотя чтобы поскольку потому так пока где куда ибо",
    citing: "со ссылкой на | ссылаясь на",
    quoted_by: "которого цитирует | которую цитирует | которых цитирует | которого цитируют | \
                цитирует | передает",
    hedge_words: "может могут мог могла могли сможет смогут возможно возможна возможен возможны \
                  вероятно вероятнее видимо по-видимому предположительно ожидается ожидаются \
                  ожидают ожидает ожидалось предполагается предполагает предполагают планируется \
                  планирует планируют планировал планировала планировали намерен намерена \
                  намерено намерены намеревается намереваются собирается собираются собирался \
                  собиралась нацелен нацелена нацелены будет будут будем буду будете будешь \
                  прогнозируется прогнозирует прогнозируют завтра пройдет пройдут состоится \
                  состоятся соберется соберутся начнется начнутся завершится завершатся \
                  откроется посетит посетят прибудет прибудут примет примут проведет проведут \
                  обсудят обсудит подпишут подпишет встретятся встретится отправится отправятся \
                  выступит займет станет станут вступит вступят заступит сменит поговорят \
                  рассмотрит рассмотрят представит представят продлится продлятся поднимет \
                  получит получат допускает допускают \
                  задумывается задумываются задуман задумана задумано задуманы если \
                  готов готова готово готовы готовность истекает истекают подорожает \
                  подорожают подешевеет подешевеют обещает обещают пообещал пообещала \
                  пообещали пообещало",
    hedge_phrases: "не исключено | не исключают | не исключает | скорее всего | \
                    в ближайшее время | на следующей неделе | в следующем году | в будущем | \
                    может быть | направлена на | направлен на | направлено на | направлены на | \
                    вступает в силу | вступают в силу | в ближайшие | \
                    рассматривает возможность | рассматривают возможность | \
                    рассматривается возможность",
    scheduled_modals: "должен должна должно должны",
    scheduled_verbs: "состояться пройти прибыть начаться завершиться стать вступить открыться \
                      появиться выйти заработать приехать посетить собраться подписать принять \
                      провести закончиться связать соединить вместить обслуживать \
                      перевозить",
    first_person: "я мы",
    pronouns: "он она оно они",
    months: "января февраля марта апреля мая июня июля августа сентября октября ноября декабря \
             январе феврале марте апреле мае июне июле августе сентябре октябре ноябре декабре",
    exhortations: "давайте пожалуйста пусть",
    labels: "эксклюзив мнение обновлено видео фото главное молния срочно анализ интервью \
             комментарий справка итоги",
    deontic: "должен должна должно должны надо нужно обязан обязана обязаны",
    deontic_phrases: "",
    evaluative: "жаль печально прискорбно обидно досадно возмутительно позорно стыдно",
    intensifiers: "особенно очень крайне весьма так и тем более",
    not_claim_phrases: "возлагаем надежды | возлагаю надежды | выражаем надежду | выражаю надежду | \
                        высказался в поддержку | высказалась в поддержку | высказались в поддержку | \
                        выступил в поддержку | выступила в поддержку | выступили в поддержку | \
                        высказался за | высказалась за | высказались за | выступил за | \
                        выступила за | выступили за | выразил надежду | выразила надежду | \
                        выразили надежду | выразило надежду | выражает надежду | \
                        выражают надежду",
    naming_verbs: "назвал назвала назвали называет называют",
    speech_gerunds: "заявив отметив подчеркнув посетовав указав добавив сообщив пояснив уточнив \
                     напомнив признав предупредив заметив сказав",
    reaction_verbs: "отреагировал назвал осудил раскритиковал прокомментировал выступил \
                     обратился возмутился",
    negations: "не",
    attributive_hedges: "",
    determiners: "",
    past_auxiliaries: "было был была были",
    hedge_barriers: "",
    addressees: "журналистам журналисту корреспонденту корреспондентам репортерам агентству \
                 изданию газете телеканалу каналу радиостанции порталу собравшимся депутатам",
    anonymity_phrases: "на условиях анонимности | на условии анонимности | \
                        пожелавший остаться неизвестным | пожелавшая остаться неизвестной | \
                        пожелавшие остаться неизвестными | попросивший не называть | \
                        попросившая не называть | попросившие не называть",
    person_nouns: "участник участника участников сотрудник сотрудника сотрудников работник \
                   работника работников инженер инженера инженеров чиновника чиновников \
                   жителя жителей свидетеля свидетелей очевидца очевидцев собеседника \
                   собеседников трейдера трейдеров банкира банкиров",
    document_nouns: "отчет отчета документ документы документов доклад доклада исследование \
                     исследования сообщение сообщения материалы материалов данные данных \
                     протокол протокола письмо письма",
};

const EN_LISTS: Lists = Lists {
    language: Language::En,
    cues: &[
        (
            "said says told tells reported reports stated states announced announces added adds \
             noted notes claimed claims confirmed confirms denied denies warned warns wrote \
             writes explained explains argued argues insisted insists acknowledged acknowledges \
             admitted admits revealed disclosed alleged alleges asserted asserts maintained \
             maintains declared declares testified recalled informed assured \
             complained complain complains indicated suggested suggests say tell report write confirm deny warn \
             note argue insist estimated estimates estimate stressed stresses emphasized \
             emphasised countered replied responded accused accuses found finds show shows showed suggest \
             tweeted tweets continued continues remarked remarks answered answers concluded \
             concludes conceded concedes joked jokes quipped boasted boasts observed cautioned \
             recounted accused accuses criticized criticizes criticised criticises described \
             describes blamed blames dismissed dismisses denounced denounces condemned condemns \
             praised praises mocked mocks slammed slams blasted blasts agreed agrees agree \
             pointed contended contends contend reiterated reiterates lamented laments \
             hinted signaled signalled speculated bragged brags \
             acknowledge cited cites mentioned mentions reminded reminds shouted shouts \
             yelled yells exclaimed emailed echoed implied implies points expressed expresses \
             ruled charged indicate indicates recognized recognizes recognize clarified \
             clarifies underscored underscores underlined repeated reaffirmed reaffirms posited \
             intimated demonstrated demonstrates proved point explain admit maintain assert \
             confided reasoned observes recalls",
            Cue::Say,
        ),
        (
            "believe believes believed think thinks thought feel feels felt consider considers \
             reckon reckons suspect suspects suspected fear fears feared worried worry \
             worries know knows knew realize realizes realized assume assumes assumed learned \
             noticed doubted guessed understands understood determined remember remembered \
             remembers calculated calculates discovered discovers reckoned surmised theorized \
             figured",
            Cue::Believe,
        ),
        (
            "expect expects expected predict predicts predicted forecast forecasts anticipate \
             anticipates anticipated projected",
            Cue::Predict,
        ),
        (
            "promised promises pledged pledges vowed vows threatened threatens threaten",
            Cue::Promise,
        ),
        ("hope hopes hoped wish wishes", Cue::Hope),
        (
            "urged urges urge demanded demands demand called calls appealed appeals",
            Cue::Demand,
        ),
    ],
    impersonal: &[
        (
            "it is expected | it was expected | it is likely | it is possible | \
             it is unclear whether",
            EXPECTED,
        ),
        ("it is known | as is known", KNOWN),
        (
            "it is believed | it was reported | it is reported | it has been reported | \
             it is said | reportedly | as previously reported | as reported | is estimated to | \
             is reported to | are reported to | was reported to | were reported to | \
             is understood to | are understood to | it is understood | \
             are estimated to | was estimated to | were estimated to | is believed to | \
             are believed to | is thought to | are thought to | is said to | are said to",
            VAGUE,
        ),
    ],
    prep_frames: &[
        (
            "according to some reports | according to media reports | according to reports | \
             by some accounts",
            PrepKind::VagueFrame,
        ),
        (
            "in his words | in her words | in their words",
            PrepKind::Possessive,
        ),
        (
            "according to | in the words of | in the view of | in the opinion of",
            PrepKind::Agent,
        ),
    ],
    possessives: "his her their",
    info_nouns: "information data documents document figures estimates records",
    obtained: "obtained seen reviewed received",
    anonymous: "source sources insider insiders familiar unnamed anonymity anonymous person",
    role_nouns: "official officials diplomat diplomats aide aides spokesperson spokesman \
                 spokeswoman representative employee employees executive executives staffer staffers \
                 policymaker policymakers lawmaker lawmakers member members worker workers \
                 negotiator negotiators investigators investigator adviser \
                 advisers advisor advisors",
    vague: "media press report reports expert experts analyst analysts observer observers \
            commentator commentators critic critics economist economists researcher researchers \
            scientist scientists some many witnesses residents rumors rumours outlets reporting \
            accounts website tabloid tabloids traders investors dealers campaigners activists \
            people locals bankers forecasters forecaster polls poll surveys survey regulators \
            groups group farmers consumers doctors physicians epidemiologists virologists \
            fishermen cyclists shopkeepers motorists commuters parents environmentalists \
            patients passengers voters",
    outlet_nouns: "newspaper agency channel broadcaster outlet website magazine network daily \
                   paper station radio tv portal",
    speech_nouns: "statement remarks interview comment post message",
    discourse: "meanwhile | however | but | and | also | still | yet | separately | in addition | \
                moreover | in turn | at the same time | now | instead | indeed | in fact | \
                of course | nonetheless | nevertheless | even so | furthermore | similarly | \
                likewise",
    circumstance: "also even already earlier later today yesterday tomorrow recently again previously \
                   repeatedly publicly privately then however on late early has have had did \
                   does do would will",
    circumstance_preps: "in at during after before",
    circumstance_heads: "a an his her their its the interview statement remarks monday tuesday \
                         wednesday thursday friday saturday sunday",
    bare_complement: "said says say told tells tell believe believes believed think thinks \
                      thought feel feels felt reckon reckons expect expects expected predict \
                      predicts predicted warned warns added adds wrote writes argued argues \
                      claimed claims insisted insists estimated estimates suggested suggests \
                      acknowledged admitted noted notes stressed maintained asserted alleged \
                      forecast hope hopes hoped suggest suspect suspects suspected fear fears \
                      feared tweeted tweets announced found finds showed shows reported reports \
                      revealed reveals conceded concedes disclosed show worry worries worried \
                      declared declares explained explains contended contends countered \
                      replied replies speculated concluded testified emphasized emphasised \
                      know knows knew realize realizes realized assume assumes assumed",
    object_claim: "denied denies deny accused accuses criticized criticizes \
                   criticised criticises described describes blamed blames dismissed dismisses \
                   denounced denounces condemned condemns praised praises mocked mocks \
                   slammed slams blasted blasts called calls cited cites",
    complementizers: "that",
    subordinators: "that which who whom whose when if although though because while whether \
                    since unless where",
    citing: "citing | quoting",
    quoted_by: "quoted by | as quoted by | cited by",
    hedge_words: "will 'll won't shall would may might could likely unlikely probably possibly \
                  perhaps expected expects expect plans plan planned planning intends intend \
                  intended intending aims aim aiming scheduled forecast forecasts predicted \
                  predicts predict poised tomorrow potentially possible promised promises \
                  pledged pledges vowed vows",
    hedge_phrases: "is set to | are set to | was set to | going to | next week | next month | \
                    next year | is due to | are due to | aimed at | takes effect | take effect | \
                    comes into force | come into force | in the coming",
    scheduled_modals: "",
    scheduled_verbs: "",
    first_person: "i we",
    pronouns: "he she they it",
    months: "january february march april may june july august september october november \
             december jan feb mar apr jun jul aug sep sept oct nov dec",
    exhortations: "let let's please",
    labels: "exclusive update updated analysis opinion breaking watch live photos video \
             explainer factbox insight correction clarification editorial contributing",
    deontic: "must should",
    deontic_phrases: "need to | needs to | have to | has to | ought to",
    evaluative: "",
    intensifiers: "",
    not_claim_phrases: "expressed hope | expressed the hope | spoke in favour of | \
                        spoke in favor of",
    naming_verbs: "called calls described describes labelled labeled dubbed branded",
    speech_gerunds: "saying adding noting stressing warning arguing claiming insisting telling \
                     writing declaring explaining suggesting stating alleging acknowledging \
                     implying",
    reaction_verbs: "reacted responded criticised criticized condemned called described hit lashed \
                     attacked",
    negations: "not n't never cannot",
    attributive_hedges: "possible likely potential probable plan plans",
    determiners: "a an the its their his her our",
    past_auxiliaries: "",
    hedge_barriers: "whether",
    addressees: "reporters journalists",
    anonymity_phrases: "not to be identified | not to be named | on condition of anonymity | \
                        declined to be named | declined to be identified | \
                        not authorised to speak | not authorized to speak | \
                        without being identified | without being named | requested anonymity | \
                        speaking anonymously | spoke anonymously | on condition they not be named | \
                        on condition he not be named | on condition she not be named | \
                        not authorized to discuss | not authorised to discuss | \
                        not authorized to comment | not authorised to comment | close to",
    person_nouns: "engineer engineers worker workers participant participants employee \
                   employees insider insiders passenger passengers resident residents doctor \
                   doctors nurse nurses mechanic mechanics inspector inspectors investigator \
                   investigators pilot pilots manager managers banker bankers trader traders \
                   minister ministers diplomat diplomats lawyer lawyers",
    document_nouns: "report reports study survey statement filing records figures data accounts",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_cues_match_inflected_finite_forms_only() {
        let ru = lexicon(Language::Ru);
        for form in [
            "сообщила",
            "сообщили",
            "сообщают",
            "заявила",
            "пишут",
            "подчеркнула",
        ] {
            assert_eq!(ru.cue(form), Some(Cue::Say), "{form}");
        }
        for form in [
            "подчеркивая",
            "заявление",
            "сообщение",
            "сообщивший",
            "сказка",
        ] {
            assert_eq!(ru.cue(form), None, "{form}");
        }
        assert!(ru.is_anonymous_noun(&ru.stem("источников")));
        assert!(ru.is_vague_noun(&ru.stem("сми")));
    }
}
