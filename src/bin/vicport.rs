//! The `vicport` binary: parse the command line, set up tracing once, run
//! the command, and map its result to the documented exit codes.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use vicport::commands::prelude::{Context, Outcome, OutputFormat, color_allowed};
use vicport::commands::system::SystemCommand;
use vicport::commands::{Cli, Command, dispatch, is_process_command};
use vicport::plumbing::error::{Error, ErrorKind, exec_exit};

fn main() -> ExitCode {
    if vicport::oci::invoked_as_runtime() {
        return runtime_main();
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with exit 0; usage errors to
            // stderr with exit 2. A closed stdout is not an error.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    init_tracing(
        cli.global.debug,
        color_allowed(&cli.global, std::io::stderr().is_terminal()),
    );

    if let Command::Oci(args) = cli.command {
        if vicport::oci::is_shim(&args) {
            vicport::oci::shim::isolate();
            vicport::oci::shim::prepare_signals();
        }
        return vicport::oci::run(args);
    }
    let process_command = is_process_command(&cli.command);
    let json = cli.global.output == OutputFormat::Json;
    let color = color_allowed(&cli.global, std::io::stderr().is_terminal());
    let result = run(cli);
    tracing::debug!(peak_rss_kib = peak_rss_kib(), "done");
    match result {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Exit(code)) => ExitCode::from(code),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            report(&e, json, color);
            let code = if process_command && e.kind() == ErrorKind::Other {
                exec_exit::VICPORT_FAILED
            } else {
                e.exit_code()
            };
            ExitCode::from(code)
        }
    }
}

/// The binary run as `vicport-runc`: the OCI runtime's command line alone.
fn runtime_main() -> ExitCode {
    let args = vicport::oci::cli::go_style_flags(std::env::args_os().collect());
    let cli = match vicport::oci::cli::RuncCli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // The runtime spec's CLI fails with 1, usage errors included.
            return ExitCode::from(if e.use_stderr() { 1 } else { 0 });
        }
    };
    if vicport::oci::is_shim(&cli.oci) {
        vicport::oci::shim::isolate();
        vicport::oci::shim::prepare_signals();
    }
    init_tracing(cli.debug, false);
    vicport::oci::run(cli.oci)
}

fn run(cli: Cli) -> Result<Outcome, Error> {
    // The per-domain monitor is a long-lived, plain threaded process: it
    // needs no async runtime, and keeps its memory small without one.
    if let Command::System(SystemCommand::Monitor(args)) = &cli.command {
        use vicport::plumbing::local::monitor::{self, Ending};
        // A restart policy's start runs once this run's monitor is done
        // (its lock released): the start makes a monitor of its own.
        if let Ending::Restart(after) = monitor::run(&args.dir)? {
            monitor::restart(&args.dir, after)?;
        }
        return Ok(Outcome::Done);
    }
    // So is a vSphere domain's relay.
    if let Command::System(SystemCommand::Relay(args)) = &cli.command {
        vicport::plumbing::vsphere::relay::run(&args.dir)?;
        return Ok(Outcome::Done);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io("starting the runtime", e))?;
    let stdout_tty = std::io::stdout().is_terminal();
    let mut ctx = Context::new(cli.global, Box::new(std::io::stdout()), stdout_tty)?;
    let result = runtime.block_on(dispatch(cli.command, &mut ctx));
    if let Some(line) = ctx.finish() {
        let _ = writeln!(std::io::stderr(), "{line}");
    }
    result
}

/// This process's peak resident memory (the kernel's VmHWM), for `--debug`
/// and the benchmarks.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// Whether the error is only a reader that went away (`vicport … | head`).
fn is_broken_pipe(e: &Error) -> bool {
    matches!(e, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Print an error on stderr: a JSON document with `--output json`, else
/// `error:` and `hint:` lines.
fn report(e: &Error, json: bool, color: bool) {
    let mut err = std::io::stderr().lock();
    if json {
        let _ = writeln!(err, "{}", e.to_json());
        return;
    }
    let (red, yellow, reset) = if color {
        ("\x1b[1;31m", "\x1b[33m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    let _ = writeln!(err, "{red}error:{reset} {e}");
    if let Some(hint) = e.hint() {
        let _ = writeln!(err, "{yellow}hint:{reset} {hint}");
    }
}

/// `--debug` traces vicport's own modules to stderr; without it only
/// warnings are shown.
fn init_tracing(debug: bool, color: bool) {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::prelude::*;
    let level = if debug {
        LevelFilter::DEBUG
    } else {
        LevelFilter::WARN
    };
    let filter = Targets::new()
        .with_target("vicport", level)
        .with_target("tether", level)
        .with_default(LevelFilter::WARN);
    let fmt = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(color)
        .with_target(debug);
    tracing_subscriber::registry().with(fmt).with(filter).init();
}
