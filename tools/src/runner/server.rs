//! The HTTP side of the runner: who may ask, what they may send, and how
//! many runs happen at once. See the module `runner` for the threat model.

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};
use tokio::sync::Semaphore;

/// How long the runner waits for a request's body.
const BODY_DEADLINE: std::time::Duration = std::time::Duration::from_secs(10);

use super::deps::Deps;
use super::exec::{compile_and_run, End, Limits};

/// Everything the runner is started with.
#[derive(Clone, Debug)]
pub struct Config {
    /// Loopback address to listen on (port 0: any free port).
    pub listen: SocketAddr,
    /// The origins of the book's pages, e.g. `http://127.0.0.1:3000`.
    pub book_origins: Vec<String>,
    /// The secret every request must carry (`Authorization: Bearer ...`).
    pub token: String,
    /// Limits of each run.
    pub limits: Limits,
    /// Runs at once.
    pub max_running: usize,
    /// Runs waiting for a free slot; one more is refused with 429.
    pub max_waiting: usize,
    /// Largest request body, in bytes.
    pub body_limit: usize,
    /// Where each run's temporary folder is made.
    pub work_dir: PathBuf,
    /// Threads answering requests (the runs themselves run on threads of their own).
    pub threads: usize,
}

/// A fresh secret of 32 random bytes from the operating system, in hex.
pub fn new_token() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness from the OS: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

struct Shared {
    config: Config,
    deps: Deps,
    hosts: Vec<String>,
    /// Run slots: `max_running` permits.
    running: Semaphore,
    /// Runs going or waiting for a permit.
    admitted: AtomicUsize,
}

/// A runner listening on the loopback interface.
pub struct Runner {
    listener: TcpListener,
    shared: Arc<Shared>,
    /// The address it listens on.
    pub addr: SocketAddr,
}

impl Runner {
    /// Binds the listening socket; refuses any address that is not loopback.
    pub fn bind(config: Config, deps: Deps) -> Result<Runner, String> {
        if !config.listen.ip().is_loopback() {
            return Err(format!(
                "the runner listens on the loopback interface only, not {}",
                config.listen.ip()
            ));
        }
        if config.token.len() < 32 {
            return Err("the token must have at least 32 characters".into());
        }
        let listener = TcpListener::bind(config.listen)
            .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        listener.set_nonblocking(true).map_err(|e| e.to_string())?;
        let port = addr.port();
        let hosts = vec![format!("127.0.0.1:{port}"), format!("localhost:{port}")];
        let running = Semaphore::new(config.max_running.max(1));
        Ok(Runner {
            listener,
            shared: Arc::new(Shared {
                config,
                deps,
                hosts,
                running,
                admitted: AtomicUsize::new(0),
            }),
            addr,
        })
    }

    /// The routes and the checks every request passes first.
    fn app(shared: Arc<Shared>) -> Router {
        let limit = shared.config.body_limit;
        Router::new()
            .route("/run", post(run).fallback(wrong_method))
            .route("/status", get(status).fallback(wrong_method))
            .fallback(|| async {
                refuse(
                    StatusCode::NOT_FOUND,
                    "no such endpoint (POST /run, GET /status)",
                )
            })
            .layer(DefaultBodyLimit::max(limit))
            .layer(middleware::from_fn_with_state(shared.clone(), guard))
            .with_state(shared)
    }

    /// Answers requests until the process ends.
    pub fn serve(self) -> Result<(), String> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(self.shared.config.threads.max(1))
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| format!("cannot start the runtime: {e}"))?;
        let app = Runner::app(self.shared);
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(self.listener)
                .map_err(|e| format!("cannot listen: {e}"))?;
            axum::serve(listener, app)
                .await
                .map_err(|e| format!("the server stopped: {e}"))
        })
    }
}

async fn wrong_method() -> Response {
    refuse(
        StatusCode::METHOD_NOT_ALLOWED,
        "method not allowed (POST /run, GET /status)",
    )
}

fn refuse(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        json!({ "error": message }).to_string(),
    )
        .into_response()
}

/// Equality that takes the same time wherever the strings differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The checks of every request, in this order: Host, Origin, the CORS
/// preflight, the token. Whatever passes gets the book's origin in
/// `Access-Control-Allow-Origin`; nothing else ever does.
async fn guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    // 1. Host: only the names of the loopback address. A page of another
    // site whose name was made to resolve to 127.0.0.1 (DNS rebinding)
    // sends its own name here.
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !shared.hosts.contains(&host) {
        let msg = format!(
            "refused: the runner answers only to Host {}",
            shared.hosts.join(" or ")
        );
        return refuse(StatusCode::FORBIDDEN, &msg);
    }
    // 2. Origin: a browser names the page that makes a cross-origin request,
    // and the page cannot forge it; only the book's pages may ask. (A
    // request without Origin is not a cross-origin browser request; it
    // still needs the token.)
    let origin = match headers.get(header::ORIGIN) {
        None => None,
        Some(o) => match o.to_str() {
            Ok(o) if shared.config.book_origins.iter().any(|b| b == o) => Some(o.to_string()),
            _ => {
                let msg = format!("refused: requests from the origin {o:?} are not allowed");
                return refuse(StatusCode::FORBIDDEN, &msg);
            }
        },
    };
    let mut response = if request.method() == Method::OPTIONS {
        // 3. A CORS preflight, for the book's origin only.
        if origin.is_none() {
            return refuse(
                StatusCode::FORBIDDEN,
                "refused: a preflight without the book's origin",
            );
        }
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("POST, GET"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("authorization, content-type"),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        r
    } else {
        // 4. The token.
        let expected = format!("Bearer {}", shared.config.token);
        match headers.get(header::AUTHORIZATION) {
            None => refuse(
                StatusCode::UNAUTHORIZED,
                "refused: no token; open the book through the link `make serve` printed",
            ),
            Some(given) if !same_secret(given.as_bytes(), expected.as_bytes()) => refuse(
                StatusCode::UNAUTHORIZED,
                "refused: wrong token; open the book through the link `make serve` printed",
            ),
            Some(_) => next.run(request).await,
        }
    };
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::VARY, HeaderValue::from_static("Origin"));
    if let Some(o) = origin.and_then(|o| HeaderValue::from_str(&o).ok()) {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, o);
    }
    response
}

async fn status(State(shared): State<Arc<Shared>>) -> Response {
    let l = &shared.config.limits;
    let body = json!({
        "runner": "verified_dl",
        "time_limit_s": l.time.as_secs(),
        "output_limit_bytes": l.output,
        "memory_limit_bytes": l.memory,
        "max_running": shared.config.max_running,
        "max_waiting": shared.config.max_waiting,
    });
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body.to_string(),
    )
        .into_response()
}

/// Gives back a place among the admitted runs.
struct Admitted<'a>(&'a AtomicUsize);

impl Drop for Admitted<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn run(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let limit = shared.config.body_limit;
    let too_large = || {
        refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("the body is larger than {limit} bytes"),
        )
    };
    let (parts, body) = request.into_parts();
    let headers = parts.headers;
    let announced = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit as u64) {
        return too_large();
    }
    // The body is read with a deadline: a client that announces a body and
    // never sends it does not hold a request open for ever.
    let body = match tokio::time::timeout(BODY_DEADLINE, axum::body::to_bytes(body, limit)).await {
        Err(_) => {
            return refuse(
                StatusCode::REQUEST_TIMEOUT,
                "the body did not arrive in time",
            )
        }
        Ok(Err(_)) => return too_large(),
        Ok(Ok(b)) => b,
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !content_type.starts_with("application/json") {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the body must be JSON (Content-Type: application/json)",
        );
    }
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                &format!("the body is not valid JSON: {e}"),
            )
        }
    };
    let Some(code) = value
        .get("code")
        .and_then(Value::as_str)
        .map(str::to_string)
    else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "the body has no string field \"code\"",
        );
    };
    let edition = match value.get("edition") {
        None | Some(Value::Null) => "2021".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => return refuse(StatusCode::BAD_REQUEST, "\"edition\" must be a string"),
    };
    if !["2015", "2018", "2021", "2024"].contains(&edition.as_str()) {
        let msg = format!("unknown edition {edition:?} (2015, 2018, 2021 or 2024)");
        return refuse(StatusCode::BAD_REQUEST, &msg);
    }
    // At most max_running + max_waiting runs are admitted; the next is
    // refused at once, so a reader hammering the button queues nothing more.
    let c = &shared.config;
    let before = shared.admitted.fetch_add(1, Ordering::SeqCst);
    let _admitted = Admitted(&shared.admitted);
    if before >= c.max_running + c.max_waiting {
        let msg = format!(
            "busy: {} runs are going and {} waiting; try again in a moment",
            c.max_running, c.max_waiting
        );
        let mut r = refuse(StatusCode::TOO_MANY_REQUESTS, &msg);
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
        return r;
    }
    let Ok(_permit) = shared.running.acquire().await else {
        return refuse(StatusCode::SERVICE_UNAVAILABLE, "the runner is stopping");
    };
    let job = shared.clone();
    let outcome = tokio::task::spawn_blocking(move || {
        compile_and_run(
            &code,
            &edition,
            &job.deps,
            &job.config.limits,
            &job.config.work_dir,
        )
    })
    .await;
    match outcome {
        Ok(Ok(o)) => {
            let end = match &o.captured.end {
                End::Exited { success: true, .. } => "success",
                End::Exited { code: Some(_), .. } => "failure",
                End::Exited { code: None, .. } => "killed",
                End::TimedOut => "timeout",
                End::OutputCut => "output-limit",
            };
            let body = json!({
                "ok": o.stage == "run" && end == "success",
                "stage": o.stage,
                "end": end,
                "result": o.result,
                "stdout": o.captured.stdout,
                "stderr": o.captured.stderr,
                "compile_ms": o.compile_time.as_millis() as u64,
                "run_ms": if o.stage == "run" { o.captured.elapsed.as_millis() as u64 } else { 0 },
            });
            (
                [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
                body.to_string(),
            )
                .into_response()
        }
        Ok(Err(e)) => refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("the runner could not run the program: {e}"),
        ),
        Err(_) => refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the run failed inside the runner",
        ),
    }
}
