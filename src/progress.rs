//! `Progress` of a build, on standard error: a progress bar on a terminal once
//! the build has run for a second, a plain log line every few seconds when
//! standard error is not a terminal (CI logs, pipes), nothing with `--quiet`.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Quiet,
    /// A bar, drawn only after the first second.
    Bar,
    /// A line every `LOG_EVERY`.
    Log,
}

const SHOW_AFTER: Duration = Duration::from_secs(1);
const LOG_EVERY: Duration = Duration::from_secs(5);

/// Progress over the documents of one build.
pub struct Progress {
    mode: Mode,
    state: Mutex<State>,
}

struct State {
    started: Instant,
    last_log: Instant,
    total: usize,
    done: usize,
    bytes: u64,
    bar: Option<ProgressBar>,
}

impl Progress {
    /// Progress shown as `mode`; [`Progress::for_stderr`] picks it.
    pub fn new(mode: Mode) -> Progress {
        let now = Instant::now();
        Progress {
            mode,
            state: Mutex::new(State {
                started: now,
                last_log: now,
                total: 0,
                done: 0,
                bytes: 0,
                bar: None,
            }),
        }
    }

    /// A bar when standard error is a terminal, log lines otherwise.
    pub fn for_stderr(quiet: bool) -> Progress {
        Progress::new(if quiet {
            Mode::Quiet
        } else if std::io::stderr().is_terminal() {
            Mode::Bar
        } else {
            Mode::Log
        })
    }

    /// The build will read `total` documents.
    pub fn start(&self, total: usize) {
        let mut s = self.state.lock().expect("progress");
        s.total = total;
        s.started = Instant::now();
        s.last_log = s.started;
    }

    /// `n` more documents, of `bytes` bytes together, are done (called from
    /// any worker thread).
    pub fn advance(&self, n: usize, bytes: u64) {
        let mut s = self.state.lock().expect("progress");
        s.done += n;
        s.bytes += bytes;
        let elapsed = s.started.elapsed();
        let mib = s.bytes as f64 / (1024.0 * 1024.0);
        let rate = mib / elapsed.as_secs_f64().max(1e-9);
        match self.mode {
            Mode::Quiet => {}
            Mode::Bar => {
                if s.bar.is_none() && elapsed >= SHOW_AFTER {
                    let bar = ProgressBar::with_draw_target(
                        Some(s.total as u64),
                        ProgressDrawTarget::stderr(),
                    );
                    bar.set_style(
                        ProgressStyle::with_template(
                            "{elapsed_precise} [{bar:30}] {pos}/{len} documents  {msg}  eta {eta}",
                        )
                        .expect("progress template")
                        .progress_chars("=> "),
                    );
                    s.bar = Some(bar);
                }
                let done = s.done as u64;
                if let Some(bar) = &s.bar {
                    bar.set_position(done);
                    bar.set_message(format!("{mib:.1} MiB, {rate:.1} MiB/s"));
                }
            }
            Mode::Log => {
                if s.last_log.elapsed() >= LOG_EVERY && s.done < s.total {
                    s.last_log = Instant::now();
                    eprintln!(
                        "policygraph: {}/{} documents, {mib:.1} MiB, {rate:.1} MiB/s",
                        s.done, s.total
                    );
                }
            }
        }
    }

    /// Removes the bar (the build's summary follows).
    pub fn finish(&self) {
        let s = self.state.lock().expect("progress");
        if let Some(bar) = &s.bar {
            bar.finish_and_clear();
        }
    }
}
