//! Word lists the rules consult, one table per language.
//!
//! Everything a rule needs to recognise by *word* lives here, so recall work on a gold set means
//! editing lists, not code. Russian entries are written as ordinary surface forms and matched
//! through the Snowball stemmer, so one entry ("сообщили") covers its inflections ("сообщила",
//! "сообщило"); English verb cues are matched as exact forms, because English finiteness is not
//! visible in a stem ("reports" the noun vs "reports" the verb).

use claimledger_types::Language;
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// What a cue verb says about the speaker's relation to the proposition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cue {
    /// Reporting speech or writing: said, сообщил, пишет.
    Say,
    /// Holding an opinion: believe, считают.
    Believe,
    /// Forecasting: expect, прогнозируют — the proposition is hedged.
    Predict,
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

/// How a prepositional frame ("по словам X", "according to X") relates the agent to the claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PrepKind {
    /// The agent is the source ("по словам X", "according to X").
    Agent,
    /// Agentless on purpose or by habit: the frame itself is the (vague) source
    /// ("по некоторым данным", "by some accounts").
    VagueFrame,
    /// Agentless, deliberately unnamed ("по неофициальным данным").
    AnonymousFrame,
    /// A forecast by the agent ("по прогнозам X") — hedged.
    Forecast,
    /// The agent is a possessive pronoun ("по его словам"): named, the person mentioned before.
    Possessive,
}

pub(crate) struct Lexicon {
    pub language: Language,
    stemmer: Stemmer,
    /// Stem (ru) or exact lower-case form (en) → cue kind.
    cues: HashMap<String, Cue>,
    /// First three lower-case chars of every cue form: a cheap gate before stemming.
    cue_prefixes: HashSet<String>,
    /// Multi-word impersonal frames, lower-case token sequences.
    pub impersonal: Vec<(&'static [&'static str], Impersonal)>,
    /// Prepositional frames, lower-case token sequences.
    pub prep_frames: Vec<(&'static [&'static str], PrepKind)>,
    /// Possessive pronouns inside a prep frame ("по его словам").
    pub possessives: HashSet<&'static str>,
    /// Nouns that name the *kind* of information after a prep frame ("данным", "information").
    pub info_nouns: HashSet<&'static str>,
    /// Participles marking the outlet's own information ("полученной", "obtained").
    pub obtained: &'static [&'static str],
    /// Deliberately unnamed people, stems.
    anonymous: HashSet<String>,
    /// Role nouns that are anonymous unless a personal name follows ("official", "представитель").
    role_nouns: HashSet<String>,
    /// Collectives and unnamed outlets, stems.
    vague: HashSet<String>,
    /// Nouns naming a kind of outlet ("канал", "agency"), stems: stripped to get the reporter name.
    outlet_nouns: HashSet<String>,
    /// Nouns of speech that make "X ...: Y" an attribution ("заявлением", "statement"), stems.
    speech_nouns: HashSet<String>,
    /// Sentence openers that carry no content ("между тем", "however").
    pub discourse: Vec<&'static [&'static str]>,
    /// Words that end a subject noun phrase when they follow it ("также", "earlier").
    pub circumstance: HashSet<&'static str>,
    /// Prepositions that start a circumstance only when one of `circumstance_heads` follows.
    pub circumstance_preps: HashSet<&'static str>,
    pub circumstance_heads: HashSet<&'static str>,
    /// Complementizers after a cue verb ("что", "that").
    pub complementizers: HashSet<&'static str>,
    /// Words that start a subordinate clause: a cue verb after them is not the main verb.
    pub subordinators: HashSet<&'static str>,
    /// "со ссылкой на", "citing": the next noun phrase is the ultimate source.
    pub citing: Vec<&'static [&'static str]>,
    /// "которого цитирует", "quoted by": the next noun phrase is the reporter.
    pub quoted_by: Vec<&'static [&'static str]>,
    /// Hedge cues: single words and phrases.
    pub hedge_words: HashSet<&'static str>,
    pub hedge_phrases: Vec<&'static [&'static str]>,
    /// Modal words that hedge only before a scheduled-event verb ("должен прибыть").
    pub scheduled_modals: HashSet<&'static str>,
    pub scheduled_verbs: HashSet<&'static str>,
    /// First-person pronouns: inside a quote they point back at the quote's speaker.
    pub first_person: HashSet<&'static str>,
    /// Month names (for stripping dates in front of a subject).
    pub months: HashSet<&'static str>,
    /// Openers of demands and exhortations: the sentence is not a claim.
    pub exhortations: HashSet<&'static str>,
    /// First words of `impersonal` and `hedge_phrases`.
    phrase_starts: HashSet<&'static str>,
}

impl Lexicon {
    fn with_phrase_starts(mut self) -> Self {
        let impersonal = self.impersonal.iter().map(|(p, _)| p);
        let hedges = self.hedge_phrases.iter();
        self.phrase_starts = impersonal
            .chain(hedges)
            .filter_map(|p| p.first().copied())
            .collect();
        self
    }
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
    /// Whether some impersonal frame or hedge phrase starts with this word: a cheap gate before
    /// trying the phrase lists.
    pub fn starts_phrase(&self, lower: &str) -> bool {
        self.phrase_starts.contains(lower)
    }

    /// The stem used for noun lexicons.
    pub fn stem(&self, lower: &str) -> String {
        self.stemmer.stem(lower).into_owned()
    }

    /// The cue kind of a word, if it is a *finite* cue verb.
    pub fn cue(&self, lower: &str) -> Option<Cue> {
        let cut = lower.char_indices().nth(3).map_or(lower.len(), |(i, _)| i);
        if !self.cue_prefixes.contains(&lower[..cut]) {
            return None;
        }
        match self.language {
            Language::En => self.cues.get(lower).copied(),
            Language::Ru => {
                if !russian_finite(lower) {
                    return None;
                }
                self.cues.get(self.stemmer.stem(lower).as_ref()).copied()
            }
        }
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
    pub fn is_speech_noun(&self, stem: &str) -> bool {
        self.speech_nouns.contains(stem)
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

fn build(
    language: Language,
    cue_table: &[(&[&str], Cue)],
    anonymous: &[&str],
    role_nouns: &[&str],
    vague: &[&str],
    outlet_nouns: &[&str],
    speech_nouns: &[&str],
) -> (
    Stemmer,
    HashMap<String, Cue>,
    HashSet<String>,
    [HashSet<String>; 5],
) {
    let stemmer = Stemmer::create(match language {
        Language::Ru => Algorithm::Russian,
        Language::En => Algorithm::English,
    });
    let mut cues = HashMap::new();
    let mut prefixes = HashSet::new();
    for (forms, cue) in cue_table {
        for form in *forms {
            let lower = normalize(form);
            prefixes.insert(lower.chars().take(3).collect::<String>());
            let key = match language {
                Language::Ru => stemmer.stem(&lower).into_owned(),
                Language::En => lower,
            };
            cues.insert(key, *cue);
        }
    }
    let stems = |words: &[&str]| -> HashSet<String> {
        words
            .iter()
            .map(|w| stemmer.stem(&normalize(w)).into_owned())
            .collect()
    };
    let sets = [
        stems(anonymous),
        stems(role_nouns),
        stems(vague),
        stems(outlet_nouns),
        stems(speech_nouns),
    ];
    (stemmer, cues, prefixes, sets)
}

/// Lower case with "ё" folded to "е", as every lexicon lookup expects.
pub(crate) fn normalize(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        match c {
            'ё' | 'Ё' => out.push('е'),
            '’' => out.push('\''),
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            '\u{0}'..='\u{7F}' | 'а'..='я' => out.push(c),
            // А..Я → а..я: a fixed offset in the Cyrillic block.
            'А'..='Я' => out.push(char::from_u32(c as u32 + 0x20).unwrap_or(c)),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

fn set(words: &[&'static str]) -> HashSet<&'static str> {
    words.iter().copied().collect()
}

static RU: LazyLock<Lexicon> = LazyLock::new(|| {
    use Cue::*;
    let cue_table: &[(&[&str], Cue)] = &[
        (
            &[
                "сообщил",
                "сообщает",
                "сообщают",
                "сообщал",
                "заявил",
                "заявляет",
                "заявляют",
                "сказал",
                "говорит",
                "говорят",
                "отметил",
                "отмечает",
                "отмечают",
                "подчеркнул",
                "подчеркивает",
                "подчеркивают",
                "пишет",
                "пишут",
                "писал",
                "указал",
                "указывает",
                "добавил",
                "добавляет",
                "уточнил",
                "уточняет",
                "пояснил",
                "поясняет",
                "рассказал",
                "рассказывает",
                "признал",
                "признает",
                "подтвердил",
                "подтверждает",
                "утверждает",
                "утверждал",
                "утверждают",
                "передает",
                "передают",
                "передал",
                "констатировал",
                "предупредил",
                "предупреждает",
                "допустил",
                "объяснил",
                "объясняет",
                "объявил",
                "объявляет",
                "доложил",
                "докладывал",
                "докладывают",
                "напомнил",
                "напоминает",
                "опроверг",
                "опровергает",
                "отрицает",
                "отрицают",
                "обвинил",
                "обвиняет",
                "обвиняют",
                "цитирует",
                "информирует",
                "ответил",
                "отвечает",
                "уверяет",
                "уверял",
                "настаивает",
                "настаивал",
                "жаловались",
                "жалуется",
                "сообщило",
                "высказался",
                "заверил",
                "заверяет",
                "признался",
                "раскрыл",
                "рассказывают",
                "уведомил",
                "анонсировал",
                "пообещал",
                "обещает",
                "обещают",
            ],
            Say,
        ),
        (
            &[
                "считает",
                "считают",
                "считал",
                "полагает",
                "полагают",
                "думает",
                "думают",
            ],
            Believe,
        ),
        (
            &[
                "прогнозирует",
                "прогнозируют",
                "предсказывает",
                "предсказывают",
                "ожидает",
                "ожидают",
                "предполагает",
                "предполагают",
                "допускают",
                "предрекают",
            ],
            Predict,
        ),
        (&["надеется", "надеются", "надеюсь", "надеемся"], Hope),
        (
            &[
                "требует",
                "требуют",
                "требуем",
                "призвал",
                "призывает",
                "призывают",
                "призываем",
                "потребовал",
            ],
            Demand,
        ),
    ];
    let (stemmer, cues, cue_prefixes, [anonymous, role_nouns, vague, outlet_nouns, speech_nouns]) =
        build(
            Language::Ru,
            cue_table,
            &[
                "источник",
                "источники",
                "диписточник",
                "диписточники",
                "собеседник",
                "собеседники",
                "инсайдер",
                "инсайдеры",
                "осведомленный",
                "осведомленные",
                "неназванный",
                "анонимный",
                "пожелавший",
                "знакомый",
            ],
            &[
                "представитель",
                "сотрудник",
                "чиновник",
                "дипломат",
                "военный",
            ],
            &[
                "СМИ",
                "пресса",
                "прессы",
                "медиа",
                "эксперт",
                "эксперты",
                "экспертов",
                "аналитик",
                "аналитики",
                "наблюдатель",
                "наблюдатели",
                "специалист",
                "специалисты",
                "политолог",
                "политологи",
                "ученые",
                "журналисты",
                "очевидцы",
                "свидетели",
                "некоторые",
                "многие",
                "сайт",
                "блогеры",
                "соцсети",
                "слухи",
                "критики",
                "экономисты",
            ],
            &[
                "канал",
                "каналом",
                "телеканал",
                "агентство",
                "агенство",
                "агентства",
                "газета",
                "газеты",
                "издание",
                "издания",
                "сайт",
                "портал",
                "радиостанция",
                "радио",
                "журнал",
                "информагентство",
                "телеканалом",
            ],
            &[
                "заявление",
                "заявлением",
                "обращение",
                "комментарий",
                "интервью",
            ],
        );
    Lexicon {
        language: Language::Ru,
        stemmer,
        cues,
        cue_prefixes,
        impersonal: vec![
            (
                &["как", "сообщается"],
                Impersonal {
                    vague: true,
                    hedged: false,
                },
            ),
            (
                &["как", "сообщалось"],
                Impersonal {
                    vague: true,
                    hedged: false,
                },
            ),
            (
                &["как", "утверждается"],
                Impersonal {
                    vague: true,
                    hedged: false,
                },
            ),
            (
                &["как", "стало", "известно"],
                Impersonal {
                    vague: true,
                    hedged: false,
                },
            ),
            (
                &["сообщается"],
                Impersonal {
                    vague: true,
                    hedged: false,
                },
            ),
            (
                &["сообщалось"],
                Impersonal {
                    vague: true,
                    hedged: false,
                },
            ),
            (
                &["считается"],
                Impersonal {
                    vague: true,
                    hedged: false,
                },
            ),
            (
                &["говорится"],
                Impersonal {
                    vague: true,
                    hedged: false,
                },
            ),
            (
                &["утверждается"],
                Impersonal {
                    vague: true,
                    hedged: false,
                },
            ),
            (
                &["отмечается"],
                Impersonal {
                    vague: true,
                    hedged: false,
                },
            ),
            (
                &["передается"],
                Impersonal {
                    vague: true,
                    hedged: false,
                },
            ),
            (
                &["стало", "известно"],
                Impersonal {
                    vague: true,
                    hedged: false,
                },
            ),
            (
                &["ожидается"],
                Impersonal {
                    vague: false,
                    hedged: true,
                },
            ),
            (
                &["ожидаются"],
                Impersonal {
                    vague: false,
                    hedged: true,
                },
            ),
            (
                &["ожидалось"],
                Impersonal {
                    vague: false,
                    hedged: true,
                },
            ),
            (
                &["предполагается"],
                Impersonal {
                    vague: false,
                    hedged: true,
                },
            ),
            (
                &["планируется"],
                Impersonal {
                    vague: false,
                    hedged: true,
                },
            ),
            (
                &["прогнозируется"],
                Impersonal {
                    vague: false,
                    hedged: true,
                },
            ),
            (
                &["не", "исключено"],
                Impersonal {
                    vague: false,
                    hedged: true,
                },
            ),
            (
                &["вероятно"],
                Impersonal {
                    vague: false,
                    hedged: true,
                },
            ),
            (
                &["возможно"],
                Impersonal {
                    vague: false,
                    hedged: true,
                },
            ),
            (
                &["как", "известно"],
                Impersonal {
                    vague: false,
                    hedged: false,
                },
            ),
            (
                &["известно"],
                Impersonal {
                    vague: false,
                    hedged: false,
                },
            ),
        ],
        prep_frames: vec![
            (&["по", "некоторым", "данным"], PrepKind::VagueFrame),
            (&["по", "имеющимся", "данным"], PrepKind::VagueFrame),
            (&["по", "имеющейся", "информации"], PrepKind::VagueFrame),
            (&["по", "предварительным", "данным"], PrepKind::VagueFrame),
            (&["по", "неофициальным", "данным"], PrepKind::AnonymousFrame),
            (
                &["по", "неофициальной", "информации"],
                PrepKind::AnonymousFrame,
            ),
            (&["по", "нашим", "данным"], PrepKind::AnonymousFrame),
            (&["по", "нашей", "информации"], PrepKind::AnonymousFrame),
            (&["по", "его", "словам"], PrepKind::Possessive),
            (&["по", "ее", "словам"], PrepKind::Possessive),
            (&["по", "их", "словам"], PrepKind::Possessive),
            (&["по", "его", "мнению"], PrepKind::Possessive),
            (&["по", "ее", "мнению"], PrepKind::Possessive),
            (&["по", "их", "мнению"], PrepKind::Possessive),
            (&["по", "его", "данным"], PrepKind::Possessive),
            (&["по", "ее", "данным"], PrepKind::Possessive),
            (&["по", "их", "данным"], PrepKind::Possessive),
            (&["по", "словам"], PrepKind::Agent),
            (&["со", "слов"], PrepKind::Agent),
            (&["по", "данным"], PrepKind::Agent),
            (&["по", "сведениям"], PrepKind::Agent),
            (&["по", "информации"], PrepKind::Agent),
            (&["по", "сообщению"], PrepKind::Agent),
            (&["по", "сообщениям"], PrepKind::Agent),
            (&["по", "мнению"], PrepKind::Agent),
            (&["по", "оценке"], PrepKind::Agent),
            (&["по", "оценкам"], PrepKind::Agent),
            (&["по", "версии"], PrepKind::Agent),
            (&["по", "утверждению"], PrepKind::Agent),
            (&["по", "прогнозам"], PrepKind::Forecast),
            (&["по", "прогнозу"], PrepKind::Forecast),
            (&["согласно"], PrepKind::Agent),
        ],
        possessives: set(&["его", "ее", "их"]),
        info_nouns: set(&[
            "информации",
            "данным",
            "сообщению",
            "сообщениям",
            "сведениям",
            "заявлению",
            "докладу",
            "отчету",
            "документам",
            "документу",
            "оценкам",
            "материалам",
            "прогнозу",
        ]),
        obtained: &[
            "полученной",
            "полученным",
            "полученных",
            "полученному",
            "полученные",
            "имеющейся",
            "имеющимся",
            "поступившей",
            "поступившим",
            "оказавшимся",
            "оказавшейся",
            "оказавшемуся",
        ],
        anonymous,
        role_nouns,
        vague,
        outlet_nouns,
        speech_nouns,
        discourse: vec![
            &["между", "тем"],
            &["при", "этом"],
            &["однако"],
            &["впрочем"],
            &["кроме", "того"],
            &["тем", "временем"],
            &["в", "свою", "очередь"],
            &["вместе", "с", "тем"],
            &["напомним"],
            &["напомним", "также"],
            &["тогда", "же"],
            &["также"],
            &["в", "частности"],
            &["итак"],
            &["наконец"],
            &["а"],
            &["но"],
            &["и"],
            &["ранее"],
            &["позже"],
            &["позднее"],
            &["вчера"],
            &["сегодня"],
            &["накануне"],
            &["недавно"],
            &["тогда"],
        ],
        circumstance: set(&[
            "также",
            "тоже",
            "уже",
            "ранее",
            "вновь",
            "снова",
            "еще",
            "сегодня",
            "вчера",
            "завтра",
            "накануне",
            "недавно",
            "официально",
            "неоднократно",
            "лично",
            "публично",
            "прямо",
            "открыто",
            "утром",
            "вечером",
            "днем",
            "ночью",
            "позже",
            "позднее",
            "затем",
            "потом",
            "однако",
            "впрочем",
            "тогда",
        ]),
        circumstance_preps: set(&["в", "во", "на", "по", "после", "перед", "со", "с"]),
        circumstance_heads: set(&[
            "понедельник",
            "вторник",
            "среду",
            "четверг",
            "пятницу",
            "субботу",
            "воскресенье",
            "ходе",
            "интервью",
            "эфире",
            "беседе",
            "встрече",
            "брифинге",
            "пресс-конференции",
            "заявлении",
            "своем",
            "своей",
            "очередной",
            "итогам",
            "телефонном",
            "разговоре",
            "выступлении",
            "время",
            "среду",
            "этой",
            "прошлой",
            "минувшей",
            "социальных",
            "соцсетях",
            "twitter",
            "telegram",
            "ответ",
            "рамках",
            "кулуарах",
        ]),
        complementizers: set(&["что", "будто", "якобы"]),
        subordinators: set(&[
            "что",
            "который",
            "которая",
            "которое",
            "которые",
            "которого",
            "которой",
            "которых",
            "когда",
            "если",
            "хотя",
            "чтобы",
            "поскольку",
            "потому",
            "так",
            "пока",
            "где",
            "куда",
            "после",
            "прежде",
            "хотя",
            "ибо",
        ]),
        citing: vec![&["со", "ссылкой", "на"], &["ссылаясь", "на"]],
        quoted_by: vec![
            &["которого", "цитирует"],
            &["которую", "цитирует"],
            &["которых", "цитирует"],
            &["которого", "цитируют"],
            &["цитирует"],
            &["передает"],
        ],
        hedge_words: set(&[
            "может",
            "могут",
            "мог",
            "могла",
            "могли",
            "сможет",
            "смогут",
            "возможно",
            "возможна",
            "возможен",
            "возможны",
            "вероятно",
            "вероятнее",
            "видимо",
            "по-видимому",
            "предположительно",
            "ожидается",
            "ожидаются",
            "ожидается",
            "ожидают",
            "ожидает",
            "ожидалось",
            "предполагается",
            "предполагает",
            "предполагают",
            "планируется",
            "планирует",
            "планируют",
            "планировал",
            "планировала",
            "планировали",
            "намерен",
            "намерена",
            "намерено",
            "намерены",
            "намеревается",
            "намереваются",
            "собирается",
            "собираются",
            "собирался",
            "собиралась",
            "нацелен",
            "нацелена",
            "нацелены",
            "будет",
            "будут",
            "будем",
            "буду",
            "будете",
            "будешь",
            "прогнозируется",
            "прогнозирует",
            "прогнозируют",
            "завтра",
            "пройдет",
            "пройдут",
            "состоится",
            "состоятся",
            "соберется",
            "соберутся",
            "начнется",
            "начнутся",
            "завершится",
            "завершатся",
            "откроется",
            "посетит",
            "посетят",
            "прибудет",
            "прибудут",
            "примет",
            "примут",
            "проведет",
            "проведут",
            "обсудят",
            "обсудит",
            "подпишут",
            "подпишет",
            "встретятся",
            "встретится",
            "отправится",
            "отправятся",
            "выступит",
            "займет",
            "станет",
            "станут",
            "вступит",
            "вступят",
            "заступит",
            "сменит",
            "поговорят",
            "рассмотрит",
            "рассмотрят",
            "представит",
            "представят",
            "продлится",
            "продлятся",
            "поднимет",
            "получит",
            "получат",
            "посетить",
            "допускает",
            "допускают",
        ]),
        hedge_phrases: vec![
            &["не", "исключено"],
            &["не", "исключают"],
            &["не", "исключает"],
            &["скорее", "всего"],
            &["в", "ближайшее", "время"],
            &["на", "следующей", "неделе"],
            &["в", "следующем", "году"],
            &["в", "будущем"],
            &["может", "быть"],
        ],
        scheduled_modals: set(&["должен", "должна", "должно", "должны"]),
        scheduled_verbs: set(&[
            "состояться",
            "пройти",
            "прибыть",
            "начаться",
            "завершиться",
            "стать",
            "вступить",
            "открыться",
            "появиться",
            "выйти",
            "заработать",
            "приехать",
            "посетить",
            "собраться",
            "подписать",
            "принять",
            "провести",
            "закончиться",
        ]),
        first_person: set(&["я", "мы"]),
        months: set(&[
            "января",
            "февраля",
            "марта",
            "апреля",
            "мая",
            "июня",
            "июля",
            "августа",
            "сентября",
            "октября",
            "ноября",
            "декабря",
            "январе",
            "феврале",
            "марте",
            "апреле",
            "мае",
            "июне",
            "июле",
            "августе",
            "сентябре",
            "октябре",
            "ноябре",
            "декабре",
        ]),
        exhortations: set(&["давайте", "пожалуйста", "пусть"]),
        phrase_starts: HashSet::new(),
    }
    .with_phrase_starts()
});

static EN: LazyLock<Lexicon> = LazyLock::new(|| {
    use Cue::*;
    let cue_table: &[(&[&str], Cue)] = &[
        (
            &[
                "said",
                "says",
                "told",
                "tells",
                "reported",
                "reports",
                "stated",
                "states",
                "announced",
                "announces",
                "added",
                "adds",
                "noted",
                "notes",
                "claimed",
                "claims",
                "confirmed",
                "confirms",
                "denied",
                "denies",
                "warned",
                "warns",
                "wrote",
                "writes",
                "explained",
                "explains",
                "argued",
                "argues",
                "insisted",
                "insists",
                "acknowledged",
                "acknowledges",
                "admitted",
                "admits",
                "revealed",
                "disclosed",
                "alleged",
                "alleges",
                "asserted",
                "asserts",
                "maintained",
                "maintains",
                "declared",
                "declares",
                "testified",
                "recalled",
                "informed",
                "assured",
                "promised",
                "pledged",
                "complained",
                "indicated",
                "suggested",
                "suggests",
                "say",
                "tell",
                "report",
                "write",
                "confirm",
                "deny",
                "warn",
                "note",
                "argue",
                "insist",
                "estimated",
                "estimates",
                "estimate",
                "stressed",
                "stresses",
                "emphasized",
                "emphasised",
                "countered",
                "replied",
                "responded",
                "accused",
                "accuses",
            ],
            Say,
        ),
        (
            &[
                "believe",
                "believes",
                "believed",
                "think",
                "thinks",
                "thought",
                "feel",
                "feels",
                "felt",
                "consider",
                "considers",
                "reckon",
                "reckons",
                "suspect",
                "suspects",
            ],
            Believe,
        ),
        (
            &[
                "expect",
                "expects",
                "expected",
                "predict",
                "predicts",
                "predicted",
                "forecast",
                "forecasts",
                "anticipate",
                "anticipates",
                "project",
                "projects",
                "projected",
            ],
            Predict,
        ),
        (&["hope", "hopes", "hoped", "wish", "wishes"], Hope),
        (
            &[
                "urged", "urges", "urge", "demanded", "demands", "demand", "called", "calls",
                "appealed", "appeals",
            ],
            Demand,
        ),
    ];
    let (stemmer, cues, cue_prefixes, [anonymous, role_nouns, vague, outlet_nouns, speech_nouns]) =
        build(
            Language::En,
            cue_table,
            &[
                "source",
                "sources",
                "insider",
                "insiders",
                "familiar",
                "unnamed",
                "anonymity",
                "anonymous",
                "informed",
                "person",
                "people",
            ],
            &[
                "official",
                "officials",
                "diplomat",
                "diplomats",
                "aide",
                "aides",
                "spokesperson",
                "spokesman",
                "spokeswoman",
                "representative",
                "employee",
                "executive",
                "executives",
                "staffer",
            ],
            &[
                "media",
                "press",
                "report",
                "reports",
                "expert",
                "experts",
                "analyst",
                "analysts",
                "observer",
                "observers",
                "commentator",
                "commentators",
                "critic",
                "critics",
                "economist",
                "economists",
                "researcher",
                "researchers",
                "scientist",
                "scientists",
                "some",
                "many",
                "witnesses",
                "residents",
                "rumors",
                "rumours",
                "outlets",
                "reporting",
                "accounts",
                "website",
                "tabloid",
                "tabloids",
            ],
            &[
                "newspaper",
                "agency",
                "channel",
                "broadcaster",
                "outlet",
                "website",
                "magazine",
                "network",
                "daily",
                "paper",
                "station",
                "radio",
                "tv",
                "portal",
            ],
            &[
                "statement",
                "remarks",
                "interview",
                "comment",
                "post",
                "message",
            ],
        );
    Lexicon {
        language: Language::En,
        stemmer,
        cues,
        cue_prefixes,
        impersonal: vec![
            (
                &["it", "is", "expected"],
                Impersonal {
                    vague: false,
                    hedged: true,
                },
            ),
            (
                &["it", "was", "expected"],
                Impersonal {
                    vague: false,
                    hedged: true,
                },
            ),
            (
                &["it", "is", "likely"],
                Impersonal {
                    vague: false,
                    hedged: true,
                },
            ),
            (
                &["it", "is", "possible"],
                Impersonal {
                    vague: false,
                    hedged: true,
                },
            ),
            (
                &["it", "is", "unclear", "whether"],
                Impersonal {
                    vague: false,
                    hedged: true,
                },
            ),
            (
                &["it", "is", "known"],
                Impersonal {
                    vague: false,
                    hedged: false,
                },
            ),
            (
                &["as", "is", "known"],
                Impersonal {
                    vague: false,
                    hedged: false,
                },
            ),
            (
                &["it", "is", "believed"],
                Impersonal {
                    vague: true,
                    hedged: false,
                },
            ),
            (
                &["it", "was", "reported"],
                Impersonal {
                    vague: true,
                    hedged: false,
                },
            ),
            (
                &["it", "is", "reported"],
                Impersonal {
                    vague: true,
                    hedged: false,
                },
            ),
            (
                &["it", "has", "been", "reported"],
                Impersonal {
                    vague: true,
                    hedged: false,
                },
            ),
            (
                &["it", "is", "said"],
                Impersonal {
                    vague: true,
                    hedged: false,
                },
            ),
            (
                &["reportedly"],
                Impersonal {
                    vague: true,
                    hedged: false,
                },
            ),
            (
                &["as", "reported"],
                Impersonal {
                    vague: true,
                    hedged: false,
                },
            ),
            (
                &["as", "previously", "reported"],
                Impersonal {
                    vague: true,
                    hedged: false,
                },
            ),
        ],
        prep_frames: vec![
            (
                &["according", "to", "some", "reports"],
                PrepKind::VagueFrame,
            ),
            (&["according", "to", "reports"], PrepKind::VagueFrame),
            (
                &["according", "to", "media", "reports"],
                PrepKind::VagueFrame,
            ),
            (&["by", "some", "accounts"], PrepKind::VagueFrame),
            (&["according", "to"], PrepKind::Agent),
            (&["in", "his", "words"], PrepKind::Possessive),
            (&["in", "her", "words"], PrepKind::Possessive),
            (&["in", "their", "words"], PrepKind::Possessive),
            (&["in", "the", "words", "of"], PrepKind::Agent),
            (&["in", "the", "view", "of"], PrepKind::Agent),
            (&["in", "the", "opinion", "of"], PrepKind::Agent),
        ],
        possessives: set(&["his", "her", "their"]),
        info_nouns: set(&[
            "information",
            "data",
            "documents",
            "document",
            "figures",
            "estimates",
            "records",
            "a",
            "an",
            "the",
        ]),
        obtained: &["obtained", "seen", "reviewed", "received"],
        anonymous,
        role_nouns,
        vague,
        outlet_nouns,
        speech_nouns,
        discourse: vec![
            &["meanwhile"],
            &["however"],
            &["but"],
            &["and"],
            &["also"],
            &["still"],
            &["yet"],
            &["separately"],
            &["in", "addition"],
            &["moreover"],
            &["earlier"],
            &["later"],
            &["today"],
            &["yesterday"],
            &["previously"],
            &["in", "turn"],
            &["at", "the", "same", "time"],
        ],
        circumstance: set(&[
            "also",
            "earlier",
            "later",
            "today",
            "yesterday",
            "tomorrow",
            "recently",
            "again",
            "previously",
            "repeatedly",
            "publicly",
            "privately",
            "then",
            "however",
            "on",
            "late",
            "early",
            "has",
            "have",
            "had",
            "did",
            "does",
            "do",
            "would",
            "will",
        ]),
        circumstance_preps: set(&["in", "at", "during", "after", "before"]),
        circumstance_heads: set(&[
            "a",
            "an",
            "his",
            "her",
            "their",
            "its",
            "the",
            "interview",
            "statement",
            "remarks",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ]),
        complementizers: set(&["that"]),
        subordinators: set(&[
            "that", "which", "who", "whom", "whose", "when", "if", "although", "though", "because",
            "while", "whether", "since", "unless", "where", "after", "before",
        ]),
        citing: vec![&["citing"], &["quoting"]],
        quoted_by: vec![&["quoted", "by"], &["as", "quoted", "by"], &["cited", "by"]],
        hedge_words: set(&[
            "will",
            "'ll",
            "won't",
            "shall",
            "would",
            "may",
            "might",
            "could",
            "likely",
            "unlikely",
            "probably",
            "possibly",
            "perhaps",
            "expected",
            "expects",
            "expect",
            "plans",
            "plan",
            "planned",
            "planning",
            "intends",
            "intend",
            "intended",
            "intending",
            "aims",
            "aim",
            "aiming",
            "scheduled",
            "forecast",
            "forecasts",
            "predicted",
            "predicts",
            "predict",
            "poised",
            "tomorrow",
            "potentially",
            "possible",
        ]),
        hedge_phrases: vec![
            &["is", "set", "to"],
            &["are", "set", "to"],
            &["was", "set", "to"],
            &["going", "to"],
            &["next", "week"],
            &["next", "month"],
            &["next", "year"],
            &["is", "due", "to"],
            &["are", "due", "to"],
        ],
        scheduled_modals: HashSet::new(),
        scheduled_verbs: HashSet::new(),
        first_person: set(&["i", "we"]),
        months: set(&[
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
            "jan",
            "feb",
            "mar",
            "apr",
            "jun",
            "jul",
            "aug",
            "sep",
            "sept",
            "oct",
            "nov",
            "dec",
        ]),
        exhortations: set(&["let", "let's", "please"]),
        phrase_starts: HashSet::new(),
    }
    .with_phrase_starts()
});

/// Abbreviations after which a period never ends a sentence: titles and initial-like
/// abbreviations are always followed by the name they belong to.
pub(crate) static NEVER_SPLIT: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    set(&[
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "sen",
        "rep",
        "gov",
        "lt",
        "col",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "st",
        "mt",
        "ft",
        "no",
        "nos",
        "vs",
        "jan",
        "feb",
        "aug",
        "sept",
        "oct",
        "nov",
        "dec",
        "rev",
        "hon",
        "pres",
        "supt",
        "messrs",
        "e.g",
        "i.e",
        "approx",
        "est",
        "fig",
        "дж",
        "им",
        "ул",
        "пр",
        "просп",
        "пл",
        "пер",
        "проф",
        "акад",
        "ген",
        "тов",
        "св",
        "т.е",
        "т.к",
        "т.н",
        "напр",
        "см",
        "ср",
        "г-н",
        "г-жа",
        "гр",
        "д",
        "кв",
        "корп",
        "стр",
        "обл",
        "р-н",
        "пос",
        "ст",
        "чл.-корр",
        "тел",
        "рис",
        "табл",
        "гл",
        "п",
        "пп",
        "вып",
        "изд",
        "ред",
        "сост",
        "мин",
        "сек",
    ])
});

/// Abbreviations that may end a sentence: split after them only before a capital letter.
pub(crate) static SPLIT_IF_UPPER: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    set(&[
        "т.д",
        "т.п",
        "др",
        "пр",
        "г",
        "гг",
        "в",
        "вв",
        "млн",
        "млрд",
        "трлн",
        "тыс",
        "руб",
        "долл",
        "коп",
        "etc",
        "inc",
        "ltd",
        "corp",
        "co",
        "jr",
        "sr",
        "a.m",
        "p.m",
        "bros",
        "plc",
        "llc",
        "ok",
        "к",
        "н.э",
        "до н.э",
        "чел",
        "км",
        "кг",
        "мм",
        "га",
    ])
});
