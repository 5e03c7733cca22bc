//! Pronoun sources resolved: a claim whose source is written "he", "she", "they", "он", "она",
//! "они" or "его" takes the nearest earlier compatible named source of the article, so a
//! reviewer sees who "he" is. The phrase as written stays the source; the name found is only
//! added beside it (`source_resolved`). Compatibility is judged from the words alone: number
//! (a plural head such as "officials" or "представители"), and gender where the name shows it
//! ("Mr.", "Mrs.", "spokeswoman", a Russian surname in -ова or -ов); an unknown gender fits both.

use crate::token::is_word_char;
use claimledger_types::{Language, Sourcing};

/// The grammatical person a pronoun stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Referent {
    Masculine,
    Feminine,
    Plural,
}

/// What a pronoun source refers to, if the source is one.
fn pronoun_referent(source: &str, language: Language) -> Option<Referent> {
    let source = source.trim();
    // Every pronoun below has at most five letters, and lower-casing never drops a char: a longer
    // source is no pronoun, and most sources are longer.
    if source.chars().nth(5).is_some() {
        return None;
    }
    let lower = source.to_lowercase().replace('ё', "е");
    match language {
        Language::En => match lower.as_str() {
            "he" | "him" | "his" => Some(Referent::Masculine),
            "she" | "her" => Some(Referent::Feminine),
            "they" | "them" | "their" => Some(Referent::Plural),
            _ => None,
        },
        Language::Ru => match lower.as_str() {
            "он" | "его" | "него" | "ему" | "нему" | "им" | "ним" => {
                Some(Referent::Masculine)
            }
            "она" | "ее" | "нее" | "ей" | "ней" => Some(Referent::Feminine),
            "они" | "их" | "них" | "ими" | "ними" => Some(Referent::Plural),
            _ => None,
        },
    }
}

/// The gender a named source shows, if any.
fn shown_gender(source: &str, language: Language) -> Option<Referent> {
    match language {
        Language::En => {
            let words: Vec<String> = source
                .split(|c: char| !is_word_char(c) && c != '-')
                .filter(|w| !w.is_empty())
                .map(|w| w.to_lowercase().replace('ё', "е"))
                .collect();
            let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
            if has(&[
                "mrs",
                "ms",
                "miss",
                "madam",
                "woman",
                "spokeswoman",
                "chairwoman",
                "congresswoman",
                "businesswoman",
                "lady",
                "queen",
                "mother",
                "wife",
            ]) {
                Some(Referent::Feminine)
            } else if has(&[
                "mr",
                "sir",
                "man",
                "spokesman",
                "chairman",
                "congressman",
                "businessman",
                "king",
                "father",
                "husband",
            ]) {
                Some(Referent::Masculine)
            } else {
                None
            }
        }
        Language::Ru => {
            // The surname: the last capitalised word ("министр Лавров", "Мария Захарова").
            let surname = source
                .split(|c: char| !is_word_char(c) && c != '-')
                .rfind(|w| w.chars().next().is_some_and(char::is_uppercase))?
                .to_lowercase()
                .replace('ё', "е");
            if ["ова", "ева", "ина", "ына", "ская", "цкая"]
                .iter()
                .any(|end| surname.ends_with(end))
            {
                Some(Referent::Feminine)
            } else if ["ов", "ев", "ин", "ын", "ский", "цкий"]
                .iter()
                .any(|end| surname.ends_with(end))
            {
                Some(Referent::Masculine)
            } else {
                None
            }
        }
    }
}

/// Whether a named source is several people: "officials", "Democrats", "представители МИД",
/// "Smith and Jones".
fn is_plural(source: &str, language: Language) -> bool {
    let words: Vec<&str> = source
        .split(|c: char| !is_word_char(c) && c != '-' && c != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    if words.iter().any(|w| matches!(*w, "and" | "и")) {
        return true;
    }
    // The head of an English noun phrase is its last word before "of"; a Russian one, its first.
    let head = match language {
        Language::En => words
            .iter()
            .take_while(|w| !matches!(**w, "of" | "who" | "from" | "at" | "in" | "on"))
            .last(),
        Language::Ru => words.first(),
    };
    let Some(head) = head else { return false };
    let lower = head.to_lowercase();
    match language {
        // "officials", "Democrats", "Republicans"; not "Sanders" or "Cruz".
        Language::En if head.chars().next().is_some_and(char::is_lowercase) => {
            lower.ends_with('s') && !lower.ends_with("ss") && !lower.ends_with("us")
        }
        Language::En => lower.ends_with("ans") || lower.ends_with("ats"),
        Language::Ru => {
            head.chars().next().is_some_and(char::is_lowercase)
                && (lower.ends_with('ы') || lower.ends_with('и'))
        }
    }
}

/// Whether a Russian source can be the person "он" or "она" stands for: it names someone
/// ("министр" alone may be either gender, "онлайн-опроса" is a thing that was read) and is no
/// place ("в министерстве", "в Кремле" are institutions).
fn is_russian_person(source: &str) -> bool {
    let first = source
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_lowercase();
    source.chars().any(char::is_uppercase) && !matches!(first.as_str(), "в" | "во" | "на" | "у")
}

/// The pronouns of `REFERENTS` a named source can stand behind, each in its slot. Judged once
/// per source: asked per pronoun, the plural and gender tests (each splitting and lower-casing
/// the phrase) ran up to three times over.
fn fitting_referents(source: &str, language: Language) -> [bool; 3] {
    let plural = is_plural(source, language);
    let person = !plural && (language != Language::Ru || is_russian_person(source));
    let gender = if person {
        shown_gender(source, language)
    } else {
        None
    };
    REFERENTS.map(|referent| match referent {
        Referent::Plural => plural,
        Referent::Masculine | Referent::Feminine => {
            person && gender.is_none_or(|gender| gender == referent)
        }
    })
}

/// The kinds of pronoun, in the order of `fitting_referents`' slots.
const REFERENTS: [Referent; 3] = [Referent::Masculine, Referent::Feminine, Referent::Plural];

/// For each source in document order (with how it was sourced), the named source a pronoun
/// among them stands for: the nearest earlier compatible one that is not itself a pronoun.
pub(crate) fn resolve(
    sources: &[Option<(&str, Sourcing)>],
    language: Language,
) -> Vec<Option<String>> {
    // One pass: for each kind of pronoun, the latest named source it fits so far. Looking back
    // from every pronoun instead cost time in the square of the article's sources when a
    // pronoun found nothing (a long body of many such sentences).
    let mut latest_fit: [Option<&str>; 3] = [None; 3];
    let mut resolved = Vec::with_capacity(sources.len());
    for source in sources {
        let Some((phrase, sourcing)) = *source else {
            resolved.push(None);
            continue;
        };
        match pronoun_referent(phrase, language) {
            Some(referent) => {
                let slot = REFERENTS.iter().position(|&r| r == referent);
                resolved.push(slot.and_then(|k| latest_fit[k]).map(str::to_owned));
            }
            None => {
                resolved.push(None);
                if sourcing == Sourcing::Named {
                    let fitting = fitting_referents(phrase, language);
                    for (slot, fits) in latest_fit.iter_mut().zip(fitting) {
                        if fits {
                            *slot = Some(phrase);
                        }
                    }
                }
            }
        }
    }
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(s: &str) -> Option<(&str, Sourcing)> {
        Some((s, Sourcing::Named))
    }

    #[test]
    fn a_pronoun_is_read_whole_and_trimmed() {
        assert_eq!(
            pronoun_referent(" Their ", Language::En),
            Some(Referent::Plural)
        );
        assert_eq!(
            pronoun_referent("НЕМУ", Language::Ru),
            Some(Referent::Masculine)
        );
        assert_eq!(pronoun_referent("their aides", Language::En), None);
        assert_eq!(pronoun_referent("онлайн", Language::Ru), None);
    }

    #[test]
    fn a_pronoun_takes_the_nearest_earlier_compatible_named_source() {
        let sources = [
            named("Mayor Ana Ruiz"),
            named("Mr. Lind"),
            None,
            Some(("officials", Sourcing::Vague)),
            named("she"),
            named("he"),
            named("Mr. Lind"),
        ];
        let resolved = resolve(&sources, Language::En);
        assert_eq!(
            resolved[4].as_deref(),
            Some("Mayor Ana Ruiz"),
            "Mr. is not she"
        );
        assert_eq!(resolved[5].as_deref(), Some("Mr. Lind"));
        assert_eq!(resolved[0], None);
        assert_eq!(resolved[6], None, "a name needs no resolving");
    }

    #[test]
    fn they_takes_a_plural_source_and_he_a_singular_one() {
        let sources = [
            named("Democrats in the Senate"),
            named("Varga"),
            named("they"),
            named("he"),
        ];
        let resolved = resolve(&sources, Language::En);
        assert_eq!(resolved[2].as_deref(), Some("Democrats in the Senate"));
        assert_eq!(resolved[3].as_deref(), Some("Varga"));
    }

    #[test]
    fn russian_pronouns_follow_the_surname_and_number() {
        let sources = [
            named("представители МИД"),
            named("Мария Захарова"),
            named("глава МИД РФ Сергей Лавров"),
            named("она"),
            named("он"),
            named("его"),
            named("они"),
        ];
        let resolved = resolve(&sources, Language::Ru);
        assert_eq!(resolved[3].as_deref(), Some("Мария Захарова"));
        assert_eq!(resolved[4].as_deref(), Some("глава МИД РФ Сергей Лавров"));
        assert_eq!(resolved[5].as_deref(), Some("глава МИД РФ Сергей Лавров"));
        assert_eq!(resolved[6].as_deref(), Some("представители МИД"));
    }

    #[test]
    fn only_a_named_person_is_who_he_is_in_russian() {
        let sources = [
            named("министр Жуков"),
            named("министр"),
            named("онлайн-опроса"),
            named("в Кремле"),
            named("он"),
        ];
        let resolved = resolve(&sources, Language::Ru);
        assert_eq!(resolved[4].as_deref(), Some("министр Жуков"));
    }

    #[test]
    fn a_pronoun_with_nothing_before_it_stays_unresolved() {
        assert_eq!(resolve(&[named("he")], Language::En), [None]);
        let unnamed = [
            Some(("a senior official", Sourcing::Anonymous)),
            named("he"),
        ];
        assert_eq!(resolve(&unnamed, Language::En)[1], None);
    }
}
