//! Arbitrary bytes through `Event::decode`, exactly as every consumer reads a bus payload or a
//! stored history record.
//!
//! Asserts: no panic; a refusal is one of the typed `DecodeError`s (consumers park those as dead
//! letters); an accepted event, encoded again, decodes to an equal event, and that encoding is
//! a fixed point — what a consumer accepts it can also write back without loss.

#![no_main]

use claimledger_types::{DecodeError, Event};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let event = match Event::decode(data) {
        Ok(event) => event,
        Err(
            DecodeError::Envelope(_)
            | DecodeError::SpecVersion(_)
            | DecodeError::UnknownType(_)
            | DecodeError::Data { .. },
        ) => return,
    };
    let encoded = event.encode();
    let decoded = Event::decode(&encoded).unwrap_or_else(|error| {
        panic!(
            "an accepted {} does not decode once written again: {error}\n{}",
            event.payload.kind(),
            String::from_utf8_lossy(&encoded)
        )
    });
    assert_eq!(decoded, event, "the event changed on the way round");
    assert_eq!(decoded.encode(), encoded, "encoding is not a fixed point");
});
