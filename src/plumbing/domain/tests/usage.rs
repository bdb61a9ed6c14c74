//! The stats and top policy against the recording fake, with a scripted
//! guest answering the link (the protocol's frames over a socket pair):
//! a stopped domain's zeros, CPU use between two samples, the platform's
//! numbers when the guest does not answer, and a lost link never retaken.

use std::collections::VecDeque;
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Mutex};

use tether_protocol::client::Client;
use tether_protocol::frame::FrameReader;
use tether_protocol::message::{Message, ProcessInfo, StatsReport, split_processes};

use super::*;
use crate::plumbing::domain::StatsSource;

/// A guest's tether as a script: Hello, Stats from a queue of reports,
/// Top from a list, SignalAll recorded and answered with the list's length.
#[derive(Default)]
pub(super) struct ScriptedGuest {
    reports: Mutex<VecDeque<StatsReport>>,
    processes: Vec<ProcessInfo>,
    streams: Mutex<Vec<UnixStream>>,
    /// The protocol version it agrees to (0: this crate's).
    pub(super) version: u32,
    /// The signals SignalAll brought.
    pub(super) signalled_all: Mutex<Vec<tether_protocol::Signal>>,
}

impl ScriptedGuest {
    /// A link to it, as a platform's `link` gives one.
    pub(super) fn connect(self: &Arc<Self>) -> Result<Client> {
        let (ours, theirs) = UnixStream::pair().unwrap();
        self.streams
            .lock()
            .unwrap()
            .push(theirs.try_clone().unwrap());
        let me = self.clone();
        std::thread::spawn(move || me.serve(theirs));
        let closer = ours.try_clone().unwrap();
        Client::from_halves_with_shutdown(ours.try_clone().unwrap(), ours, b"token", move || {
            let _ = closer.shutdown(std::net::Shutdown::Both);
        })
        .map_err(Error::from)
    }

    /// Cut every link (another client took it, say).
    fn cut(&self) {
        for s in self.streams.lock().unwrap().drain(..) {
            let _ = s.shutdown(std::net::Shutdown::Both);
        }
    }

    fn serve(&self, stream: UnixStream) {
        let mut w = stream.try_clone().unwrap();
        let mut frames = FrameReader::new(stream);
        let mut send = |session: u32, m: &Message| {
            use std::io::Write;
            let _ = w.write_all(&m.to_frame(session));
        };
        while let Ok(f) = frames.read_frame(&|_| true) {
            match Message::decode(f.kind, &f.payload) {
                Ok(Message::Hello { .. }) => send(
                    0,
                    &Message::HelloOk {
                        version: match self.version {
                            0 => tether_protocol::PROTOCOL_VERSION,
                            v => v,
                        },
                        agent: "scripted".into(),
                    },
                ),
                Ok(Message::SignalAll { signal }) => {
                    self.signalled_all.lock().unwrap().push(signal);
                    let processes = self.processes.len() as u32;
                    send(f.session, &Message::SignalledAll { processes });
                }
                Ok(Message::Stats) => {
                    let r = self.reports.lock().unwrap().pop_front().unwrap_or_default();
                    send(f.session, &Message::StatsReport(r));
                }
                Ok(Message::Top) => {
                    for (more, processes) in split_processes(self.processes.clone()) {
                        send(f.session, &Message::Processes { more, processes });
                    }
                }
                _ => send(
                    f.session,
                    &Message::Error {
                        message: "not scripted".into(),
                    },
                ),
            }
        }
    }
}

/// What the fake platform measures of every running domain.
pub(super) fn platform_usage() -> PlatformUsage {
    PlatformUsage {
        host_memory: Some(70 << 20),
        cpu_percent: Some(12.5),
        memory_used: Some(100 << 20),
        memory_limit: Some(512 << 20),
        ..PlatformUsage::default()
    }
}

fn report(busy_ms: u64, total_ms: u64) -> StatsReport {
    StatsReport {
        cpu_busy_ns: busy_ms * 1_000_000,
        cpu_total_ns: total_ms * 1_000_000,
        cpus: 2,
        memory_used: 30 << 20,
        memory_limit: 480 << 20,
        net_rx: 1000,
        net_tx: 2000,
        block_read: 3000,
        block_write: 4000,
        processes: 3,
    }
}

pub(super) fn with_guest(
    domains: &[(&str, DomainState)],
    reports: Vec<StatsReport>,
) -> (Fake, Arc<ScriptedGuest>) {
    with_guest_of(0, domains, reports)
}

/// [`with_guest`] with a guest that agrees to protocol `version`.
pub(super) fn with_guest_of(
    version: u32,
    domains: &[(&str, DomainState)],
    reports: Vec<StatsReport>,
) -> (Fake, Arc<ScriptedGuest>) {
    let guest = Arc::new(ScriptedGuest {
        version,
        reports: Mutex::new(reports.into()),
        processes: vec![ProcessInfo {
            pid: 7,
            ppid: 1,
            uid: 1000,
            user: String::new(),
            cpu_time_ns: 5,
            rss: 4096,
            command: "sleep 100".into(),
        }],
        ..ScriptedGuest::default()
    });
    let fake = Fake {
        guest: Some(guest.clone()),
        ..Fake::with(domains)
    };
    (fake, guest)
}

fn count(fake: &Fake, prefix: &str) -> usize {
    fake.calls()
        .iter()
        .filter(|c| c.starts_with(prefix))
        .count()
}

#[tokio::test(start_paused = true)]
async fn a_stopped_domain_has_its_state_and_zeros() {
    let (fake, _) = with_guest(&[("web", DomainState::Stopped)], vec![]);
    let rows = Domains::new(&fake)
        .watch_stats(vec!["web".into()])
        .next()
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(
        (r.state, r.source),
        (DomainState::Stopped, StatsSource::None)
    );
    assert_eq!(
        (
            r.cpu_percent,
            r.memory_used,
            r.memory_limit,
            r.pids,
            r.host_memory
        ),
        (0.0, 0, 0, 0, 0)
    );
    assert_eq!(r.platform, PlatformUsage::default());
    assert_eq!(
        count(&fake, "link") + count(&fake, "usage"),
        0,
        "{:?}",
        fake.calls()
    );
}

#[tokio::test(start_paused = true)]
async fn cpu_use_is_measured_between_two_samples_of_the_guest() {
    // 500 ms busy in 1000 ms of the two CPUs' time: one CPU's worth.
    let (fake, _) = with_guest(
        &[("web", DomainState::Running)],
        vec![
            report(1000, 10_000),
            report(1500, 11_000),
            report(1500, 12_000),
        ],
    );
    let mut watch = Domains::new(&fake).watch_stats(vec!["web".into()]);
    let rows = watch.next().await.unwrap();
    let r = &rows[0];
    assert_eq!(r.source, StatsSource::Guest);
    assert_eq!(r.cpu_percent, 100.0);
    assert_eq!((r.memory_used, r.memory_limit), (30 << 20, 480 << 20));
    assert_eq!(
        (r.net_rx, r.net_tx, r.block_read, r.block_write, r.pids),
        (1000, 2000, 3000, 4000, 3)
    );
    assert_eq!(r.host_memory, 70 << 20, "the platform's");
    assert_eq!(r.platform, platform_usage());
    // The next sample: idle since.
    assert_eq!(watch.next().await.unwrap()[0].cpu_percent, 0.0);
    assert_eq!(count(&fake, "link"), 1, "one link for the whole stream");
}

#[tokio::test(start_paused = true)]
async fn a_lost_link_is_not_taken_back_until_the_domain_runs_again() {
    let (fake, guest) = with_guest(&[("web", DomainState::Running)], vec![report(0, 1000); 10]);
    let mut watch = Domains::new(&fake).watch_stats(vec!["web".into()]);
    assert_eq!(watch.next().await.unwrap()[0].source, StatsSource::Guest);
    guest.cut();
    for _ in 0..2 {
        let r = &watch.next().await.unwrap()[0];
        assert_eq!(r.source, StatsSource::Platform);
        assert_eq!(
            (r.cpu_percent, r.memory_used, r.memory_limit),
            (12.5, 100 << 20, 512 << 20)
        );
        assert_eq!((r.net_rx, r.pids), (0, 0));
    }
    assert_eq!(count(&fake, "link"), 1, "{:?}", fake.calls());
    // Stopped, then started again: a new run gets a new link.
    let id = fake.held("web").unwrap().id;
    fake.set_state(&id, DomainState::Stopped);
    assert_eq!(watch.next().await.unwrap()[0].source, StatsSource::None);
    fake.set_state(&id, DomainState::Running);
    assert_eq!(watch.next().await.unwrap()[0].source, StatsSource::Guest);
    assert_eq!(count(&fake, "link"), 2, "{:?}", fake.calls());
}

#[tokio::test(start_paused = true)]
async fn without_names_every_running_domain_is_shown_and_a_missing_name_is_not_found() {
    let (fake, _) = with_guest(
        &[
            ("a", DomainState::Running),
            ("b", DomainState::Stopped),
            ("c", DomainState::Running),
        ],
        vec![],
    );
    let d = Domains::new(&fake);
    let rows = d.watch_stats(vec![]).next().await.unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["a", "c"]);
    let e = d.watch_stats(vec!["nope".into()]).next().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn top_lists_a_running_domains_processes_and_refuses_a_stopped_one() {
    let (fake, _) = with_guest(
        &[("web", DomainState::Running), ("off", DomainState::Stopped)],
        vec![],
    );
    let d = Domains::new(&fake);
    let (info, rows) = d.top("web").await.unwrap();
    assert_eq!(info.name, "web");
    assert_eq!(rows.len(), 1);
    // A uid the container has no name for shows as its number.
    assert_eq!(
        (rows[0].pid, rows[0].user.as_str(), rows[0].command.as_str()),
        (7, "1000", "sleep 100")
    );
    let e = d.top("off").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidState);
    assert!(e.to_string().contains("off"), "{e}");
}
