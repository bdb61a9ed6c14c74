//! `vicport domain top`: the processes running in a domain's container.

use clap::Args;

use crate::commands::image::human_size;
use crate::commands::prelude::{Context, Outcome, Row};
use crate::plumbing::domain::Process;
use crate::plumbing::error::Result;

/// `domain top`.
#[derive(Debug, Args)]
pub struct TopArgs {
    /// The domain (name, id or unique id prefix)
    pub domain: String,
}

/// CPU time as `H:MM:SS`.
fn cpu_time(ns: u64) -> String {
    let s = ns / 1_000_000_000;
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

impl Row for Process {
    fn headers() -> Vec<&'static str> {
        vec!["PID", "PPID", "USER", "TIME", "RSS", "COMMAND"]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.pid.to_string(),
            self.ppid.to_string(),
            self.user.clone(),
            cpu_time(self.cpu_time_ns),
            human_size(self.rss),
            self.command.clone(),
        ]
    }

    fn id(&self) -> String {
        self.pid.to_string()
    }
}

/// Run `domain top`.
pub async fn exec(args: TopArgs, ctx: &mut Context) -> Result<Outcome> {
    let (_, processes) = ctx.domains().await?.top(&args.domain).await?;
    ctx.out.list(&processes)?;
    Ok(Outcome::Done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_time_reads_like_ps() {
        assert_eq!(cpu_time(0), "0:00:00");
        assert_eq!(cpu_time(61_500_000_000), "0:01:01");
        assert_eq!(cpu_time(3_725_000_000_000), "1:02:05");
    }
}
