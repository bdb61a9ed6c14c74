//! What every command shares: the global flags, the per-invocation context
//! that opens the target's platform on demand (or is built around one),
//! confirmation prompts, and, in `output`, `progress` and `window`, the
//! renderers, progress bars and `--since`/`--until`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

use crate::plumbing::config::{ConfigFile, Target};
use crate::plumbing::domain::Domains;
use crate::plumbing::error::{Error, Result};
use crate::plumbing::paths::Dirs;
use crate::plumbing::platform::{Platform, Progress};
use crate::plumbing::target;

mod output;
mod progress;
mod window;

pub use output::{Output, Row};
pub use progress::{Cancellable, LineProgress, TerminalProgress};
pub use window::{Place, WindowArgs};

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    /// Human tables fitted to the terminal.
    #[default]
    Table,
    /// Exactly one JSON document on stdout.
    Json,
}

/// Flags every command accepts.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// The target to use (default: the current target, else `local`)
    #[arg(
        short = 'T',
        long,
        env = "VICPORT_TARGET",
        global = true,
        value_name = "NAME"
    )]
    pub target: Option<String>,

    /// Output format
    #[arg(short = 'o', long, env = "VICPORT_OUTPUT", global = true, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,

    /// Print only IDs (or names), one per line
    #[arg(short = 'q', long, global = true)]
    pub quiet: bool,

    /// Trace what vicport does to stderr
    #[arg(long, global = true)]
    pub debug: bool,

    /// Never color output (also: NO_COLOR set to anything)
    #[arg(long, global = true)]
    pub no_color: bool,

    /// Answer yes to confirmations of destructive operations
    #[arg(short = 'y', long, global = true)]
    pub yes: bool,

    /// The local platform's state directory
    #[arg(long, env = "VICPORT_STATE_DIR", global = true, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,

    /// Give up on a platform call after this long (e.g. 30s, 2m)
    #[arg(long, env = "VICPORT_TIMEOUT", global = true, value_name = "DURATION", value_parser = parse_duration, default_value = "60s")]
    pub timeout: Duration,
}

/// Parse `30s`, `2m`, `1h30m`, or plain seconds.
pub fn parse_duration(text: &str) -> std::result::Result<Duration, String> {
    if let Ok(secs) = text.parse::<u64>() {
        return Ok(Duration::from_secs(secs));
    }
    humantime::parse_duration(text).map_err(|e| format!("{e} (use e.g. 30s, 2m, 1h)"))
}

/// What a command asks the binary to exit with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Success (exit 0).
    Done,
    /// A process's own exit code (`run`, `exec`).
    Exit(u8),
}

/// Whether colors may be used on a stream that is (or is not) a terminal.
pub fn color_allowed(global: &GlobalArgs, is_terminal: bool) -> bool {
    is_terminal && !global.no_color && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// One invocation's context.
pub struct Context {
    /// The global flags.
    pub global: GlobalArgs,
    /// Resolved directories.
    pub dirs: Dirs,
    /// Where results go.
    pub out: Output,
    platform: Option<Box<dyn Platform>>,
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("global", &self.global)
            .field("dirs", &self.dirs)
            .finish_non_exhaustive()
    }
}

impl Context {
    /// A context writing to `stdout`.
    pub fn new(
        global: GlobalArgs,
        stdout: Box<dyn Write + Send>,
        stdout_tty: bool,
    ) -> Result<Self> {
        let dirs = Dirs::from_env(global.state_dir.clone())?;
        let out = Output::new(
            global.output,
            global.quiet,
            color_allowed(&global, stdout_tty),
            stdout_tty,
            stdout,
        );
        Ok(Context {
            global,
            dirs,
            out,
            platform: None,
        })
    }

    /// A context around a platform that is already open, writing to `out`:
    /// commands run in-process against it (tests, and engines embedding
    /// the CLI's commands).
    pub fn with_platform(
        global: GlobalArgs,
        dirs: Dirs,
        out: Output,
        platform: Box<dyn Platform>,
    ) -> Self {
        Context {
            global,
            dirs,
            out,
            platform: Some(platform),
        }
    }

    /// The config file.
    pub fn config_file(&self) -> ConfigFile {
        ConfigFile::new(&self.dirs.config_file)
    }

    /// The target this invocation uses: its name and settings.
    pub fn target(&self) -> Result<(String, Target)> {
        self.config_file()
            .load()?
            .resolve(self.global.target.as_deref())
    }

    /// The target's platform, opened on first use.
    pub async fn platform(&mut self) -> Result<&dyn Platform> {
        if self.platform.is_none() {
            let (name, target) = self.target()?;
            let mut opened = target::open(&name, &target, &self.dirs, self.global.timeout).await?;
            opened.set_build_progress(self.build_progress());
            self.platform = Some(opened);
        }
        Ok(self
            .platform
            .as_deref()
            .expect("the platform was opened above"))
    }

    /// Close the opened platform once the command is done. With `--debug`,
    /// returns the round trips it made as the line the binary writes last
    /// to stderr (`vsphere: 11 round trips`).
    pub fn finish(&mut self) -> Option<String> {
        let platform = self.platform.take()?;
        let trips = platform.round_trips();
        drop(platform);
        let (what, n) = trips.filter(|_| self.global.debug)?;
        Some(format!("{what}: {n} round trips"))
    }

    /// The domain layer over the target's platform.
    pub async fn domains(&mut self) -> Result<Domains<'_>> {
        Ok(Domains::new(self.platform().await?))
    }

    /// The platform and the output together (for commands that stream into
    /// the output while talking to the platform).
    pub async fn parts(&mut self) -> Result<(&dyn Platform, &mut Output)> {
        self.platform().await?;
        let platform = self
            .platform
            .as_deref()
            .expect("the platform was opened above");
        Ok((platform, &mut self.out))
    }

    /// Ask before a destructive operation. `--yes` answers yes; without a
    /// terminal there is nobody to ask, so the operation is refused with a
    /// hint to pass `--yes`.
    pub fn confirm(&self, question: &str) -> Result<()> {
        if self.global.yes {
            return Ok(());
        }
        if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
            return Err(
                Error::invalid(format!("{question}: refusing without confirmation"))
                    .with_hint("pass --yes to confirm when standard input is not a terminal"),
            );
        }
        let yes = dialoguer::Confirm::new()
            .with_prompt(question)
            .default(false)
            .interact()
            .map_err(|e| Error::other(format!("reading the answer: {e}")))?;
        if yes {
            Ok(())
        } else {
            Err(Error::interrupted(question).with_hint("nothing was changed"))
        }
    }

    /// A progress reporter like [`Context::progress`] whose operation stops
    /// cleanly on Ctrl-C (it then fails with `interrupted`, exit 130).
    pub fn cancellable_progress(&self) -> Cancellable {
        Cancellable::new(self.progress())
    }

    /// Where a platform's first-use build (the boot image: a minute, once)
    /// says what it does: a spinner on a terminal, else one line on
    /// stderr, nothing with `--quiet`, nor with `-o json` off a terminal
    /// (stderr then holds one JSON error document at most).
    pub fn build_progress(&self) -> std::sync::Arc<dyn Progress> {
        let json = self.global.output == OutputFormat::Json;
        if self.global.quiet || (json && !std::io::stderr().is_terminal()) {
            std::sync::Arc::new(crate::plumbing::platform::NoProgress)
        } else if std::io::stderr().is_terminal() {
            std::sync::Arc::new(TerminalProgress::default())
        } else {
            std::sync::Arc::new(LineProgress::default())
        }
    }

    /// A progress reporter: bars on stderr when it is a terminal and the
    /// output is for humans, nothing otherwise.
    pub fn progress(&self) -> Box<dyn Progress> {
        if std::io::stderr().is_terminal()
            && !self.global.quiet
            && self.global.output == OutputFormat::Table
        {
            Box::new(TerminalProgress::default())
        } else {
            Box::new(crate::plumbing::platform::NoProgress)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("30").unwrap(), Duration::from_secs(30));
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert!(parse_duration("soon").is_err());
    }
}
