use super::*;
use crate::fingerprint;

fn ru(text: &str) -> Fingerprint {
    fingerprint(text, Language::Ru)
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
