//! `vicport domain ls`: the domains, filtered by name, state and labels.

use clap::Args;

use crate::commands::prelude::{Context, Outcome, Row};
use crate::plumbing::error::{Error, Result};
use crate::plumbing::spec::{DomainFilter, DomainState, DomainSummary, label_filter};

/// `domain ls`.
#[derive(Debug, Args)]
pub struct LsArgs {
    /// Filter: name=SUBSTRING, state=STATE, label=KEY or label=KEY=VALUE; repeatable
    #[arg(short = 'f', long = "filter", value_name = "KEY=VALUE")]
    pub filters: Vec<String>,
}

impl LsArgs {
    fn filter(&self) -> Result<DomainFilter> {
        let mut f = DomainFilter::default();
        for text in &self.filters {
            let bad = || {
                Error::invalid(format!("invalid filter {text:?}"))
                    .with_hint("use name=SUBSTRING, state=STATE, label=KEY or label=KEY=VALUE")
            };
            let (key, value) = text.split_once('=').ok_or_else(bad)?;
            match key {
                "name" => f.name = Some(value.to_string()),
                "state" => f.state = Some(DomainState::parse(value)?),
                "label" => f.labels.push(label_filter(value)),
                _ => return Err(bad()),
            }
        }
        Ok(f)
    }
}

impl Row for DomainSummary {
    fn headers() -> Vec<&'static str> {
        vec!["ID", "NAME", "IMAGE", "STATE", "CREATED", "PORTS"]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.short().to_string(),
            self.name.clone(),
            self.image.clone(),
            self.state.to_string(),
            self.created.clone(),
            crate::plumbing::spec::PortMapping::list(&self.ports),
        ]
    }
    fn id(&self) -> String {
        self.id.to_string()
    }
}

/// Run `domain ls`.
pub async fn exec(args: LsArgs, ctx: &mut Context) -> Result<Outcome> {
    let filter = args.filter()?;
    let rows = ctx.domains().await?.list(&filter).await?;
    ctx.out.list(&rows)?;
    Ok(Outcome::Done)
}
