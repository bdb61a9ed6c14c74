//! The per-domain relay process of a vSphere domain (`vicport system relay
//! DIR`, hidden): a domain's tether is one serial line behind one TCP port
//! of its ESXi host, so one process holds that connection and every
//! vicport on this client host joins it through the relay's unix socket
//! (`<cache>/relays/<domain id>/relay.sock`, 0600 in a 0700 directory),
//! authenticated with the domain's token, with the shared
//! [`Relay`](crate::plumbing::relay::Relay). The first vicport that needs
//! the link starts it; it exits when the link ends (the domain powered
//! off, another client host took the line over: its clients are told
//! why) or when no client has come for its idle time.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tether_protocol::client::Client;

use crate::plumbing::detach;
use crate::plumbing::error::{Error, IoContext, Result};
use crate::plumbing::file::{Lock, create_private_dir, write_atomic};
use crate::plumbing::relay::{Relay, Role};
use crate::plumbing::sock;
use crate::plumbing::spec::DomainId;

use super::link::{self, Endpoint};

/// File names in a relay's directory.
mod files {
    pub const SPEC: &str = "relay.json";
    pub const SOCK: &str = "relay.sock";
    pub const LOG: &str = "relay.log";
    /// Held by the running relay.
    pub const RUNNING: &str = "relay.lock";
    /// Held while one vicport starts a relay.
    pub const STARTING: &str = "start.lock";
}

/// How long a relay waits for a client before it exits, unless
/// `VICPORT_RELAY_IDLE` (a duration such as `5s`) says otherwise.
pub const IDLE: Duration = Duration::from_secs(60);
/// The environment variable that sets a new relay's idle time.
pub const IDLE_ENV: &str = "VICPORT_RELAY_IDLE";
/// How long one Hello may wait for its answer before the relay says Hello
/// again on a new connection (a booting tether may not read yet).
const HELLO_WAIT: Duration = Duration::from_secs(3);
/// How long the line gets to deliver a late answer to an earlier Hello.
const SETTLE: Duration = Duration::from_millis(500);
/// How long a client's Hello through the relay may take.
const CLIENT_HELLO_WAIT: Duration = Duration::from_secs(10);

/// What the vicport that starts a relay tells it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Spec {
    domain: String,
    host: String,
    port: u16,
    host_name: String,
    /// The link token, hex.
    token: String,
    /// Until when to keep trying to reach the tether (unix ms): a domain
    /// that was just started may still be booting.
    deadline_unix_ms: u64,
    idle_ms: u64,
}

/// The relay directory of domain `id` under the cache.
pub fn dir(cache: &Path, id: &DomainId) -> PathBuf {
    cache.join("relays").join(&id.0)
}

/// Remove the relay directory of a domain that was removed, once no relay
/// runs for it: its relay sees the link end when the VM powers off, and
/// exits; one still running after `patience` keeps its directory (and its
/// log) and is left to end by itself. Without this a client host would
/// keep a directory per domain it ever linked to.
pub async fn forget(cache: &Path, id: &DomainId, patience: Duration) {
    let dir = dir(cache, id);
    if !dir.is_dir() {
        return;
    }
    let deadline = Instant::now() + patience;
    loop {
        match Lock::try_exclusive_in_place(&dir.join(files::RUNNING)) {
            Ok(None) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Ok(None) => {
                tracing::debug!(dir = %dir.display(), "a relay still runs for a removed domain");
                return;
            }
            // Held by us now, or never made: no relay runs.
            Ok(Some(_)) | Err(_) => {
                if let Err(e) = std::fs::remove_dir_all(&dir) {
                    tracing::debug!(dir = %dir.display(), "could not remove a relay's directory: {e}");
                }
                return;
            }
        }
    }
}

/// A link client through the domain's relay, starting one when none runs:
/// `endpoint` is asked for only then (it costs vSphere round trips).
pub async fn client<F, Fut>(
    cache: &Path,
    id: &DomainId,
    name: &str,
    token: &[u8],
    patience: Duration,
    endpoint: F,
) -> Result<Client>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<Endpoint>>,
{
    let dir = dir(cache, id);
    if let Ok(c) = connect(&dir, token) {
        return Ok(c);
    }
    create_private_dir(&dir)?;
    let starting = {
        let path = dir.join(files::STARTING);
        tokio::task::spawn_blocking(move || Lock::exclusive(&path))
            .await
            .map_err(|e| Error::other(format!("waiting for the relay's start lock: {e}")))??
    };
    // Another vicport may have started it while this one waited.
    if let Ok(c) = connect(&dir, token) {
        return Ok(c);
    }
    let endpoint = endpoint().await?;
    let deadline = Instant::now() + patience;
    let name = name.to_string();
    let token = token.to_vec();
    tokio::task::spawn_blocking(move || {
        let _starting = starting;
        start(&dir, &name, &endpoint, deadline)?;
        connect(&dir, &token)
    })
    .await
    .map_err(|e| Error::other(format!("starting the relay: {e}")))?
}

/// Say Hello to the relay in `dir` with the domain's token.
fn connect(dir: &Path, token: &[u8]) -> Result<Client> {
    let stream = sock::connect(&dir.join(files::SOCK))?;
    stream
        .set_read_timeout(Some(CLIENT_HELLO_WAIT))
        .io_context(|| "setting a timeout".into())?;
    let client = sock::tether_client(&stream, token)?;
    stream
        .set_read_timeout(None)
        .io_context(|| "clearing the timeout".into())?;
    Ok(client)
}

/// Start the relay process of `dir` for `endpoint`, and wait until it
/// takes clients (it reached the tether), or say why it could not.
fn start(dir: &Path, name: &str, endpoint: &Endpoint, deadline: Instant) -> Result<()> {
    let idle = std::env::var(IDLE_ENV)
        .ok()
        .and_then(|v| humantime::parse_duration(&v).ok())
        .unwrap_or(IDLE);
    let left = deadline.saturating_duration_since(Instant::now());
    let spec = Spec {
        domain: name.to_string(),
        host: endpoint.host.clone(),
        port: endpoint.port,
        host_name: endpoint.host_name.clone(),
        token: hex::encode(&endpoint.token),
        deadline_unix_ms: unix_ms() + left.as_millis() as u64,
        idle_ms: idle.as_millis() as u64,
    };
    let text = serde_json::to_vec_pretty(&spec).expect("a relay spec serializes");
    write_atomic(&dir.join(files::SPEC), &text, 0o600)?;
    let _ = std::fs::remove_file(dir.join(files::SOCK));
    let mut child = detach::spawn("relay", dir, &dir.join(files::LOG))?;
    // The relay tries until the deadline; give it a little more to say so.
    let give_up = deadline + Duration::from_secs(5);
    loop {
        if sock::try_connect(&dir.join(files::SOCK)).is_ok() {
            detach::reap_later(child);
            return Ok(());
        }
        if let Ok(Some(status)) = child.try_wait() {
            let log = std::fs::read_to_string(dir.join(files::LOG)).unwrap_or_default();
            let last = log
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            return Err(Error::unreachable(format!(
                "the relay of domain {name:?} could not reach its tether ({status}): {last}"
            ))
            .with_hint(format!(
                "the domain may still be booting (see console.log in its directory on the datastore), or the host's firewall ruleset {} or the network between here and {} blocks port {}; the relay's log is {}",
                link::FIREWALL_RULESET,
                endpoint.host,
                endpoint.port,
                dir.join(files::LOG).display()
            )));
        }
        if Instant::now() > give_up {
            let _ = child.kill();
            detach::reap_later(child);
            return Err(Error::unreachable(format!(
                "the relay of domain {name:?} did not come up"
            ))
            .with_hint(format!("see {}", dir.join(files::LOG).display())));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn unix_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Run the relay of `dir` until its link ends or it idles out.
pub fn run(dir: &Path) -> Result<()> {
    let Some(_running) = Lock::try_exclusive(&dir.join(files::RUNNING))? else {
        return Err(Error::conflict(format!(
            "another relay already runs in {}",
            dir.display()
        )));
    };
    let spec: Spec = serde_json::from_slice(
        &std::fs::read(dir.join(files::SPEC))
            .io_context(|| format!("reading {}", dir.join(files::SPEC).display()))?,
    )
    .map_err(|e| {
        Error::other(format!(
            "{} is damaged: {e}",
            dir.join(files::SPEC).display()
        ))
    })?;
    let token =
        hex::decode(&spec.token).map_err(|_| Error::other("the relay spec's token is not hex"))?;
    let endpoint = Endpoint {
        host: spec.host.clone(),
        port: spec.port,
        host_name: spec.host_name.clone(),
        token: token.clone(),
    };
    let deadline =
        Instant::now() + Duration::from_millis(spec.deadline_unix_ms.saturating_sub(unix_ms()));
    let relay = reach(&endpoint, &token, deadline)?;
    relay.serve(&dir.join(files::SOCK))?;
    note(&format!(
        "relaying domain {:?} at {}:{} (pid {})",
        spec.domain,
        spec.host,
        spec.port,
        std::process::id()
    ));
    let why = relay.wait_end_or_idle(Duration::from_millis(spec.idle_ms));
    let _ = std::fs::remove_file(dir.join(files::SOCK));
    relay.close_all();
    note(&format!("relay ends: {why}"));
    Ok(())
}

/// Connect to the tether and say Hello, again on a new connection until
/// `deadline`: a booting tether opens its port late and may miss a Hello.
fn reach(endpoint: &Endpoint, token: &[u8], deadline: Instant) -> Result<std::sync::Arc<Relay>> {
    let mut last;
    loop {
        match link::open(endpoint) {
            Ok(stream) => {
                let attempt = (|| {
                    let reader = stream.try_clone().map_err(|e| e.to_string())?;
                    let relay = Relay::new(
                        reader,
                        stream.try_clone().map_err(|e| e.to_string())?,
                        token.to_vec(),
                        Role::Relay,
                    )
                    .map_err(|e| e.to_string())?;
                    relay.hello_again();
                    relay.wait_hello(HELLO_WAIT)?;
                    // An earlier Hello of ours may still be on the line, and
                    // its answer would start a new link: let it pass before
                    // clients begin sessions.
                    std::thread::sleep(SETTLE);
                    relay.wait_hello(HELLO_WAIT).map(|_| relay)
                })();
                match attempt {
                    Ok(relay) => return Ok(relay),
                    Err(e) => {
                        last = e;
                        let _ = stream.shutdown(std::net::Shutdown::Both);
                    }
                }
            }
            Err(e) => last = e,
        }
        if Instant::now() >= deadline {
            return Err(Error::unreachable(format!(
                "cannot reach the tether at {}:{} (host {}): {last}",
                endpoint.host, endpoint.port, endpoint.host_name
            )));
        }
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// Relay diagnostics go to stderr: `relay.log`.
fn note(msg: &str) {
    #[allow(clippy::print_stderr)]
    {
        eprintln!("{} {msg}", crate::plumbing::spec::now());
    }
}
