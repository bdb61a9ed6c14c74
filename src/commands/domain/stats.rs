//! `vicport domain stats`: what domains use, sampled every second: the
//! guest's numbers through its tether, the host's memory for it, and what
//! the platform measures; a table redrawn on a terminal, JSON lines with
//! `--output json`.

use clap::Args;

use crate::commands::image::human_size;
use crate::commands::prelude::{Context, Outcome, OutputFormat, Row};
use crate::plumbing::domain::{DomainStats, Domains, StatsSource};
use crate::plumbing::error::{Error, Result};

/// `domain stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Domains (name, id or unique id prefix); none: every running domain
    #[arg(value_name = "DOMAIN")]
    pub domains: Vec<String>,
    /// Print one sample and exit (the default when stdout is not a terminal)
    #[arg(long, conflicts_with = "stream")]
    pub no_stream: bool,
    /// Print a sample every second until interrupted (the default on a terminal)
    #[arg(long)]
    pub stream: bool,
}

/// `A / B`, sizes.
fn pair(a: u64, b: u64) -> String {
    format!("{} / {}", human_size(a), human_size(b))
}

/// A rate the platform measured, or `-`.
fn rate(v: Option<u64>) -> String {
    v.map_or_else(|| "-".into(), |v| format!("{}/s", human_size(v)))
}

impl Row for DomainStats {
    fn headers() -> Vec<&'static str> {
        vec![
            "ID",
            "NAME",
            "STATE",
            "CPU %",
            "MEM USAGE / LIMIT",
            "MEM %",
            "NET I/O",
            "BLOCK I/O",
            "PIDS",
            "HOST MEM",
        ]
    }

    fn cells(&self) -> Vec<String> {
        let mem_percent = if self.memory_limit > 0 {
            format!(
                "{:.2}%",
                self.memory_used as f64 / self.memory_limit as f64 * 100.0
            )
        } else {
            "-".into()
        };
        // Without the guest, vSphere's counters give rates, not totals.
        let (net, block) = if self.source == StatsSource::Platform {
            let p = &self.platform;
            (
                format!("{} / {}", rate(p.net_rx_rate), rate(p.net_tx_rate)),
                format!("{} / {}", rate(p.block_read_rate), rate(p.block_write_rate)),
            )
        } else {
            (
                pair(self.net_rx, self.net_tx),
                pair(self.block_read, self.block_write),
            )
        };
        vec![
            self.id.short().to_string(),
            self.name.clone(),
            self.state.to_string(),
            format!("{:.2}%", self.cpu_percent),
            pair(self.memory_used, self.memory_limit),
            mem_percent,
            net,
            block,
            self.pids.to_string(),
            human_size(self.host_memory),
        ]
    }

    fn id(&self) -> String {
        self.id.to_string()
    }
}

/// Run `domain stats`.
pub async fn exec(args: StatsArgs, ctx: &mut Context) -> Result<Outcome> {
    let (platform, out) = ctx.parts().await?;
    let stream = !args.no_stream && (args.stream || out.terminal);
    let mut watch = Domains::new(platform).watch_stats(args.domains);
    loop {
        let rows = watch.next().await?;
        if out.format == OutputFormat::Json {
            let w = out.raw();
            for r in &rows {
                let line = serde_json::to_string(r)
                    .map_err(|e| Error::other(format!("rendering stats: {e}")))?;
                writeln!(w, "{line}").map_err(|e| Error::io("writing to standard output", e))?;
            }
            w.flush()
                .map_err(|e| Error::io("writing to standard output", e))?;
        } else {
            if stream && out.terminal && !out.quiet {
                // Redraw in place: home, then clear the screen.
                write!(out.raw(), "\x1b[H\x1b[2J")
                    .map_err(|e| Error::io("writing to standard output", e))?;
            }
            out.list(&rows)?;
        }
        if !stream {
            return Ok(Outcome::Done);
        }
    }
}
