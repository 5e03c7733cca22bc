//! TLS on both sides, with certificates each test makes (rcgen): the HTTP front over HTTPS
//! (`--tls-cert`, `--tls-key`), where plain HTTP gets no answer; and every service of `up`
//! talking to a TLS-only nats-server (`deploy/nats-tls.conf`) that verifies client
//! certificates, which a client without one cannot join.

use crate::common::{assert_history_exact, wait_extracted, Up};
use claimledger_testkit::process::run_with_env;
use claimledger_testkit::{free_port, wait_for, NatsServer, Running};
use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::rustls;

/// A test CA, and PEM files it signed, in a directory of their own.
struct Certificates {
    dir: tempfile::TempDir,
}

impl Certificates {
    /// `ca.pem`; `server.pem`/`server-key.pem` for 127.0.0.1 and localhost; `client.pem` and
    /// `client-key.pem` for a client.
    fn make() -> Self {
        let dir = tempfile::tempdir().expect("temp");
        let write = |name: &str, text: String| {
            std::fs::write(dir.path().join(name), text).expect("write a PEM file")
        };
        let ca_key = KeyPair::generate().expect("CA key");
        let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "claimledger test CA");
        let ca = ca.self_signed(&ca_key).expect("CA certificate");
        write("ca.pem", ca.pem());
        for (name, purpose) in [
            ("server", ExtendedKeyUsagePurpose::ServerAuth),
            ("client", ExtendedKeyUsagePurpose::ClientAuth),
        ] {
            let key = KeyPair::generate().expect("key");
            let mut params =
                CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
                    .expect("params");
            params.distinguished_name.push(DnType::CommonName, name);
            params.extended_key_usages = vec![purpose];
            let certificate = params.signed_by(&key, &ca, &ca_key).expect("sign");
            write(&format!("{name}.pem"), certificate.pem());
            write(&format!("{name}-key.pem"), key.serialize_pem());
        }
        Certificates { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn text(&self, name: &str) -> String {
        self.path(name).to_string_lossy().into_owned()
    }

    /// A TLS client trusting only the test CA.
    fn connector(&self) -> tokio_rustls::TlsConnector {
        let mut roots = rustls::RootCertStore::empty();
        let pem = std::fs::read(self.path("ca.pem")).expect("ca.pem");
        use rustls::pki_types::pem::PemObject as _;
        for certificate in rustls::pki_types::CertificateDer::pem_slice_iter(&pem) {
            roots
                .add(certificate.expect("a CA certificate"))
                .expect("add");
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("versions")
            .with_root_certificates(roots)
            .with_no_client_auth();
        tokio_rustls::TlsConnector::from(Arc::new(config))
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// One HTTPS request on a new connection: the status, the `Set-Cookie` lines and the JSON body.
async fn https(
    connector: &tokio_rustls::TlsConnector,
    address: &str,
    request: (&str, &str, Option<&str>, Option<&Value>),
) -> (u16, String, Value) {
    let (method, path, token, body) = request;
    let tcp = TcpStream::connect(address).await.expect("connect");
    let name = rustls::pki_types::ServerName::try_from("127.0.0.1").expect("name");
    let mut stream = connector.connect(name, tcp).await.expect("TLS handshake");
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nhost: {address}\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
        body.len()
    );
    if let Some(token) = token {
        head.push_str(&format!("authorization: Bearer {token}\r\n"));
    }
    head.push_str("\r\n");
    stream
        .write_all(format!("{head}{body}").as_bytes())
        .await
        .expect("send");
    let mut answer = Vec::new();
    // The server may close without a TLS close_notify after `connection: close`.
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {answer}"));
    let cookies = head
        .lines()
        .filter(|line| line.to_ascii_lowercase().starts_with("set-cookie:"))
        .collect::<Vec<_>>()
        .join("\n");
    (
        status,
        cookies,
        serde_json::from_str(body).unwrap_or(Value::Null),
    )
}

/// `up` with `--tls-cert`/`--tls-key`: users are added, an article submitted and extracted,
/// all over HTTPS; the sign-in cookie carries `Secure`; plain HTTP on the same port gets no
/// HTTP answer.
#[test]
fn the_front_serves_https_and_nothing_in_the_clear() {
    let certificates = Certificates::make();
    let dir = tempfile::tempdir().expect("temp");
    let address = format!("127.0.0.1:{}", free_port());
    let data = dir.path().join("data").to_string_lossy().into_owned();
    let (cert, key) = (
        certificates.text("server.pem"),
        certificates.text("server-key.pem"),
    );
    let node = Running::spawn(
        "up-tls",
        &[
            "up",
            "--data",
            &data,
            "--http",
            &address,
            "--tls-cert",
            &cert,
            "--tls-key",
            &key,
        ],
        &dir.path().join("logs"),
    );
    let admin = node.first_admin_token(Duration::from_secs(30));
    assert!(
        node.stdout().contains(&format!("Open https://{address}/")),
        "the first start names the https address: {}",
        node.stdout()
    );
    let connector = certificates.connector();
    runtime().block_on(async {
        let started = std::time::Instant::now();
        loop {
            // The listener may not be bound yet: a refused connection is waited out like a
            // slow answer (`https` itself treats a refusal as a failure).
            let healthy = TcpStream::connect(&address).await.is_ok()
                && matches!(
                    tokio::time::timeout(
                        Duration::from_secs(2),
                        https(&connector, &address, ("GET", "/healthz", None, None)),
                    )
                    .await,
                    Ok((200, _, _))
                );
            if healthy {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "no HTTPS answer"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let (status, _, added) = https(
            &connector,
            &address,
            (
                "POST",
                "/api/v1/users",
                Some(&admin),
                Some(&json!({"name": "eddie", "roles": ["editor", "auditor"]})),
            ),
        )
        .await;
        assert_eq!(status, 201, "{added}");
        let eddie = added["token"].as_str().expect("token").to_owned();
        let article = json!({
            "title": "Over TLS",
            "body": "The port handled 12 million containers in 2023, the authority said.",
        });
        let (status, _, accepted) = https(
            &connector,
            &address,
            ("POST", "/api/v1/articles", Some(&eddie), Some(&article)),
        )
        .await;
        assert_eq!(status, 202, "{accepted}");
        let id = accepted["article_id"].as_str().expect("id").to_owned();
        let started = std::time::Instant::now();
        loop {
            let (status, _, shown) = https(
                &connector,
                &address,
                ("GET", &format!("/api/v1/articles/{id}"), Some(&eddie), None),
            )
            .await;
            if status == 200 && shown["extraction"] == "extracted" {
                assert!(
                    shown.to_string().contains("12 million containers"),
                    "{shown}"
                );
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "not extracted: {shown}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let (status, cookies, _) =
            https(&connector, &address, ("GET", "/signin", None, None)).await;
        assert_eq!(status, 200);
        assert!(
            cookies.contains("Secure") && cookies.contains("HttpOnly"),
            "cookies over HTTPS are Secure: {cookies}"
        );

        // Plain HTTP on the TLS port: the handshake fails and the connection closes with no
        // HTTP answer.
        let mut plain = TcpStream::connect(&address).await.expect("connect");
        plain
            .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
            .await
            .expect("send");
        let mut answer = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(10), plain.read_to_end(&mut answer))
            .await
            .expect("closed, not left hanging");
        let answer = String::from_utf8_lossy(&answer);
        assert!(
            read.is_err() || !answer.contains("HTTP/1.1 200"),
            "plain HTTP was served: {answer}"
        );
        assert!(!answer.contains("\"status\""), "{answer}");
    });

    // The CLI reaches the HTTPS front when told which CA signs its certificate, and is refused
    // (the certificate is not trusted) when not.
    let users_list = |extra: &[&str]| {
        std::process::Command::new(claimledger_testkit::process::claimledger_bin())
            .args(["users", "list", "--server", &format!("https://{address}")])
            .args(["--token", &admin])
            .args(extra)
            .env_remove("CLAIMLEDGER_SERVER_CA")
            .output()
            .expect("run the CLI")
    };
    let trusted = users_list(&["--server-ca", &certificates.text("ca.pem")]);
    let listed = String::from_utf8_lossy(&trusted.stdout);
    assert!(
        trusted.status.success() && listed.contains("eddie"),
        "the CLI over HTTPS: {listed} {}",
        String::from_utf8_lossy(&trusted.stderr)
    );
    let untrusted = users_list(&[]);
    assert!(
        !untrusted.status.success(),
        "a certificate no trusted CA signs was accepted: {}",
        String::from_utf8_lossy(&untrusted.stdout)
    );
    drop(node);
}

/// The TLS-only broker of `deploy/nats-tls.conf`, its certificate paths pointed at `certs`.
fn tls_broker(certs: &Certificates) -> NatsServer {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/nats-tls.conf");
    let text = std::fs::read_to_string(&shipped).expect("deploy/nats-tls.conf");
    let text = text
        .replace("/etc/claimledger/tls/nats.pem", &certs.text("server.pem"))
        .replace(
            "/etc/claimledger/tls/nats-key.pem",
            &certs.text("server-key.pem"),
        )
        .replace("/etc/claimledger/tls/ca.pem", &certs.text("ca.pem"));
    let config = certs.path("nats-tls.conf");
    std::fs::write(&config, text).expect("write the broker's config");
    NatsServer::start_with_config(&config, &[])
}

/// Every service of `up` over a TLS-only broker that verifies client certificates: articles
/// go through extraction and into history; a client without the CA and a certificate is
/// refused, and so is half a client certificate.
#[test]
fn every_service_talks_to_a_tls_only_broker() {
    let certificates = Certificates::make();
    let nats = tls_broker(&certificates);
    let url = nats.url();
    let (ca, cert, key) = (
        certificates.text("ca.pem"),
        certificates.text("client.pem"),
        certificates.text("client-key.pem"),
    );
    let (up, admin) = Up::start_in_with(
        tempfile::tempdir().expect("temp"),
        &[
            "--nats",
            &url,
            "--nats-ca",
            &ca,
            "--nats-cert",
            &cert,
            "--nats-key",
            &key,
        ],
    );
    let people = crate::common::People::create(&up.api, &admin);
    let mut accepted = HashMap::new();
    for word in ["harbours", "railways"] {
        let (status, answer) = up.api.post(
            "/api/v1/articles",
            Some(&people.eddie),
            &json!({
                "title": format!("TLS {word}"),
                "body": format!("The region spent 3 million euros on {word} in 2022, the minister said."),
            }),
        );
        assert_eq!(status, 202, "{answer}");
        let id = answer["article_id"].as_str().expect("id").to_owned();
        wait_extracted(&up.api, &people.eddie, &id);
        accepted.insert(word.to_owned(), id);
    }
    assert_history_exact(&up.api, &people.alice, &accepted, 0);

    // The broker lets in no client without the CA and a certificate it signed.
    runtime().block_on(async {
        let bare = async_nats::ConnectOptions::new()
            .connection_timeout(Duration::from_secs(3))
            .connect(url.as_str())
            .await;
        assert!(bare.is_err(), "joined a TLS-only broker without its CA");
        let no_certificate = async_nats::ConnectOptions::new()
            .connection_timeout(Duration::from_secs(3))
            .add_root_certificates(certificates.path("ca.pem"))
            .require_tls(true)
            .connect(url.as_str())
            .await;
        assert!(
            no_certificate.is_err(),
            "joined without a client certificate"
        );
    });
    wait_for(
        "the broker to log a refused client",
        Duration::from_secs(10),
        || nats.log().contains("TLS handshake error").then_some(()),
    );
    // Half a client certificate is refused before any connection is tried.
    let bootstrap = [
        "users", "add", "mallory", "--role", "admin", "--quiet", "--nats", &url,
    ];
    let half = run_with_env(&[&bootstrap[..], &["--nats-cert", &cert]].concat(), &[]);
    let refusal = String::from_utf8_lossy(&half.stderr);
    assert!(
        !half.status.success() && refusal.contains("--nats-key"),
        "{refusal}"
    );
    assert!(up.node.stderr().contains("starting all services"));
}

/// One service per process over the TLS-only broker: ingest, extract, verify, audit and the API
/// each connect with the CA and a client certificate (from the environment, as a unit file
/// would set it), and an article goes through extraction into a history that is exact.
#[test]
fn each_service_as_its_own_process_talks_to_a_tls_only_broker() {
    use claimledger_testkit::deployment::{Deployment, Layout};
    let certificates = Certificates::make();
    let nats = tls_broker(&certificates);
    let (ca, cert, key) = (
        certificates.text("ca.pem"),
        certificates.text("client.pem"),
        certificates.text("client-key.pem"),
    );
    let (deployment, admin) = Deployment::start_layout_with_env(
        &Layout::single(&nats),
        None,
        &[
            ("CLAIMLEDGER_NATS_CA", &ca),
            ("CLAIMLEDGER_NATS_CERT", &cert),
            ("CLAIMLEDGER_NATS_KEY", &key),
        ],
    );
    let api = deployment.api();
    let people = crate::common::People::create(&api, &admin);
    let (status, answer) = api.post(
        "/api/v1/articles",
        Some(&people.eddie),
        &json!({
            "title": "TLS ferries",
            "body": "The region spent 5 million euros on ferries in 2021, the minister said.",
        }),
    );
    assert_eq!(status, 202, "{answer}");
    let id = answer["article_id"].as_str().expect("id").to_owned();
    let article = wait_extracted(&api, &people.eddie, &id);
    assert!(
        !article["claims"].as_array().expect("claims").is_empty(),
        "{article}"
    );
    let accepted = HashMap::from([("ferries".to_owned(), id)]);
    assert_history_exact(&api, &people.alice, &accepted, 0);
    assert_eq!(
        deployment.services.len(),
        Deployment::SERVICES.len(),
        "one process per service"
    );
    drop(deployment);
}
