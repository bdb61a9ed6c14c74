//! `vicport network …`: create, list, inspect and remove networks, and
//! connect domains to them.

use std::collections::BTreeMap;
use std::net::IpAddr;

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::commands::prelude::{Context, Outcome, Row};
use crate::plumbing::error::{Error, Result};
use crate::plumbing::name;
use crate::plumbing::spec::{NetworkEndpoint, NetworkInfo, NetworkSpec, parse_label};

/// Network subcommands.
#[derive(Debug, Subcommand)]
pub enum NetworkCommand {
    /// Create a network
    Create(CreateArgs),
    /// List networks
    #[command(visible_alias = "list")]
    Ls,
    /// Show everything about networks
    Inspect(NamesArgs),
    /// Remove networks
    #[command(visible_alias = "remove")]
    Rm(NamesArgs),
    /// Remove every network no domain is connected to
    ///
    /// Asks first; --yes when standard input is not a terminal.
    Prune(crate::commands::prune::PruneFilter),
    /// Connect a domain to a network, stopped or running
    ///
    /// A running domain gets a NIC at once (hot-added), configured by its
    /// tether with the address, gateway, DNS and /etc/hosts entries it
    /// would get at boot; the other running domains on the network learn
    /// its name. If the tether cannot configure it, nothing changes (the
    /// NIC is removed again and the address given back). An address in
    /// use is refused with exit 4 (`taken`).
    Connect(ConnectArgs),
    /// Disconnect a domain from a network, stopped or running
    ///
    /// A running domain's tether takes the interface down first; then its
    /// NIC is removed and its address returns to the network's pool.
    Disconnect(DisconnectArgs),
}

fn parse_net(text: &str) -> std::result::Result<ipnet::IpNet, String> {
    text.parse::<ipnet::IpNet>()
        .map_err(|_| format!("{text:?} is not a CIDR subnet (e.g. 10.0.9.0/24)"))
}

/// `network create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The network's name
    pub name: String,
    /// The subnet in CIDR form, e.g. 10.0.9.0/24
    #[arg(long, value_parser = parse_net)]
    pub subnet: ipnet::IpNet,
    /// The gateway (default: the subnet's first address)
    #[arg(long)]
    pub gateway: Option<IpAddr>,
    /// Hand out addresses only from this range (CIDR inside the subnet)
    #[arg(long, value_parser = parse_net)]
    pub ip_range: Option<ipnet::IpNet>,
    /// A DNS server for the domains; repeatable
    #[arg(long)]
    pub dns: Vec<IpAddr>,
    /// No route out of the network
    #[arg(long)]
    pub internal: bool,
    /// A label (KEY=VALUE); repeatable
    #[arg(short = 'l', long = "label", value_name = "KEY=VALUE")]
    pub labels: Vec<String>,
}

/// Networks by name.
#[derive(Debug, Args)]
pub struct NamesArgs {
    /// Networks
    #[arg(required = true, value_name = "NETWORK")]
    pub names: Vec<String>,
}

/// `network connect`.
#[derive(Debug, Args)]
pub struct ConnectArgs {
    /// The network
    pub network: String,
    /// The domain
    pub domain: String,
    /// The address to give it (default: the next free one)
    #[arg(long)]
    pub ip: Option<IpAddr>,
}

/// `network disconnect`.
#[derive(Debug, Args)]
pub struct DisconnectArgs {
    /// The network
    pub network: String,
    /// The domain
    pub domain: String,
}

impl Row for NetworkInfo {
    fn headers() -> Vec<&'static str> {
        vec!["NAME", "SUBNET", "GATEWAY", "BACKING", "ENDPOINTS"]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.subnet.to_string(),
            self.gateway.map_or_else(|| "-".into(), |g| g.to_string()),
            self.backing.clone(),
            self.endpoints.len().to_string(),
        ]
    }
    fn id(&self) -> String {
        self.name.clone()
    }
}

/// Run a network subcommand.
pub async fn exec(command: NetworkCommand, ctx: &mut Context) -> Result<Outcome> {
    match command {
        NetworkCommand::Create(args) => {
            name::validate("network", &args.name)?;
            let mut labels = BTreeMap::new();
            for l in &args.labels {
                let (k, v) = parse_label(l)?;
                labels.insert(k, v);
            }
            let spec = NetworkSpec {
                name: args.name,
                subnet: args.subnet,
                gateway: args.gateway,
                ip_range: args.ip_range,
                dns: args.dns,
                internal: args.internal,
                labels,
            };
            let info = ctx.platform().await?.create_network(spec).await?;
            let id = info.name.clone();
            ctx.out.object(&info, &id)?;
        }
        NetworkCommand::Ls => {
            let networks = ctx.platform().await?.list_networks().await?;
            ctx.out.list(&networks)?;
        }
        NetworkCommand::Inspect(args) => {
            let mut found = Vec::new();
            for n in &args.names {
                let info = ctx.platform().await?.inspect_network(n).await?;
                let id = info.name.clone();
                found.push((info, id));
            }
            ctx.out.objects(&found)?;
        }
        NetworkCommand::Rm(args) => {
            #[derive(Serialize)]
            struct Removed {
                name: String,
            }
            let mut done = Vec::new();
            for n in &args.names {
                ctx.platform().await?.remove_network(n).await?;
                done.push((Removed { name: n.clone() }, n.clone(), n.clone()));
            }
            ctx.out.actions(&done)?;
        }
        NetworkCommand::Prune(filter) => {
            let scope = crate::commands::prune::Scope {
                networks: true,
                ..Default::default()
            };
            crate::commands::prune::run(ctx, scope, &filter).await?;
        }
        NetworkCommand::Connect(args) => {
            name::validate("network", &args.network)?;
            let endpoint = NetworkEndpoint {
                network: args.network.clone(),
                ip: args.ip,
                mac: None,
            };
            let info = ctx.domains().await?.connect(&args.domain, endpoint).await?;
            endpoint_result(ctx, &info, &args.network)?;
        }
        NetworkCommand::Disconnect(args) => {
            let info = ctx
                .domains()
                .await?
                .disconnect(&args.domain, &args.network)
                .await?;
            let line = format!("{} disconnected from {}", info.name, args.network);
            ctx.out.action(
                &serde_json::json!({"domain": info.name, "network": args.network}),
                &info.name.clone(),
                &line,
            )?;
        }
    }
    Ok(Outcome::Done)
}

fn endpoint_result(
    ctx: &mut Context,
    info: &crate::plumbing::spec::DomainInfo,
    network: &str,
) -> Result<()> {
    let endpoint = info
        .networks
        .iter()
        .find(|n| n.network == network)
        .ok_or_else(|| {
            Error::other(format!(
                "domain {:?} committed without its endpoint on {network:?}",
                info.name
            ))
        })?;
    let line = format!(
        "{} connected to {} at {}",
        info.name,
        network,
        endpoint.ip.map_or_else(|| "-".into(), |ip| ip.to_string())
    );
    ctx.out.action(
        &serde_json::json!({"domain": info.name, "network": network, "ip": endpoint.ip, "mac": endpoint.mac}),
        &info.name.clone(),
        &line,
    )
}
