//! Hedging: does the proposition state an expectation, plan, intention, possibility, prediction
//! or scheduled future event rather than a settled fact?
//!
//! Distancing words ("якобы", "allegedly", "reportedly") are deliberately absent: they question
//! the source, not the modality of the event. Russian perfective verbs in the non-past
//! ("введет", "воздержится") are futures; they are recognised by their shape (a perfective prefix
//! and a personal ending) rather than listed one by one.

use claimledger_types::Language;

use crate::lexicon::Lexicon;
use crate::token::Token;

/// Whether the words in `tokens` carry a hedge cue.
pub(crate) fn hedged(tokens: &[Token], lex: &Lexicon) -> bool {
    // An English aside does not govern the claim: "The firm, which may be sold, lost money",
    // "The port (which could reopen) is shut".
    let mut aside = false;
    let mut brackets = 0usize;
    for (i, t) in tokens.iter().enumerate() {
        if lex.language == Language::En {
            match t.mark {
                '(' => brackets += 1,
                ')' => brackets = brackets.saturating_sub(1),
                ',' if aside => aside = false,
                ',' => {
                    aside = tokens.get(i + 1).is_some_and(|n| {
                        matches!(
                            n.lower.as_str(),
                            "which" | "who" | "whose" | "whom" | "where"
                        )
                    });
                }
                _ => {}
            }
            if aside || brackets > 0 {
                continue;
            }
        }
        if !t.is_word() {
            continue;
        }
        // "…have not said whether it will…": what follows is a question, not a forecast.
        if lex.hedge_barriers.contains(t.lower.as_str()) {
            return false;
        }
        if lex.hedge_words.contains(t.lower.as_str()) {
            // "мы были готовы": a past readiness or intention is a fact.
            if i > 0
                && tokens[i - 1].is_word()
                && lex.past_auxiliaries.contains(tokens[i - 1].lower.as_str())
            {
                continue;
            }
            // "May" in the middle of an English sentence is the month.
            if t.lower == "may" && t.capital && i > 0 {
                continue;
            }
            // "a possible carcinogen" classifies a thing, "the company's plan" names one; neither
            // hedges the sentence.
            if lex.attributive_hedges.contains(t.lower.as_str())
                && i > 0
                && (tokens[i - 1].is_word()
                    && (lex.determiners.contains(tokens[i - 1].lower.as_str())
                        || tokens[i - 1].lower.ends_with("'s"))
                    || matches!(tokens[i - 1].mark, '\'' | '’'))
            {
                continue;
            }
            return true;
        }
        if lex.scheduled_modals.contains(t.lower.as_str()) {
            let mut next = tokens[i + 1..].iter().filter(|t| t.is_word()).take(2);
            let first = next.next();
            // "должно было вступить": a schedule that was not kept is a past fact.
            if !first.is_some_and(|n| lex.past_auxiliaries.contains(n.lower.as_str()))
                && first
                    .into_iter()
                    .chain(next)
                    .any(|n| lex.scheduled_verbs.contains(n.lower.as_str()))
            {
                return true;
            }
        }
        if lex.language == Language::Ru && !t.capital && russian_perfective_future(&t.lower) {
            return true;
        }
        // "Мы усилим охрану", "я проверю": a first-person perfective future is a promise.
        if lex.language == Language::Ru
            && lex.first_person.contains(t.lower.as_str())
            && tokens[i + 1..]
                .iter()
                .filter(|n| n.is_word())
                .take(2)
                .any(|n| russian_first_person_future(&t.lower, &n.lower))
        {
            return true;
        }
        if lex.starts_phrase(&t.lower)
            && lex
                .hedge_phrases
                .iter()
                .any(|phrase| starts_with_words(&tokens[i..], phrase))
        {
            return true;
        }
    }
    false
}

/// Whether `tokens` begins with the words of `phrase` (marks are not skipped).
pub(crate) fn starts_with_words(tokens: &[Token], phrase: &[&str]) -> bool {
    phrase.len() <= tokens.len() && phrase.iter().zip(tokens).all(|(w, t)| t.is(w))
}

/// Perfective prefixes, longest first. A one-letter prefix needs a longer remainder that starts
/// with a consonant, since "видит", "сидит", "учит", "секрет" only look prefixed.
const PERFECTIVE_PREFIXES: [&str; 25] = [
    "пере", "пред", "раз", "рас", "под", "при", "про", "пре", "вы", "по", "за", "на", "от", "об",
    "до", "из", "ис", "вз", "вс", "со", "во", "в", "с", "о", "у",
];

/// Imperfective roots that look prefixed: "приходит", "состоит", "зависит", "выглядит".
const IMPERFECTIVE_ROOTS: [&str; 17] = [
    "ход",
    "вод",
    "нос",
    "воз",
    "стои",
    "стоя",
    "вис",
    "леж",
    "надлеж",
    "гляд",
    "держ",
    "служ",
    "стро",
    "смотр",
    "след",
    "стрем",
    "слыш",
];

/// Nouns that end like prefixed verbs.
const NOUNS: [&str; 11] = [
    "запрет",
    "портрет",
    "подсчет",
    "пересчет",
    "приоритет",
    "препарат",
    "захват",
    "предмет",
    "ответ",
    "отчет",
    "совет",
];

/// A Russian perfective verb in the non-past, i.e. a future: "введет", "воздержится",
/// "обсудят". Imperfective classes ("-ывает", "-ает", "-ует") are excluded; first and second
/// person forms are left out because soft adjectives share their endings ("внешним").
pub(crate) fn russian_perfective_future(lower: &str) -> bool {
    perfective_non_past(lower, &["ет", "ит", "ут", "ют", "ят", "ат"])
}

/// After "мы"/"я" the first-person endings are safe from adjectives: "мы усилим", "я проверю".
fn russian_first_person_future(pronoun: &str, verb: &str) -> bool {
    match pronoun {
        "мы" => perfective_non_past(verb, &["ем", "им"]),
        "я" => perfective_non_past(verb, &["у", "ю"]),
        _ => false,
    }
}

fn perfective_non_past(lower: &str, endings: &[&str]) -> bool {
    let base = lower
        .strip_suffix("ся")
        .or_else(|| lower.strip_suffix("сь"))
        .unwrap_or(lower);
    let Some(ending) = endings.iter().find(|e| base.ends_with(**e)) else {
        return false;
    };
    let stem = &base[..base.len() - ending.len()];
    // "-ает", "-яет", "-еет", "-ует", "-ают" and the like: imperfective (or ambiguous) classes.
    if stem.ends_with(['а', 'я', 'е', 'у', 'ю', 'ы', 'и']) {
        return false;
    }
    let Some(prefix) = PERFECTIVE_PREFIXES.iter().find(|p| stem.starts_with(**p)) else {
        return false;
    };
    let rest = &base[prefix.len()..];
    let rest_len = rest.chars().count();
    if prefix.chars().count() == 1 {
        let consonant = rest
            .chars()
            .next()
            .is_some_and(|c| !"аеиоуыэюяй".contains(c));
        if rest_len < 5 || !consonant {
            return false;
        }
    } else if rest_len < 4 {
        return false;
    }
    // A one-letter "prefix" may be the root's own first letter: "служит", "строит".
    let whole = prefix.chars().count() == 1;
    !NOUNS.contains(&base)
        && !IMPERFECTIVE_ROOTS
            .iter()
            .any(|r| rest.starts_with(r) || (whole && base.starts_with(r)))
}

#[cfg(test)]
mod tests {
    use super::russian_perfective_future as pf;

    #[test]
    fn perfective_futures_are_recognised_by_shape() {
        for w in [
            "введет",
            "воздержится",
            "обсудят",
            "подпишут",
            "получит",
            "соберется",
            "займет",
            "улучшатся",
            "откроет",
            "сможет",
            "проведут",
            "сократит",
            "выступит",
        ] {
            assert!(pf(w), "{w}");
        }
        for w in [
            "приходит",
            "состоит",
            "зависит",
            "выглядит",
            "заявляет",
            "показывает",
            "находится",
            "видит",
            "служит",
            "запрет",
            "подсчет",
            "приоритет",
            "рекомендует",
            "надеется",
            "сообщает",
            "проводят",
            "говорит",
            "пишет",
            "просит",
            "совет",
            "секрет",
            "принадлежит",
            "внешним",
        ] {
            assert!(!pf(w), "{w}");
        }
    }
}
