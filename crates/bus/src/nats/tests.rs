use super::*;

#[test]
fn credentials_in_urls_are_noticed() {
    assert!(url_has_credentials("nats://extract:secret@127.0.0.1:4222"));
    assert!(url_has_credentials("s3cr3t@nats.internal"));
    assert!(url_has_credentials(
        "nats://a:4222, tls://ops:pw@b:4222/ignored"
    ));
    assert!(!url_has_credentials("nats://127.0.0.1:4222"));
    assert!(!url_has_credentials("nats://a:4222,nats://b:4222"));
    assert!(!url_has_credentials("ws://host:8080/path@with-at"));
}

#[test]
fn a_url_list_becomes_one_address_per_server() {
    assert_eq!(
        server_list("nats://127.0.0.1:4222"),
        ["nats://127.0.0.1:4222"]
    );
    assert_eq!(
        server_list(" nats://a:4222, nats://b:4223 ,,nats://c:4224,"),
        ["nats://a:4222", "nats://b:4223", "nats://c:4224"]
    );
    assert!(server_list(" , ").is_empty());
}

#[test]
fn passwords_stay_out_of_debug_output() {
    let credentials = NatsCredentials {
        user: "extract".into(),
        password: "hunter2".into(),
    };
    let options = NatsOptions {
        credentials: Some(credentials.clone()),
        ..NatsOptions::default()
    };
    assert!(!format!("{options:?}").contains("hunter2"));
    assert_eq!(credentials.inbox_prefix(), "_INBOX.extract");
    let odd = NatsCredentials {
        user: "svc.extract one".into(),
        password: String::new(),
    };
    assert_eq!(odd.inbox_prefix(), "_INBOX.svc_extract_one");
}
