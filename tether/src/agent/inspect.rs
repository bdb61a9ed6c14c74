//! The link's requests and sessions that look into the domain: Stats and
//! Top (answered from /proc, [`super::usage`]), PathStat, and CopyOut,
//! CopyOutRootfs and CopyIn sessions ([`super::copy`]), all inside the
//! container's root.

use std::sync::Arc;

use tether_protocol::DEFAULT_WINDOW;
use tether_protocol::message::{CopyOutRequest, Message, split_processes};

use super::Agent;
use super::copy;
use super::inroot::Root;
use super::session::{LinkSession, LinkWriter, SessionCore, SessionTable, lock};
use super::sys::LinuxSys;
use super::usage::{self, Units};

/// Answer `m` (one of Stats, Top, PathStat, CopyOut, CopyOutRootfs,
/// CopyIn) on `id`; an Err is sent as the request's Error.
pub fn handle(
    agent: &Arc<Agent>,
    link: &Arc<LinkWriter>,
    table: &Arc<SessionTable>,
    epoch: u64,
    id: u32,
    m: Message,
) -> Result<(), String> {
    let root = &agent.root.path;
    let me = std::process::id();
    let copy_out = |source, req: CopyOutRequest| {
        let core = SessionCore::new(
            id,
            epoch,
            link.clone(),
            Arc::downgrade(table),
            req.window,
            0,
        );
        copy::start_out(root, source, core, req, |s| {
            lock(table).insert(id, LinkSession::Copy(s));
        });
    };
    match m {
        Message::Stats => {
            let report = usage::stats(&LinuxSys, me, Units::here())?;
            link.send(epoch, id, &Message::StatsReport(report));
        }
        Message::Top => {
            let passwd = Root::open(root)
                .and_then(|r| r.read_file(b"/etc/passwd"))
                .unwrap_or_default();
            let list = usage::processes(
                &LinuxSys,
                me,
                &String::from_utf8_lossy(&passwd),
                Units::here(),
            )?;
            for (more, processes) in split_processes(list) {
                link.send(epoch, id, &Message::Processes { more, processes });
            }
        }
        Message::PathStat { path, follow } => {
            let info = copy::path_info(root, &path, follow)?;
            link.send(epoch, id, &Message::PathInfo(info));
        }
        Message::CopyOut(req) => copy_out(copy::Source::Tree, req),
        Message::CopyOutRootfs(req) => copy_out(copy::Source::RootFs, req),
        Message::CopyIn { path } => {
            let core = SessionCore::new(
                id,
                epoch,
                link.clone(),
                Arc::downgrade(table),
                0,
                DEFAULT_WINDOW,
            );
            copy::start_in(root, core, path, DEFAULT_WINDOW, |s| {
                lock(table).insert(id, LinkSession::Copy(s));
            });
        }
        other => {
            return Err(format!(
                "unexpected {} from the host on session {id}",
                other.name()
            ));
        }
    }
    Ok(())
}
