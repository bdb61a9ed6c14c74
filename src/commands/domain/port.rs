//! `vicport domain port`: a domain's published ports, or where one of its
//! ports is published on the host (docker's `port`).

use clap::Args;
use serde::Serialize;

use crate::commands::prelude::{Context, Outcome, Row};
use crate::plumbing::error::{Error, ErrorKind, Result};
use crate::plumbing::spec::{PortMapping, Protocol};

/// `domain port`.
#[derive(Debug, Args)]
pub struct PortArgs {
    /// The domain
    pub domain: String,
    /// Only this port of the domain: PORT[/tcp|/udp] (tcp when not said)
    #[arg(value_name = "PORT[/PROTO]", value_parser = parse_port)]
    pub port: Option<(u16, Protocol)>,
}

fn parse_port(text: &str) -> std::result::Result<(u16, Protocol), String> {
    let (port, protocol) = match text.rsplit_once('/') {
        None => (text, Protocol::Tcp),
        Some((p, "tcp")) => (p, Protocol::Tcp),
        Some((p, "udp")) => (p, Protocol::Udp),
        Some((_, other)) => return Err(format!("{other:?} is not tcp or udp")),
    };
    match port.parse::<u16>() {
        Ok(p) if p > 0 => Ok((p, protocol)),
        _ => Err(format!("{port:?} is not a port number (1-65535)")),
    }
}

/// One published port as a row: the domain's side, then the host's.
#[derive(Debug, Serialize)]
#[serde(transparent)]
struct Published(PortMapping);

impl Row for Published {
    fn headers() -> Vec<&'static str> {
        vec!["PORT", "HOST"]
    }
    fn cells(&self) -> Vec<String> {
        let m = &self.0;
        let ip = m
            .host_ip
            .map_or_else(|| "0.0.0.0".to_string(), |ip| ip.to_string());
        // 0 until a start chooses it.
        let host = match m.host_port {
            0 => "*".to_string(),
            p => p.to_string(),
        };
        vec![
            format!("{}/{}", m.port, m.protocol.as_str()),
            format!("{ip}:{host}"),
        ]
    }
    fn id(&self) -> String {
        self.cells()[1].clone()
    }
}

/// Run `domain port`: while the domain runs, the host ports its start
/// chose; otherwise as defined (`*`: chosen at the next start).
pub async fn exec(args: PortArgs, ctx: &mut Context) -> Result<Outcome> {
    let info = ctx.domains().await?.inspect(&args.domain).await?;
    let rows: Vec<Published> = info
        .ports
        .into_iter()
        .filter(|m| {
            args.port
                .is_none_or(|(p, proto)| m.port == p && m.protocol == proto)
        })
        .map(Published)
        .collect();
    if let Some((port, proto)) = args.port
        && rows.is_empty()
    {
        return Err(Error::new(
            ErrorKind::NotFound,
            format!(
                "domain {:?} publishes no port {port}/{}",
                info.name,
                proto.as_str()
            ),
        )
        .with_hint(format!(
            "see its ports with `vicport domain port {}`; ports are published at create (--publish)",
            info.name
        )));
    }
    ctx.out.list(&rows)?;
    Ok(Outcome::Done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_port_is_a_number_with_an_optional_protocol() {
        assert_eq!(parse_port("80"), Ok((80, Protocol::Tcp)));
        assert_eq!(parse_port("53/udp"), Ok((53, Protocol::Udp)));
        assert_eq!(parse_port("443/tcp"), Ok((443, Protocol::Tcp)));
        assert!(parse_port("0").unwrap_err().contains("not a port number"));
        assert!(
            parse_port("80/sctp")
                .unwrap_err()
                .contains("not tcp or udp")
        );
        assert!(parse_port("http").is_err());
    }
}
