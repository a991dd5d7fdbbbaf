//! The local runner, started as `make serve` starts it, and attacked: each
//! test sends real HTTP requests over the loopback interface.
//!
//! Three runners are started (each once, shared by the tests that need it):
//! one with the default limits but a short time limit (so the infinite loop
//! is stopped in 2 s, not 10), one for the 20 concurrent requests, one whose
//! work folder the test of temporary folders watches.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

const BOOK: &str = "http://127.0.0.1:3000";

struct Runner {
    port: u16,
    token: String,
    work_dir: PathBuf,
    // The runner exits when this pipe closes, i.e. when the test binary ends.
    _stdin: Mutex<ChildStdin>,
    _child: Mutex<Child>,
}

fn start(name: &str, extra: &[&str]) -> Runner {
    let work_dir = std::env::temp_dir().join(format!("runner-test-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&work_dir).expect("work folder");
    let mut child = Command::new(env!("CARGO_BIN_EXE_runner"))
        .args([
            "serve",
            "--port",
            "0",
            "--book-port",
            "3000",
            "--exit-on-stdin-close",
        ])
        .arg("--work-dir")
        .arg(&work_dir)
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the runner");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut seen = String::new();
    let mut byte = [0u8; 1];
    // The runner prints two lines once it listens; the second holds the link.
    while seen.matches('\n').count() < 2 {
        match stdout.read(&mut byte) {
            Ok(1) => seen.push(byte[0] as char),
            _ => panic!("the runner stopped before it listened: {seen}"),
        }
    }
    let field = |key: &str| -> String {
        let at = seen
            .find(key)
            .unwrap_or_else(|| panic!("no {key} in {seen}"))
            + key.len();
        seen[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect()
    };
    let port = field("runner-port=").parse().expect("port");
    let token = field("runner-token=");
    assert_eq!(token.len(), 64, "a 32-byte token in hex");
    let stdin = child.stdin.take().expect("stdin");
    Runner {
        port,
        token,
        work_dir,
        _stdin: Mutex::new(stdin),
        _child: Mutex::new(child),
    }
}

fn runner() -> &'static Runner {
    static R: OnceLock<Runner> = OnceLock::new();
    R.get_or_init(|| start("main", &["--time-limit", "2"]))
}

struct Reply {
    status: u16,
    headers: String,
    body: String,
}

/// One HTTP/1.1 request over a fresh connection, as raw bytes: the tests
/// need to send what a browser would not (a foreign Host, garbage).
fn raw(port: u16, request: &[u8]) -> Reply {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(120)))
        .expect("timeout");
    s.write_all(request).expect("send");
    let mut bytes = Vec::new();
    let _ = s.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        headers: head.to_ascii_lowercase(),
        body: body.to_string(),
    }
}

fn request(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut r = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        r.push_str(&format!("Host: 127.0.0.1:{port}\r\n"));
    }
    for (k, v) in headers {
        r.push_str(&format!("{k}: {v}\r\n"));
    }
    r.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    raw(port, r.as_bytes())
}

fn run_on(r: &Runner, code: &str) -> Reply {
    let body = serde_json::json!({ "code": code, "edition": "2021" }).to_string();
    let auth = format!("Bearer {}", r.token);
    request(
        r.port,
        "POST",
        "/run",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
            ("Origin", BOOK),
        ],
        &body,
    )
}

fn json(reply: &Reply) -> serde_json::Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", reply.body))
}

/// An example as the book shows it: hidden `extern crate` line, no `main`.
const EXAMPLE: &str = "# extern crate verified_dl;\nuse verified_dl::conv::size::conv_out_size;\nlet m = conv_out_size(7, 3, 2).unwrap();\nprintln!(\"M = {m}\");\nassert_eq!(m, 3);";

#[test]
fn a_correct_request_runs_the_example_against_the_crate() {
    let reply = run_on(runner(), EXAMPLE);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let v = json(&reply);
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["stdout"], "M = 3\n");
    assert_eq!(v["result"], "M = 3\n");
    assert!(reply
        .headers
        .contains("access-control-allow-origin: http://127.0.0.1:3000"));
}

#[test]
fn an_example_that_uses_the_question_mark_runs_as_rustdoc_runs_it() {
    let code = "use verified_dl::conv::size::conv_out_size;\nlet m = conv_out_size(3, 4, 1)?;\nprintln!(\"{m}\");\nOk::<(), verified_dl::Error>(())";
    let v = json(&run_on(runner(), code));
    assert_eq!(v["stage"], "run", "{v}");
    assert_eq!(v["ok"], false);
    let result = v["result"].as_str().unwrap_or_default();
    assert!(
        result.contains("BadSize { what: \"kernel size k\", value: 4"),
        "{result}"
    );
}

#[test]
fn a_compile_error_returns_rustcs_message() {
    let v = json(&run_on(
        runner(),
        "# extern crate verified_dl;\nlet x: u32 = \"three\";",
    ));
    assert_eq!(v["ok"], false);
    assert_eq!(v["stage"], "compile");
    let result = v["result"].as_str().unwrap_or_default();
    assert!(
        result.contains("error[E0308]: mismatched types"),
        "{result}"
    );
    // the line and column of the code as the reader sees it
    assert!(result.contains("main.rs:2:14"), "{result}");
}

#[test]
fn requests_without_the_token_or_with_a_wrong_one_are_refused() {
    let r = runner();
    let body = r#"{"code":"println!(\"hi\");"}"#;
    let none = request(
        r.port,
        "POST",
        "/run",
        &[("Content-Type", "application/json")],
        body,
    );
    assert_eq!(none.status, 401, "{}", none.body);
    let wrong = "Bearer ".to_string() + &"0".repeat(64);
    for auth in [wrong.as_str(), "Bearer", "Basic abc", &r.token] {
        let reply = request(
            r.port,
            "POST",
            "/run",
            &[
                ("Authorization", auth),
                ("Content-Type", "application/json"),
            ],
            body,
        );
        assert_eq!(reply.status, 401, "{auth}: {}", reply.body);
        assert!(!reply.body.contains("hi\\n"));
    }
}

#[test]
fn a_foreign_origin_is_refused_and_gets_no_cors_answer() {
    let r = runner();
    let auth = format!("Bearer {}", r.token);
    for origin in [
        "https://evil.example",
        "http://127.0.0.1:3001",
        "null",
        "http://localhost:8080",
    ] {
        let body = r#"{"code":"println!(\"hi\");"}"#;
        let reply = request(
            r.port,
            "POST",
            "/run",
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/json"),
                ("Origin", origin),
            ],
            body,
        );
        assert_eq!(reply.status, 403, "{origin}: {}", reply.body);
        assert!(!reply.headers.contains("access-control-allow-origin"));
        let pre = request(
            r.port,
            "OPTIONS",
            "/run",
            &[
                ("Origin", origin),
                ("Access-Control-Request-Method", "POST"),
            ],
            "",
        );
        assert_eq!(pre.status, 403, "preflight from {origin}");
        assert!(!pre.headers.contains("access-control-allow-origin"));
    }
    // the book's own origins get the preflight answer
    for origin in [BOOK, "http://localhost:3000"] {
        let pre = request(
            r.port,
            "OPTIONS",
            "/run",
            &[
                ("Origin", origin),
                ("Access-Control-Request-Method", "POST"),
            ],
            "",
        );
        assert_eq!(pre.status, 204, "preflight from {origin}");
        assert!(pre
            .headers
            .contains(&format!("access-control-allow-origin: {origin}")));
        assert!(pre
            .headers
            .contains("access-control-allow-headers: authorization, content-type"));
    }
}

#[test]
fn a_foreign_host_is_refused_as_dns_rebinding() {
    let r = runner();
    let auth = format!("Bearer {}", r.token);
    let evil = format!("evil.example:{}", r.port);
    for host in [evil.as_str(), "evil.example", "127.0.0.1", "192.168.1.1:80"] {
        let reply = request(
            r.port,
            "GET",
            "/status",
            &[("Host", host), ("Authorization", &auth)],
            "",
        );
        assert_eq!(reply.status, 403, "{host}: {}", reply.body);
    }
    let ok = request(r.port, "GET", "/status", &[("Authorization", &auth)], "");
    assert_eq!(ok.status, 200, "{}", ok.body);
    let local = format!("localhost:{}", r.port);
    let ok = request(
        r.port,
        "GET",
        "/status",
        &[("Host", &local), ("Authorization", &auth)],
        "",
    );
    assert_eq!(ok.status, 200, "{}", ok.body);
}

#[test]
fn an_infinite_loop_is_killed_at_the_time_limit() {
    let v = json(&run_on(
        runner(),
        "println!(\"before\");\nloop { std::hint::spin_loop(); }",
    ));
    assert_eq!(v["end"], "timeout", "{v}");
    let result = v["result"].as_str().unwrap_or_default();
    assert!(result.starts_with("before\n"), "{result}");
    assert!(
        result.contains("ran longer than 2 s, the time limit of a run"),
        "{result}"
    );
}

#[test]
fn a_program_printing_100_mb_is_cut_at_the_output_limit() {
    let code = "use std::io::Write;\nlet line = [b'x'; 1024];\nlet mut out = std::io::stdout().lock();\nfor _ in 0..100 * 1024 { out.write_all(&line).unwrap(); }";
    let reply = run_on(runner(), code);
    let v = json(&reply);
    assert_eq!(
        v["end"],
        "output-limit",
        "{}",
        &reply.body[..reply.body.len().min(300)]
    );
    let out = v["stdout"].as_str().unwrap_or_default();
    assert!(out.len() <= 64 * 1024, "{} bytes kept", out.len());
    assert!(reply.body.len() < 200 * 1024, "the answer is small");
    assert!(v["result"]
        .as_str()
        .unwrap_or_default()
        .contains("the output limit of a run"));
}

#[test]
fn a_program_over_the_memory_limit_fails_to_allocate() {
    let code = "let v = vec![1u8; 3 << 30];\nprintln!(\"{}\", v[v.len() - 1]);";
    let v = json(&run_on(runner(), code));
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(v["stage"], "run");
    let result = v["result"].as_str().unwrap_or_default();
    assert!(
        result.contains("memory allocation of 3221225472 bytes failed"),
        "{result}"
    );
}

#[test]
fn twenty_concurrent_requests_are_all_answered_and_the_server_goes_on() {
    let r: &'static Runner = {
        static R: OnceLock<Runner> = OnceLock::new();
        R.get_or_init(|| start("busy", &[]))
    };
    let code = "std::thread::sleep(std::time::Duration::from_millis(300));\nprintln!(\"done\");";
    let handles: Vec<_> = (0..20)
        .map(|_| std::thread::spawn(move || run_on(r, code)))
        .collect();
    let mut ran = 0;
    let mut refused = 0;
    for h in handles {
        let reply = h.join().expect("a client thread");
        match reply.status {
            200 => {
                assert_eq!(json(&reply)["stdout"], "done\n");
                ran += 1;
            }
            429 => {
                assert!(reply.body.contains("busy"), "{}", reply.body);
                assert!(reply.headers.contains("retry-after: 2"));
                refused += 1;
            }
            s => panic!("status {s}: {}", reply.body),
        }
    }
    assert_eq!(ran + refused, 20);
    assert!(ran >= 2, "{ran} ran");
    assert!(
        refused >= 1,
        "with 2 running and 6 waiting, 20 at once cannot all be queued"
    );
    let after = run_on(r, EXAMPLE);
    assert_eq!(after.status, 200, "{}", after.body);
    assert_eq!(json(&after)["stdout"], "M = 3\n");
}

#[test]
fn malformed_requests_get_a_clear_4xx_and_the_server_goes_on() {
    let r = runner();
    let auth = format!("Bearer {}", r.token);
    let h = |ct: &'static str| {
        vec![
            ("Authorization", auth.clone()),
            ("Content-Type", ct.to_string()),
        ]
    };
    let send = |method: &str, path: &str, headers: Vec<(&str, String)>, body: &str| {
        let hs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        request(r.port, method, path, &hs, body)
    };
    let cases: Vec<(Reply, u16, &str)> = vec![
        (
            send("POST", "/run", h("application/json"), "{not json"),
            400,
            "not valid JSON",
        ),
        (
            send("POST", "/run", h("application/json"), "[1,2]"),
            400,
            "no string field",
        ),
        (
            send("POST", "/run", h("application/json"), r#"{"code":5}"#),
            400,
            "no string field",
        ),
        (
            send(
                "POST",
                "/run",
                h("application/json"),
                r#"{"code":"","edition":"1999"}"#,
            ),
            400,
            "unknown edition",
        ),
        (
            send("POST", "/run", h("text/plain"), r#"{"code":""}"#),
            415,
            "must be JSON",
        ),
        (
            send("GET", "/run", h("application/json"), ""),
            405,
            "method not allowed",
        ),
        (
            send("GET", "/etc/passwd", h("application/json"), ""),
            404,
            "no such endpoint",
        ),
        (
            send(
                "POST",
                "/run",
                h("application/json"),
                &format!(r#"{{"code":"{}"}}"#, "x".repeat(70_000)),
            ),
            413,
            "larger than 65536 bytes",
        ),
    ];
    for (reply, status, text) in cases {
        assert_eq!(reply.status, status, "{}", reply.body);
        assert!(reply.body.contains(text), "{} lacks {text}", reply.body);
    }
    // A body announced as huge is refused before it is read.
    let huge = raw(
        r.port,
        format!(
            "POST /run HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAuthorization: {auth}\r\nContent-Type: application/json\r\nContent-Length: 99999999999\r\nConnection: close\r\n\r\n{{",
            r.port
        )
        .as_bytes(),
    );
    assert_eq!(huge.status, 413, "{}", huge.body);
    // Garbage instead of HTTP.
    let garbage = raw(r.port, b"\x00\x01\x02 not http at all\r\n\r\n");
    assert!(garbage.status == 0 || (400..500).contains(&garbage.status));
    let after = request(r.port, "GET", "/status", &[("Authorization", &auth)], "");
    assert_eq!(after.status, 200, "{}", after.body);
}

#[test]
fn each_run_works_in_a_temporary_folder_that_is_removed_afterwards() {
    let r: &'static Runner = {
        static R: OnceLock<Runner> = OnceLock::new();
        R.get_or_init(|| start("tmp", &[]))
    };
    let code = "std::fs::write(\"left-behind.txt\", \"x\").unwrap();\nprintln!(\"{}\", std::env::current_dir().unwrap().display());";
    let v = json(&run_on(r, code));
    assert_eq!(v["ok"], true, "{v}");
    let cwd = PathBuf::from(v["stdout"].as_str().unwrap_or_default().trim());
    assert!(
        cwd.starts_with(&r.work_dir),
        "{} is not under {}",
        cwd.display(),
        r.work_dir.display()
    );
    assert!(!cwd.exists(), "{} was not removed", cwd.display());
    let left: Vec<_> = std::fs::read_dir(&r.work_dir)
        .expect("work folder")
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn the_page_script_is_written_against_the_pinned_mdbook() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let tools = std::fs::read_to_string(root.join("scripts/tools.sh")).expect("tools.sh");
    let js = std::fs::read_to_string(root.join("src/assets/runner.js")).expect("runner.js");
    let version = tools
        .lines()
        .find_map(|l| l.strip_prefix("MDBOOK_VERSION="))
        .expect("MDBOOK_VERSION in tools.sh");
    assert!(
        js.contains(&format!("mdBook {version}")),
        "runner.js relies on mdBook's book.js: check it against mdBook {version} and say so in it"
    );
    let book = std::fs::read_to_string(root.join("book.toml")).expect("book.toml");
    assert!(book.contains("runnable = true") && book.contains("editable = true"));
}
