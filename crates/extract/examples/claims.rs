//! Prints sentences and claims of a text: `cargo run -p claimledger-extract --example claims -- ru|en TEXT|-`
use claimledger_extract::{extract, sentences};
use claimledger_types::Language;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let lang = if args.get(1).is_some_and(|a| a == "ru") {
        Language::Ru
    } else {
        Language::En
    };
    let body = match args.get(2).map(String::as_str) {
        Some("-") | None => std::io::read_to_string(std::io::stdin())?,
        Some(text) => text.to_owned(),
    };
    let claims = extract(&body, lang);
    for s in sentences(&body, lang) {
        let text = &body[s.start..s.end];
        // A sentence may carry a second report with its own speaker: every claim is printed.
        let mut own = claims.iter().filter(|c| c.span == s).peekable();
        if own.peek().is_none() {
            println!("-- {text}");
            continue;
        }
        println!("++ {text}");
        for c in own {
            println!(
                "   content={:?}\n   source={:?} reporter={:?} {} hedged={} score={:.2}",
                c.content, c.source, c.reporter, c.sourcing, c.hedged, c.score
            );
        }
    }
    Ok(())
}
