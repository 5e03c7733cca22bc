use super::*;
use crate::{compare, THRESHOLD};

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
