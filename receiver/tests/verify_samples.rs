//! The verification samples of docs/receiver.md — for hosts that do not run the
//! receiver — work: tests/verify/verify_lead.{mjs,py} (the official `standardwebhooks`
//! packages from npm and PyPI), www/php/lib/verify_lead.php (PHP's own hash
//! functions), tests/verify/VerifyLead.java (the JDK, and Jackson for the JSON) and
//! tests/verify/go/verifylead/verify_lead.go (Go's standard library) accept a real
//! submission built and signed the way the component does it, Vietnamese text and all,
//! and reject a changed body, a wrong key, a stale timestamp, malformed signature
//! headers and a body whose id is not the header's. The PHP, Java and Go ones, written
//! here rather than a library, also verify the Standard Webhooks vectors the official
//! libraries computed (../shared/vectors/standard-webhooks.json); Java and Go the v1a
//! (Ed25519) one too. The docs show the files as they are.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use common::*;
use consent_form::signing::{webhook_headers, Secret};
use serde_json::{json, Value};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Answers one line per input: "200 …", "401 …" or "400 …".
type Runner<'a> = &'a dyn Fn(&[Value]) -> Vec<String>;

/// A harness that reads one input and answers one line (run.mjs, run.py, run.php),
/// started once per input.
fn one_by_one(program: &'static str, script: &'static str) -> impl Fn(&[Value]) -> Vec<String> {
    move |inputs| {
        let hint = "npm ci / pip install -r tests/requirements.txt / apt-get install php-cli?";
        let dir = repo().join("tests/verify");
        inputs
            .iter()
            .map(|input| common::run_json(program, script, &dir, input, hint))
            .collect()
    }
}

/// A harness that reads one input per line and answers a line for each (Run.java,
/// go/run.go), started once for all of them: a JVM takes about a second to start.
fn run_lines(mut command: Command, inputs: &[Value], hint: &str) -> Vec<String> {
    use std::io::Write;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{command:?} (scripts/setup installs it: {hint}): {e}"));
    let lines: String = inputs.iter().map(|i| format!("{i}\n")).collect();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(lines.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{command:?} failed ({hint}): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(answers.len(), inputs.len(), "one answer per input");
    answers
}

/// Where the Java and Go harnesses are built: target/tmp/ (nothing outside the repo).
fn build_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("verify-samples")
}

/// Debian's libjackson2-databind-java, or JACKSON_CLASSPATH elsewhere.
fn jackson_classpath() -> String {
    std::env::var("JACKSON_CLASSPATH").unwrap_or_else(|_| {
        ["databind", "core", "annotations"]
            .map(|jar| format!("/usr/share/java/jackson-{jar}.jar"))
            .join(":")
    })
}

const JAVA_HINT: &str = "apt-get install default-jdk-headless libjackson2-databind-java";

/// Compiles VerifyLead.java and Run.java with javac, once per test run.
fn java_classes() -> &'static Path {
    static CLASSES: OnceLock<PathBuf> = OnceLock::new();
    CLASSES.get_or_init(|| {
        let classes = build_dir().join("java");
        let _ = std::fs::remove_dir_all(&classes);
        let verify = repo().join("tests/verify");
        let out = Command::new("javac")
            .args(["-encoding", "UTF-8", "-d"])
            .arg(&classes)
            .args(["-cp", &jackson_classpath()])
            .arg(verify.join("VerifyLead.java"))
            .arg(verify.join("Run.java"))
            .output()
            .unwrap_or_else(|e| panic!("javac ({JAVA_HINT}): {e}"));
        assert!(
            out.status.success(),
            "javac failed ({JAVA_HINT}): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        classes
    })
}

/// Runs the Java harness with a platform charset that is not UTF-8 (Java 17 takes it
/// from -Dfile.encoding): a sample that turned the body into a String with the platform
/// charset, or back into bytes, would not verify Vietnamese text.
fn java(inputs: &[Value]) -> Vec<String> {
    let mut command = Command::new("java");
    command
        .arg("-Dfile.encoding=US-ASCII")
        .arg("-cp")
        .arg(format!(
            "{}:{}",
            java_classes().display(),
            jackson_classpath()
        ))
        .arg("Run");
    run_lines(command, inputs, JAVA_HINT)
}

const GO_HINT: &str = "apt-get install golang-go";

/// The environment of every `go` command here: its caches under target/tmp/, nothing
/// fetched from the network (the sample needs no module).
fn go_command(dir: &Path) -> Command {
    let build = build_dir();
    let mut command = Command::new("go");
    command
        .current_dir(dir)
        .env("GOCACHE", build.join("go-cache"))
        .env("GOPATH", build.join("go-path"))
        .env("GOFLAGS", "-mod=mod")
        .env("GO111MODULE", "on")
        .env("GOPROXY", "off")
        .env("GOTOOLCHAIN", "local")
        .env("GOWORK", "off");
    command
}

/// Builds go/run.go with verifylead/, once per test run (a second when warm).
fn go_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let binary = build_dir().join("verify-lead-go");
        let out = go_command(&repo().join("tests/verify/go"))
            .args(["build", "-o"])
            .arg(&binary)
            .arg(".")
            .output()
            .unwrap_or_else(|e| panic!("go ({GO_HINT}): {e}"));
        assert!(
            out.status.success(),
            "go build failed ({GO_HINT}): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        binary
    })
}

fn go(inputs: &[Value]) -> Vec<String> {
    run_lines(Command::new(go_binary()), inputs, GO_HINT)
}

/// A harness's input: `secret`, `headers` and `body`.
fn input(secret: &Secret, headers: &[(String, String)], body: &str) -> Value {
    let headers: serde_json::Map<String, Value> = headers
        .iter()
        .map(|(k, v)| (k.clone(), v.clone().into()))
        .collect();
    json!({ "secret": secret.expose_whsec(), "headers": headers, "body": body })
}

fn headers(
    secret: &Secret,
    id: &consent_form::signing::MessageId,
    ts: u64,
    body: &[u8],
) -> Vec<(String, String)> {
    let mut h: Vec<(String, String)> = webhook_headers(secret, id, ts, body)
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    // Frameworks hand headers over in any case.
    h.push(("Content-Type".into(), "application/json".into()));
    h
}

fn check(run: Runner) {
    let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let id = new_id();
    let body = valid_payload(&id).to_body();
    let text = std::str::from_utf8(&body).unwrap();
    assert!(
        text.contains("Nguyễn Văn An"),
        "Vietnamese text: the raw UTF-8 bytes are what is signed"
    );
    let good = headers(&secret, &id, now(), &body);
    let mut cases = vec![(input(&secret, &good, text), "the submission")];

    let tampered = text.replace("+84902666984", "+84902666985");
    cases.push((input(&secret, &good, &tampered), "401 a changed body"));
    let name_changed = text.replace("Nguyễn Văn An", "Nguyễn Văn Ân");
    cases.push((input(&secret, &good, &name_changed), "401 a changed name"));

    let wrong = Secret::from_bytes(b"another key").unwrap();
    cases.push((input(&wrong, &good, text), "401 a wrong key"));

    let stale = headers(&secret, &id, now() - 600, &body);
    cases.push((input(&secret, &stale, text), "401 a stale timestamp"));
    let future = headers(&secret, &id, now() + 600, &body);
    cases.push((input(&secret, &future, text), "401 a timestamp to come"));

    // A malformed signature header is a signature that fails (401), not a bad body.
    for malformed in ["garbage", "v1,A", "v1", ","] {
        let mut h = good.clone();
        for (name, value) in &mut h {
            if name == "webhook-signature" {
                *value = malformed.to_owned();
            }
        }
        cases.push((input(&secret, &h, text), "401 a malformed signature header"));
    }

    let other = new_id();
    let mismatched = headers(&secret, &other, now(), &body);
    cases.push((input(&secret, &mismatched, text), "400 another id"));

    let inputs: Vec<Value> = cases.iter().map(|(i, _)| i.clone()).collect();
    let answers = run(&inputs);
    assert_eq!(answers[0], format!("200 {}", id.as_str()));
    for ((_, case), answer) in cases.iter().zip(&answers).skip(1) {
        let status = &case[..4];
        assert!(answer.starts_with(status), "{case}: {answer}");
    }
}

#[test]
fn node_sample_verifies_with_the_npm_library() {
    check(&one_by_one("node", "run.mjs"));
}

#[test]
fn python_sample_verifies_with_the_pypi_library() {
    check(&one_by_one("python3", "run.py"));
}

#[test]
fn php_sample_verifies_with_php_alone() {
    check(&one_by_one("php", "run.php"));
}

#[test]
fn java_sample_verifies_with_the_jdk_and_jackson() {
    check(&java);
}

#[test]
fn go_sample_verifies_with_the_standard_library() {
    check(&go);
}

/// Signed bodies that are not a payload: not UTF-8, not JSON, not an object, JSON with
/// more after it. Each is a 400, not a 401 (the signature is good) nor a 200; the
/// same minimal body without those faults is accepted.
fn check_signed_but_not_a_payload(run: Runner) {
    let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let id = new_id();
    let object = format!(r#"{{"id":"{}","name":"Nguy"#, id.as_str());
    let bodies: Vec<(Vec<u8>, &str)> = vec![
        ([object.as_bytes(), "ễn\"}".as_bytes()].concat(), "200 "),
        ([object.as_bytes(), b"\xff\"}"].concat(), "400 not UTF-8"),
        (
            [object.as_bytes(), b"\xe1\xbb\"}"].concat(),
            "400 cut UTF-8",
        ),
        (b"Nguy\xe1\xbb\x85n".to_vec(), "400 not JSON"),
        (
            format!(r#"["{}"]"#, id.as_str()).into_bytes(),
            "400 an array",
        ),
        (
            format!(r#"{{"id":"{}"}} {{}}"#, id.as_str()).into_bytes(),
            "400 more after it",
        ),
    ];
    let inputs: Vec<Value> = bodies
        .iter()
        .map(|(body, _)| {
            let hex: String = body.iter().map(|b| format!("{b:02x}")).collect();
            let mut i = input(&secret, &headers(&secret, &id, now(), body), "");
            i["body_hex"] = hex.into();
            i
        })
        .collect();
    for ((_, expected), answer) in bodies.iter().zip(run(&inputs)) {
        assert!(answer.starts_with(&expected[..4]), "{expected}: {answer}");
    }
}

#[test]
fn java_sample_refuses_a_signed_body_that_is_not_a_payload() {
    check_signed_but_not_a_payload(&java);
}

#[test]
fn go_sample_refuses_a_signed_body_that_is_not_a_payload() {
    check_signed_but_not_a_payload(&go);
}

/// The net/http handler docs/payload.md shows (tests/verify/go/handler.go) answers 204
/// for a submission, 401 for a changed one, 400 for another id and 413 past 64 KiB.
#[test]
fn go_handler_of_the_docs_answers_with_the_right_statuses() {
    let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let id = new_id();
    let body = valid_payload(&id).to_body();
    let text = std::str::from_utf8(&body).unwrap();
    let good = headers(&secret, &id, now(), &body);
    let via_handler = |headers: &[(String, String)], body: &str| {
        let mut i = input(&secret, headers, body);
        i["handler"] = true.into();
        i
    };
    let tampered = text.replace("Nguyễn Văn An", "Nguyễn Văn Ân");
    let mismatched = headers(&secret, &new_id(), now(), &body);
    let large = format!("{text}{}", " ".repeat(64 * 1024));
    let large_headers = headers(&secret, &id, now(), large.as_bytes());
    let answers = go(&[
        via_handler(&good, text),
        via_handler(&good, &tampered),
        via_handler(&mismatched, text),
        via_handler(&large_headers, &large),
    ]);
    assert_eq!(answers, ["204", "401", "400", "413"]);
}

/// The official vectors, at their time, with several signatures, changed, and out of
/// time; `v1a` (Ed25519, with the `whpk_` public key) too when `with_v1a`.
fn check_vectors(run: Runner, with_v1a: bool) {
    let path = repo().join("../shared/vectors/standard-webhooks.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (shared/ beside the clone)", path.display()));
    let file: Value = serde_json::from_str(&text).unwrap();
    let mut cases = Vec::new();
    let mut schemes = Vec::new();
    for v in file["vectors"].as_array().unwrap() {
        let key = match v["scheme"].as_str().unwrap() {
            "v1" => &v["secret"],
            "v1a" if with_v1a => &v["public_key"],
            _ => continue, // v1a is asymmetric: not what the form sends
        };
        schemes.push(v["scheme"].as_str().unwrap());
        let ts = v["timestamp"].as_u64().unwrap();
        let input = |signature: &str, body: &str, now: u64| {
            json!({
                "secret": key,
                "headers": {
                    "webhook-id": v["id"],
                    "webhook-timestamp": ts.to_string(),
                    "webhook-signature": signature,
                },
                "body": body,
                "now": now,
            })
        };
        let (signature, body) = (
            v["signature"].as_str().unwrap(),
            v["body"].as_str().unwrap(),
        );
        let scheme = v["scheme"].as_str().unwrap();
        // Among several signatures (key rotation), one match is enough.
        let several = format!("{scheme},bm90IHRoaXMgb25l {signature}");
        cases.extend([
            (input(signature, body, ts + 10), "200 signed"),
            (input(&several, body, ts), "200 signed"),
            (input(signature, &format!("{body} "), ts), "401 "),
            (input(signature, body, ts + 301), "401 "),
            (input(signature, body, ts - 301), "401 "),
        ]);
    }
    let inputs: Vec<Value> = cases.iter().map(|(i, _)| i.clone()).collect();
    for ((input, expected), answer) in cases.iter().zip(run(&inputs)) {
        if expected.starts_with("200") {
            assert_eq!(&answer, expected, "{input}");
        } else {
            assert!(answer.starts_with(expected), "{input}: {answer}");
        }
    }
    assert!(
        schemes.iter().filter(|s| **s == "v1").count() >= 2,
        "the v1 vectors"
    );
    assert_eq!(schemes.contains(&"v1a"), with_v1a, "the v1a vector");
}

#[test]
fn php_sample_verifies_the_official_vectors() {
    check_vectors(&one_by_one("php", "run.php"), false);
}

#[test]
fn java_sample_verifies_the_official_vectors() {
    check_vectors(&java, true);
}

#[test]
fn go_sample_verifies_the_official_vectors() {
    check_vectors(&go, true);
}

#[test]
fn the_docs_show_the_samples_as_they_are() {
    let docs = std::fs::read_to_string(repo().join("docs/receiver.md")).unwrap();
    for sample in [
        "tests/verify/verify_lead.mjs",
        "tests/verify/verify_lead.py",
        "www/php/lib/verify_lead.php",
        "tests/verify/VerifyLead.java",
        "tests/verify/go/verifylead/verify_lead.go",
    ] {
        let code = std::fs::read_to_string(repo().join(sample)).unwrap();
        assert!(
            docs.contains(code.trim()),
            "docs/receiver.md must contain {sample} verbatim"
        );
    }
    let payload = std::fs::read_to_string(repo().join("docs/payload.md")).unwrap();
    let handler = std::fs::read_to_string(repo().join("tests/verify/go/handler.go")).unwrap();
    let shown = &handler[handler.find("// http.HandleFunc").unwrap()..];
    assert!(
        payload.contains(shown.trim()),
        "docs/payload.md must show tests/verify/go/handler.go's handler verbatim"
    );
}
