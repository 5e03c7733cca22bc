use claimledger_extract::*;
use claimledger_types::Language;
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let lang = if args[1] == "ru" {
        Language::Ru
    } else {
        Language::En
    };
    let body = if args[2] == "-" {
        std::io::read_to_string(std::io::stdin())?
    } else {
        args[2].clone()
    };
    for s in sentences(&body, lang) {
        println!("S {:?}", &body[s.start..s.end]);
    }
    for c in extract(&body, lang) {
        println!("{:#?}", c);
    }
    Ok(())
}
