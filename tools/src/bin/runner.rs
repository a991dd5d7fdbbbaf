//! `runner`: the local runner of the book's examples, and the preprocessor
//! that makes them editable (see `book_tools::runner`).
//!
//! * `runner serve [--port 3001] [--book-port 3000] [--time-limit 10]
//!   [--output-limit 65536] [--memory-limit-mib 1024] [--max-running 2]
//!   [--max-waiting 6] [--work-dir DIR] [--exit-on-stdin-close]`: build the
//!   crate once, listen on 127.0.0.1 and print the link that opens the book
//!   with the runner's token;
//! * `runner preprocess [supports <renderer>]`: the mdBook preprocessor
//!   (book.toml runs it for the HTML book only).

use std::io::{BufRead, Read, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::process::exit;
use std::time::Duration;

use book_tools::runner::{deps, editable, new_token, Config, Limits, Runner};

fn fail(msg: &str) -> ! {
    eprintln!("runner: {msg}");
    exit(2)
}

fn number<T: std::str::FromStr>(flag: &str, value: Option<&String>) -> T {
    value
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| fail(&format!("{flag} needs a number")))
}

fn serve(args: &[String]) {
    let mut port: u16 = 3001;
    let mut book_port: u16 = 3000;
    let mut limits = Limits::default();
    let mut max_running = 2;
    let mut max_waiting = 6;
    let mut work_dir = std::env::temp_dir();
    let mut watch_stdin = false;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--port" => port = number(flag, it.next()),
            "--book-port" => book_port = number(flag, it.next()),
            "--time-limit" => limits.time = Duration::from_secs(number(flag, it.next())),
            "--output-limit" => limits.output = number(flag, it.next()),
            "--memory-limit-mib" => limits.memory = number::<u64>(flag, it.next()) << 20,
            "--max-running" => max_running = number(flag, it.next()),
            "--max-waiting" => max_waiting = number(flag, it.next()),
            "--work-dir" => {
                work_dir = it
                    .next()
                    .unwrap_or_else(|| fail("--work-dir needs a folder"))
                    .into()
            }
            "--exit-on-stdin-close" => watch_stdin = true,
            other => fail(&format!("unknown option {other}")),
        }
    }
    let root = book_tools::book_root();
    eprintln!("runner: building verified_dl for the examples (once)");
    let deps = deps::prepare(&root).unwrap_or_else(|e| fail(&e));
    let token = new_token().unwrap_or_else(|e| fail(&e));
    let book_origins = vec![
        format!("http://127.0.0.1:{book_port}"),
        format!("http://localhost:{book_port}"),
    ];
    let config = Config {
        listen: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
        book_origins: book_origins.clone(),
        token: token.clone(),
        limits,
        max_running,
        max_waiting,
        body_limit: 64 * 1024,
        work_dir,
        threads: 2,
    };
    let runner = Runner::bind(config, deps).unwrap_or_else(|e| fail(&e));
    let port = runner.addr.port();
    println!(
        "runner: listening on http://127.0.0.1:{port} (loopback only), for the book at {}",
        book_origins[0]
    );
    println!(
        "runner: open the book with this link to run its examples: {}/#runner-port={port}&runner-token={token}",
        book_origins[0]
    );
    let _ = std::io::stdout().flush();
    if watch_stdin {
        // Ends the runner when whoever started it goes away (its end of the
        // pipe closes): the tests and the browser check start it this way.
        std::thread::spawn(|| {
            let mut sink = Vec::new();
            let _ = std::io::stdin().lock().read_until(0, &mut sink);
            exit(0);
        });
    }
    if let Err(e) = runner.serve() {
        fail(&e);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        Some("preprocess") => {
            if args.get(1).map(String::as_str) == Some("supports") {
                // Only the HTML book has Run buttons; `mdbook test` gets the
                // chapters as they are written.
                exit(if args.get(2).map(String::as_str) == Some("html") {
                    0
                } else {
                    1
                });
            }
            let mut input = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut input) {
                fail(&format!("cannot read the book from mdBook: {e}"));
            }
            match editable::preprocess(&input) {
                Ok(book) => println!("{book}"),
                Err(e) => fail(&format!("editable examples: {e}")),
            }
        }
        _ => {
            eprintln!("usage: runner serve [options] | runner preprocess [supports <renderer>]");
            exit(2);
        }
    }
}
