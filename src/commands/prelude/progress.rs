//! Progress on a terminal: indicatif bars per phase on stderr, and the
//! Ctrl-C flag long operations check to stop cleanly.

use std::time::Duration;

use crate::plumbing::platform::Progress;

/// Progress that can be cancelled with Ctrl-C: the first SIGINT sets the
/// flag long operations check (they stop and clean up); it replaces the
/// default "die at once" only for the operation that watches the flag.
pub struct Cancellable {
    inner: Box<dyn Progress>,
    flag: std::sync::Arc<std::sync::atomic::AtomicBool>,
    watcher: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for Cancellable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cancellable").finish_non_exhaustive()
    }
}

impl Cancellable {
    /// `inner`, with a Ctrl-C watcher setting the flag.
    pub fn new(inner: Box<dyn Progress>) -> Self {
        let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let set = flag.clone();
        let watcher = tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                set.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        });
        Cancellable {
            inner,
            flag,
            watcher,
        }
    }
}

impl Progress for Cancellable {
    fn phase(&self, name: &str, total: Option<u64>) {
        self.inner.phase(name, total);
    }
    fn advance(&self, n: u64) {
        self.inner.advance(n);
    }
    fn note(&self, message: &str) {
        self.inner.note(message);
    }
    fn cancel_flag(&self) -> Option<std::sync::Arc<std::sync::atomic::AtomicBool>> {
        Some(self.flag.clone())
    }
}

impl Drop for Cancellable {
    fn drop(&mut self) {
        self.watcher.abort();
    }
}

/// Progress bars with indicatif, one per phase.
#[derive(Debug, Default)]
pub struct TerminalProgress {
    bar: std::sync::Mutex<Option<indicatif::ProgressBar>>,
}

impl Progress for TerminalProgress {
    fn phase(&self, name: &str, total: Option<u64>) {
        let mut slot = self.bar.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(old) = slot.take() {
            old.finish_and_clear();
        }
        let bar = match total {
            Some(n) => {
                let bar = indicatif::ProgressBar::new(n);
                bar.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{msg:24} [{bar:30}] {bytes}/{total_bytes} {eta}",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                    .progress_chars("=> "),
                );
                bar
            }
            None => {
                let bar = indicatif::ProgressBar::new_spinner();
                bar.enable_steady_tick(Duration::from_millis(120));
                bar
            }
        };
        bar.set_message(name.to_string());
        *slot = Some(bar);
    }

    fn advance(&self, n: u64) {
        if let Some(bar) = self.bar.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            bar.inc(n);
        }
    }

    fn done(&self) {
        if let Some(bar) = self.bar.lock().unwrap_or_else(|e| e.into_inner()).take() {
            bar.finish_and_clear();
        }
    }

    fn note(&self, message: &str) {
        match self.bar.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            Some(bar) => bar.println(message),
            None => {
                #[allow(clippy::print_stderr)] // the terminal is stderr
                {
                    eprintln!("{message}");
                }
            }
        }
    }
}

/// Off a terminal: the first phase only, as one line on stderr (what a
/// long first-use build is doing, or that it waits for one, for a log or a
/// CI job); no bars, and not its steps.
#[derive(Debug, Default)]
pub struct LineProgress {
    said: std::sync::atomic::AtomicBool,
}

impl Progress for LineProgress {
    fn phase(&self, name: &str, _total: Option<u64>) {
        if !self.said.swap(true, std::sync::atomic::Ordering::SeqCst) {
            #[allow(clippy::print_stderr)] // a notice, not output
            {
                eprintln!("vicport: {name}");
            }
        }
    }

    fn advance(&self, _n: u64) {}
}

impl Drop for TerminalProgress {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.get_mut().ok().and_then(Option::take) {
            bar.finish_and_clear();
        }
    }
}
