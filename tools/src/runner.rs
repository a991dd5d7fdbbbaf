//! The local runner: compiles and runs the book's examples against this
//! crate, for the Run buttons of the book's pages.
//!
//! `make serve` starts it next to the book (`runner serve`, see
//! `src/bin/runner.rs`). It builds the library once (see [`deps`]), then
//! answers `POST /run` with `{"code": "...", "edition": "2021"}` by
//! compiling the code as rustdoc compiles a doctest ([`program`]) and
//! running it under limits ([`exec`]); the answer holds what the program
//! printed, or rustc's errors. The book's `assets/runner.js` sends the
//! Run and edit buttons' code here.
//!
//! # Threat model
//!
//! A server that runs code is a way in for any web page the reader visits:
//! any page can make the reader's browser send requests to
//! `http://127.0.0.1:<port>`. The reader's own code is *not* the threat (it
//! runs with the reader's rights, as `cargo run` would); the runner must
//! make sure that nobody else's code runs, and that no example, however
//! wrong, takes the machine down. So ([`server`]):
//!
//! * **Loopback only.** It binds 127.0.0.1 and refuses any other address:
//!   other machines cannot reach it.
//! * **A secret token**, 32 random bytes from the OS, made at start and
//!   required on every request (`Authorization: Bearer ...`), compared in
//!   constant time. It is handed to the book's pages the way Jupyter does
//!   it: the runner prints a link to the book with the token in the URL's
//!   *fragment* (`#runner-port=...&runner-token=...`), which browsers never
//!   send to a server; `runner.js` moves it to the tab's `sessionStorage`
//!   and removes it from the address bar. It is never written into the
//!   built book (`book/`), so reading the book's files does not reveal it,
//!   and it dies with the runner.
//! * **Origin.** A browser names the page behind each cross-origin request
//!   in `Origin`, and a page cannot forge it. Requests whose `Origin` is not
//!   one of the book's (`http://127.0.0.1:<book port>`,
//!   `http://localhost:<book port>`) are refused with 403, and only those
//!   origins get CORS preflight answers and `Access-Control-Allow-Origin`,
//!   so another page can neither send a run nor read an answer.
//! * **Host.** A page at `evil.example` whose DNS name is made to resolve to
//!   127.0.0.1 (DNS rebinding) would be same-origin with the runner; its
//!   requests carry `Host: evil.example:<port>` and are refused: only
//!   `127.0.0.1:<port>` and `localhost:<port>` are accepted.
//! * **Limits of a run** ([`exec::Limits`]): wall-clock time (10 s by
//!   default; the process group is killed), output (64 KiB, then the
//!   program is stopped), address space (1 GiB, `ulimit -v`), CPU time and
//!   file size (`ulimit -t`, `ulimit -f`, inherited by any child), a fresh
//!   temporary folder as working directory, removed afterwards, and an
//!   empty environment.
//! * **Runs at once.** Two run (the machine's cores), six more may wait;
//!   any further request is answered 429 at once. Requests are answered by a
//!   fixed pool of threads.
//! * **Requests.** The body is at most 64 KiB (413), must be JSON (415,
//!   400 with the parser's message), and a malformed request gets a 4xx; a
//!   failing handler answers 500 and the server goes on.
//!
//! What it does not do: it is not a sandbox against the reader's own
//! program, which can read and write the reader's files like any program
//! they run; and a local process of another user could still send it
//! requests if it learnt the token (it is only in the runner's terminal and
//! the browser tab).

pub mod deps;
pub mod editable;
pub mod exec;
pub mod program;
pub mod server;

pub use exec::Limits;
pub use server::{new_token, Config, Runner};
