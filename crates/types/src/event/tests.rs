use super::*;

fn review() -> Event {
    Event::new(
        "verify",
        DomainEvent::ClaimReviewed(ClaimReviewed {
            claim_id: Uuid::nil(),
            verdict: Verdict::Unverified,
            note: Some("no second source".into()),
            evidence: vec!["https://example.org/a".into()],
            reviewer: "rita".into(),
            based_on_version: 0,
            basis_claim_id: None,
            awaiting_confirmation: false,
        }),
    )
}

/// The borrowed decoder and the `CloudEvent` one read the same event, escapes included,
/// and refuse the same broken envelopes.
#[test]
fn decode_reads_what_a_cloud_event_reads() {
    let mut event = review();
    if let DomainEvent::ClaimReviewed(review) = &mut event.payload {
        review.note = Some("«кавычки» \"quoted\"\n\\ and \u{1F600}".into());
    }
    event.leader_term = Some(7);
    let bytes = event.encode();
    let cloud: CloudEvent = serde_json::from_slice(&bytes).expect("envelope");
    assert_eq!(
        Event::decode(&bytes).expect("decodes"),
        Event::from_cloud(cloud).expect("decodes")
    );
    let mut json: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    for field in [
        "subject",
        "id",
        "type",
        "time",
        "data",
        "specversion",
        "source",
    ] {
        let mut broken = json.clone();
        broken.as_object_mut().expect("object").remove(field);
        let broken = serde_json::to_vec(&broken).expect("encode");
        assert!(Event::decode(&broken).is_err(), "decoded without {field}");
        assert!(serde_json::from_slice::<CloudEvent>(&broken).is_err());
    }
    json["data"]["verdict"] = "maybe".into();
    let wrong = serde_json::to_vec(&json).expect("encode");
    assert!(matches!(
        Event::decode(&wrong),
        Err(DecodeError::Data { .. })
    ));
}

#[test]
fn encode_then_decode_is_identity() {
    let event = review();
    let decoded = Event::decode(&event.encode()).expect("own encoding decodes");
    assert_eq!(decoded, event);
}

#[test]
fn cloud_event_has_the_contract_attributes() {
    let json: serde_json::Value = serde_json::from_slice(&review().encode()).expect("valid json");
    assert_eq!(json["specversion"], "1.0");
    assert_eq!(json["type"], "org.claimledger.claim.reviewed.v1");
    assert_eq!(json["source"], "/claimledger/verify");
    assert_eq!(json["subject"], Uuid::nil().to_string());
    assert_eq!(json["data"]["verdict"], "unverified");
    assert_eq!(json["data"]["based_on_version"], 0);
}

/// A `claim.extracted` whose score is too large for an `f32` read as infinity and was
/// accepted, but its own encoding (`"score": null`) no longer decoded: a consumer that wrote
/// the event again lost it. Found writing the `decode_event` fuzz target's round trip
/// (`fuzz/regressions/decode_event/score-beyond-f32.json`).
#[test]
fn a_score_beyond_f32_is_malformed_data() {
    let bytes = include_bytes!("../../../../fuzz/regressions/decode_event/score-beyond-f32.json");
    assert!(matches!(
        Event::decode(bytes),
        Err(DecodeError::Data { event_type, source })
            if event_type == "org.claimledger.claim.extracted.v1"
                && source.to_string().contains("score inf")
    ));
    // The largest finite scores still decode and survive their own encoding.
    for score in ["3.4028235e38", "-3.4028235e38", "1e-50"] {
        let text = String::from_utf8_lossy(bytes).replace("1e39", score);
        let event = Event::decode(text.as_bytes()).expect("a finite score decodes");
        assert_eq!(Event::decode(&event.encode()).expect("re-decodes"), event);
    }
}

#[test]
fn outlets_come_from_hosts() {
    assert_eq!(
        outlet_from_url("https://www.anewz.tv/ru/1").as_deref(),
        Some("anewz.tv")
    );
    assert_eq!(
        outlet_from_url("http://user@Example.org:8080/x").as_deref(),
        Some("example.org")
    );
    assert_eq!(outlet_from_url("not a url"), None);
}

#[test]
fn decode_rejects_garbage_and_unknown_types() {
    assert!(matches!(
        Event::decode(b"{not json"),
        Err(DecodeError::Envelope(_))
    ));
    let mut cloud = review().to_cloud();
    cloud.event_type = "org.claimledger.claim.exploded.v1".into();
    let bytes = serde_json::to_vec(&cloud).expect("json");
    assert!(matches!(
        Event::decode(&bytes),
        Err(DecodeError::UnknownType(t)) if t.contains("exploded")
    ));
    let mut cloud = review().to_cloud();
    cloud.data = serde_json::json!({"claim_id": "nope"});
    let bytes = serde_json::to_vec(&cloud).expect("json");
    assert!(matches!(
        Event::decode(&bytes),
        Err(DecodeError::Data { .. })
    ));
}
