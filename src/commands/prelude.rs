//! What every command shares: the global flags, the output format and its
//! renderers (tables, JSON, IDs), confirmation prompts, progress, and the
//! per-invocation context that opens the target's platform on demand.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};
use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

use crate::plumbing::config::{ConfigFile, Target};
use crate::plumbing::error::{Error, Result};
use crate::plumbing::paths::Dirs;
use crate::plumbing::platform::{Platform, Progress};
use crate::plumbing::target;

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
        let out = Output {
            format: global.output,
            quiet: global.quiet,
            color: color_allowed(&global, stdout_tty),
            terminal: stdout_tty,
            w: stdout,
        };
        Ok(Context {
            global,
            dirs,
            out,
            platform: None,
        })
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
            let opened = target::open(&name, &target, &self.dirs, self.global.timeout).await?;
            self.platform = Some(opened);
        }
        Ok(self
            .platform
            .as_deref()
            .expect("the platform was opened above"))
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
        let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let set = flag.clone();
        let watcher = tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                set.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        });
        Cancellable {
            inner: self.progress(),
            flag,
            watcher,
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

impl Drop for TerminalProgress {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.get_mut().ok().and_then(Option::take) {
            bar.finish_and_clear();
        }
    }
}

/// A type that can be shown as a table row.
pub trait Row: Serialize {
    /// Column headers.
    fn headers() -> Vec<&'static str>;
    /// This row's cells, in header order.
    fn cells(&self) -> Vec<String>;
    /// What `--quiet` prints for this row.
    fn id(&self) -> String;
}

/// Renders results in the chosen format to stdout.
pub struct Output {
    /// The format.
    pub format: OutputFormat,
    /// IDs only.
    pub quiet: bool,
    /// Colors allowed.
    pub color: bool,
    /// Whether stdout is a terminal (tables are fitted to it).
    pub terminal: bool,
    w: Box<dyn Write + Send>,
}

impl std::fmt::Debug for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Output")
            .field("format", &self.format)
            .field("quiet", &self.quiet)
            .finish_non_exhaustive()
    }
}

/// Map an output write error: a closed pipe is reported as such so the
/// binary can exit quietly.
fn write_error(e: std::io::Error) -> Error {
    Error::io("writing to standard output", e)
}

impl Output {
    /// An output for tests and embedding: writes to `w`.
    pub fn to_writer(format: OutputFormat, quiet: bool, w: Box<dyn Write + Send>) -> Self {
        Output {
            format,
            quiet,
            color: false,
            terminal: false,
            w,
        }
    }

    /// The raw writer (for logs and process output).
    pub fn raw(&mut self) -> &mut (dyn Write + Send) {
        &mut *self.w
    }

    fn table(&self) -> Table {
        let mut table = Table::new();
        table.load_preset(presets::NOTHING);
        if self.terminal {
            table.set_content_arrangement(ContentArrangement::Dynamic);
        } else {
            table.force_no_tty();
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
        table
    }

    fn json(&mut self, value: &impl Serialize) -> Result<()> {
        serde_json::to_writer_pretty(&mut self.w, value).map_err(|e| write_error(e.into()))?;
        writeln!(self.w).map_err(write_error)?;
        self.w.flush().map_err(write_error)
    }

    /// A list: a table, a JSON array, or IDs.
    pub fn list<T: Row>(&mut self, rows: &[T]) -> Result<()> {
        if self.format == OutputFormat::Json {
            return self.json(&rows);
        }
        if self.quiet {
            for r in rows {
                writeln!(self.w, "{}", r.id()).map_err(write_error)?;
            }
            return self.w.flush().map_err(write_error);
        }
        let mut table = self.table();
        let headers = T::headers();
        if self.color {
            table.set_header(
                headers
                    .iter()
                    .map(|h| comfy_table::Cell::new(h).add_attribute(comfy_table::Attribute::Bold)),
            );
        } else {
            table.set_header(headers);
        }
        for r in rows {
            table.add_row(r.cells());
        }
        writeln!(self.w, "{}", render(table)).map_err(write_error)?;
        self.w.flush().map_err(write_error)
    }

    /// One object: a JSON object, its ID, or a two-column table of its
    /// fields (nested values written compactly).
    pub fn object<T: Serialize>(&mut self, value: &T, id: &str) -> Result<()> {
        if self.format == OutputFormat::Json {
            return self.json(value);
        }
        if self.quiet {
            writeln!(self.w, "{id}").map_err(write_error)?;
            return self.w.flush().map_err(write_error);
        }
        let json = serde_json::to_value(value)
            .map_err(|e| Error::other(format!("rendering the result: {e}")))?;
        let mut rows = Vec::new();
        flatten("", &json, &mut rows);
        let mut table = self.table();
        for row in rows {
            table.add_row(vec![row.0, row.1]);
        }
        writeln!(self.w, "{}", render(table)).map_err(write_error)?;
        self.w.flush().map_err(write_error)
    }

    /// Several objects (`inspect A B`): a JSON array, IDs, or tables one after
    /// another.
    pub fn objects<T: Serialize>(&mut self, values: &[(T, String)]) -> Result<()> {
        if self.format == OutputFormat::Json {
            let docs: Vec<&T> = values.iter().map(|(v, _)| v).collect();
            return if docs.len() == 1 {
                self.json(docs[0])
            } else {
                self.json(&docs)
            };
        }
        for (i, (v, id)) in values.iter().enumerate() {
            if i > 0 && !self.quiet {
                writeln!(self.w).map_err(write_error)?;
            }
            self.object(v, id)?;
        }
        Ok(())
    }

    /// The result of an action on one object (`login`, `target use`): a JSON
    /// object, its ID with `--quiet`, or one human line.
    pub fn action<T: Serialize>(&mut self, value: &T, id: &str, line: &str) -> Result<()> {
        if self.format == OutputFormat::Json {
            return self.json(value);
        }
        writeln!(self.w, "{}", if self.quiet { id } else { line }).map_err(write_error)?;
        self.w.flush().map_err(write_error)
    }

    /// The result of an action on objects (`start a b`, `rm x`): a JSON
    /// array of what changed, their IDs with `--quiet`, or one human line each.
    pub fn actions<T: Serialize>(&mut self, done: &[(T, String, String)]) -> Result<()> {
        if self.format == OutputFormat::Json {
            let docs: Vec<&T> = done.iter().map(|(v, _, _)| v).collect();
            return self.json(&docs);
        }
        for (_, id, line) in done {
            let text = if self.quiet { id } else { line };
            writeln!(self.w, "{text}").map_err(write_error)?;
        }
        self.w.flush().map_err(write_error)
    }
}

/// A borderless table with two spaces between columns and no trailing
/// blanks, like the tables of other container tools.
fn render(mut table: Table) -> String {
    for column in table.column_iter_mut() {
        column.set_padding((0, 2));
    }
    table
        .to_string()
        .lines()
        .map(|l| l.trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Flatten a JSON object into `(dotted.key, text)` rows: nested objects
/// become dotted keys, lists of plain values one line, anything else compact
/// JSON.
fn flatten(prefix: &str, value: &serde_json::Value, rows: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, rows);
            }
        }
        other => rows.push((prefix.to_string(), compact(other))),
    }
}

/// A JSON value written on one line for a table cell.
fn compact(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "-".into(),
        Value::Object(map) if map.is_empty() => "-".into(),
        Value::Array(items) if items.is_empty() => "-".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            items.iter().map(compact).collect::<Vec<_>>().join(" ")
        }
        Value::Object(map) if map.values().all(|i| !i.is_object() && !i.is_array()) => map
            .iter()
            .map(|(k, v)| format!("{k}={}", compact(v)))
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Serialize)]
    struct Item {
        name: String,
        size: u64,
    }

    impl Row for Item {
        fn headers() -> Vec<&'static str> {
            vec!["NAME", "SIZE"]
        }
        fn cells(&self) -> Vec<String> {
            vec![self.name.clone(), self.size.to_string()]
        }
        fn id(&self) -> String {
            self.name.clone()
        }
    }

    #[derive(Clone, Default)]
    struct Buf(Arc<Mutex<Vec<u8>>>);
    impl Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    impl Buf {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    fn items() -> Vec<Item> {
        vec![
            Item {
                name: "a".into(),
                size: 1,
            },
            Item {
                name: "bb".into(),
                size: 22,
            },
        ]
    }

    #[test]
    fn list_renders_three_ways() {
        let buf = Buf::default();
        let mut out = Output::to_writer(OutputFormat::Json, false, Box::new(buf.clone()));
        out.list(&items()).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&buf.text()).unwrap();
        assert_eq!(doc[1]["name"], "bb");
        assert_eq!(doc[1]["size"], 22);

        let buf = Buf::default();
        let mut out = Output::to_writer(OutputFormat::Table, true, Box::new(buf.clone()));
        out.list(&items()).unwrap();
        assert_eq!(buf.text(), "a\nbb\n");

        let buf = Buf::default();
        let mut out = Output::to_writer(OutputFormat::Table, false, Box::new(buf.clone()));
        out.list(&items()).unwrap();
        let text = buf.text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].contains("NAME") && lines[0].contains("SIZE"));
        assert!(lines[2].contains("bb") && lines[2].contains("22"));
        assert!(lines.iter().all(|l| !l.ends_with(' ')));
    }

    #[test]
    fn empty_list_in_json_is_an_empty_array() {
        let buf = Buf::default();
        let mut out = Output::to_writer(OutputFormat::Json, false, Box::new(buf.clone()));
        out.list::<Item>(&[]).unwrap();
        assert_eq!(buf.text().trim(), "[]");
    }

    #[test]
    fn object_table_flattens_nested_values() {
        let buf = Buf::default();
        let mut out = Output::to_writer(OutputFormat::Table, false, Box::new(buf.clone()));
        let value = serde_json::json!({
            "name": "web", "labels": {"a": "1"}, "exit_code": null, "ports": [1, 2], "empty": {}
        });
        out.object(&value, "web").unwrap();
        let text = buf.text();
        let rows: Vec<Vec<&str>> = text
            .lines()
            .map(|l| l.split_whitespace().collect())
            .collect();
        assert!(rows.contains(&vec!["labels.a", "1"]), "{text}");
        assert!(rows.contains(&vec!["exit_code", "-"]), "{text}");
        assert!(rows.contains(&vec!["ports", "1", "2"]), "{text}");
        assert!(rows.contains(&vec!["empty", "-"]), "{text}");
        assert!(text.lines().all(|l| !l.starts_with(' ')), "{text}");
    }

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("30").unwrap(), Duration::from_secs(30));
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert!(parse_duration("soon").is_err());
    }
}
