//! Compiling and running one example under limits: wall-clock time, output
//! size, memory and file size, in a temporary folder removed afterwards.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};

use super::deps::Deps;
use super::program::program;

/// Bytes of rustc's messages kept (a long list of errors is cut there).
const COMPILER_OUTPUT: usize = 256 * 1024;

/// The limits of one run.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Wall-clock time the program may run.
    pub time: Duration,
    /// Wall-clock time rustc may take.
    pub compile_time: Duration,
    /// Bytes of output (stdout and stderr together) kept; past it the program is stopped.
    pub output: usize,
    /// Address space of the program, in bytes (`ulimit -v`).
    pub memory: u64,
    /// Largest file the program may write, in bytes (`ulimit -f`).
    pub file_size: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            time: Duration::from_secs(10),
            compile_time: Duration::from_secs(60),
            output: 64 * 1024,
            memory: 1 << 30,
            file_size: 16 << 20,
        }
    }
}

/// How a program (or rustc) ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum End {
    /// It exited with this status (`None`: killed by a signal).
    Exited { code: Option<i32>, success: bool },
    /// It ran past the time limit and was killed.
    TimedOut,
    /// Its output passed the limit and it was killed.
    OutputCut,
}

/// What a process printed and how it ended.
#[derive(Clone, Debug)]
pub struct Captured {
    pub end: End,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

/// The answer to one request to run an example.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// `"compile"` if rustc refused the program, else `"run"`.
    pub stage: &'static str,
    /// The compiler's or the program's capture.
    pub captured: Captured,
    /// Time rustc took.
    pub compile_time: Duration,
    /// The text shown under the example, as the Rust Book shows the playground's.
    pub result: String,
}

/// Kills the process group `pgid` (the program and anything it started).
fn kill_group(pgid: u32) {
    let _ = Command::new("kill")
        .args(["-s", "KILL", "--", &format!("-{pgid}")])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Reads a pipe into a buffer until EOF or until the shared output budget
/// is spent (then it sets `cut` and stops reading, which closes the pipe).
fn reader(
    mut pipe: impl Read + Send + 'static,
    total: Arc<AtomicUsize>,
    cut: Arc<AtomicBool>,
    limit: usize,
    tx: mpsc::Sender<(usize, Vec<u8>)>,
    which: usize,
) {
    thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buf = [0u8; 16 * 1024];
        loop {
            match pipe.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let before = total.fetch_add(n, Ordering::SeqCst);
                    let room = limit.saturating_sub(before);
                    kept.extend_from_slice(&buf[..n.min(room)]);
                    if n > room {
                        cut.store(true, Ordering::SeqCst);
                        break;
                    }
                }
            }
        }
        let _ = tx.send((which, kept));
    });
}

/// Runs `cmd` in a process group of its own, with no input, keeping at most
/// `output` bytes of what it prints and killing the group at `time`.
pub fn run_limited(mut cmd: Command, time: Duration, output: usize) -> std::io::Result<Captured> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let started = Instant::now();
    let mut child: Child = cmd.spawn()?;
    let pgid = child.id();
    let total = Arc::new(AtomicUsize::new(0));
    let cut = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel();
    if let Some(out) = child.stdout.take() {
        reader(out, total.clone(), cut.clone(), output, tx.clone(), 0);
    }
    if let Some(err) = child.stderr.take() {
        reader(err, total.clone(), cut.clone(), output, tx.clone(), 1);
    }
    drop(tx);
    let deadline = started + time;
    let end = loop {
        if cut.load(Ordering::SeqCst) {
            kill_group(pgid);
            let _ = child.kill();
            let _ = child.wait();
            break End::OutputCut;
        }
        if let Some(status) = child.try_wait()? {
            break exited(status);
        }
        if Instant::now() >= deadline {
            kill_group(pgid);
            let _ = child.kill();
            let _ = child.wait();
            break End::TimedOut;
        }
        thread::sleep(Duration::from_millis(5));
    };
    // Whatever the program left running in its group goes too, so that the
    // pipes close; a process that left the group is still bound by the CPU
    // and memory limits it inherited, and its output is not waited for long.
    kill_group(pgid);
    let elapsed = started.elapsed();
    let mut streams = [Vec::new(), Vec::new()];
    let give_up = Instant::now() + Duration::from_secs(1);
    for _ in 0..2 {
        let left = give_up.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok((which, bytes)) => streams[which] = bytes,
            Err(_) => break,
        }
    }
    let end = if end != End::OutputCut && cut.load(Ordering::SeqCst) {
        End::OutputCut
    } else {
        end
    };
    let [stdout, stderr] = streams;
    Ok(Captured {
        end,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        elapsed,
    })
}

fn exited(status: ExitStatus) -> End {
    End::Exited {
        code: status.code(),
        success: status.success(),
    }
}

/// A command that runs `program args` under `sh`'s `ulimit`s: address space
/// `memory` bytes, files up to `file_size` bytes, `cpu_secs` of CPU time.
/// The limits are inherited by anything the program starts.
fn limited(program: &Path, memory: u64, file_size: u64, cpu_secs: u64) -> Command {
    let mut cmd = Command::new("/bin/sh");
    cmd.arg("-c")
        .arg(r#"ulimit -v "$1" && ulimit -f "$2" && ulimit -t "$3" && shift 3 && exec "$@""#)
        .arg("sh")
        .arg((memory / 1024).to_string())
        .arg((file_size / 1024).to_string())
        .arg(cpu_secs.to_string())
        .arg(program);
    cmd
}

/// Compiles `code` (an example as the book shows it) against the crate in a
/// fresh temporary folder under `work_dir`, runs it under `limits`, and
/// removes the folder.
pub fn compile_and_run(
    code: &str,
    edition: &str,
    deps: &Deps,
    limits: &Limits,
    work_dir: &Path,
) -> std::io::Result<Outcome> {
    let dir = tempfile::Builder::new()
        .prefix("run-")
        .tempdir_in(work_dir)?;
    let source = dir.path().join("main.rs");
    std::fs::write(&source, program(code))?;
    let binary = dir.path().join("example");

    // rustc: 4 GiB of address space, a binary of at most 512 MiB.
    let mut rustc = limited(
        &deps.rustc,
        4 << 30,
        512 << 20,
        limits.compile_time.as_secs() + 1,
    );
    rustc
        .current_dir(dir.path())
        .env_clear()
        .env(
            "PATH",
            std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into()),
        )
        .env("TMPDIR", dir.path())
        .args([
            "--edition",
            edition,
            "--crate-type",
            "bin",
            "--crate-name",
            "example",
        ])
        .args(["--color", "never", "-C", "debuginfo=0", "-C", "opt-level=1"])
        .arg("-o")
        .arg(&binary)
        .arg("main.rs");
    for d in &deps.search {
        rustc.arg("-L").arg(format!("dependency={}", d.display()));
    }
    for (name, file) in &deps.externs {
        rustc
            .arg("--extern")
            .arg(format!("{name}={}", file.display()));
    }
    let compiled = run_limited(rustc, limits.compile_time, COMPILER_OUTPUT)?;
    let compile_time = compiled.elapsed;
    let compiled_ok = matches!(compiled.end, End::Exited { success: true, .. });
    if !compiled_ok {
        let result = describe(&compiled, limits, true);
        return Ok(Outcome {
            stage: "compile",
            captured: compiled,
            compile_time,
            result,
        });
    }
    let mut run = limited(
        &binary,
        limits.memory,
        limits.file_size,
        limits.time.as_secs() + 1,
    );
    run.current_dir(dir.path())
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", dir.path())
        .env("TMPDIR", dir.path())
        .env("RUST_BACKTRACE", "0");
    let captured = run_limited(run, limits.time, limits.output)?;
    let result = describe(&captured, limits, false);
    drop(dir);
    Ok(Outcome {
        stage: "run",
        captured,
        compile_time,
        result,
    })
}

/// The text shown under an example: what it printed, and a line from the
/// runner when it did not end normally.
fn describe(c: &Captured, limits: &Limits, compiling: bool) -> String {
    let mut text = String::new();
    if compiling {
        text.push_str(&c.stderr);
    } else {
        text.push_str(&c.stdout);
        if !c.stderr.is_empty() {
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str(&c.stderr);
        }
    }
    let who = if compiling { "rustc" } else { "the program" };
    let note = match &c.end {
        End::Exited { success: true, .. } => None,
        End::Exited { code: Some(n), .. } if compiling => {
            (c.stderr.trim().is_empty()).then(|| format!("rustc failed with exit status {n}"))
        }
        End::Exited { code: Some(n), .. } => Some(format!("{who} exited with status {n}")),
        End::Exited { code: None, .. } => Some(format!(
            "{who} was killed by a signal (the CPU limit of {} s or the memory limit of {} MiB?)",
            limits.time.as_secs() + 1,
            limits.memory >> 20
        )),
        End::TimedOut => Some(format!(
            "stopped: {who} ran longer than {} s, the time limit of a run",
            if compiling { limits.compile_time } else { limits.time }.as_secs()
        )),
        End::OutputCut => Some(format!(
            "stopped: {who} printed more than {} KiB, the output limit of a run; the output is cut there",
            if compiling { COMPILER_OUTPUT } else { limits.output } / 1024
        )),
    };
    if let Some(note) = note {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&format!("[runner] {note}\n"));
    }
    text
}
