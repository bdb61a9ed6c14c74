//! A `tether serve` process standing in for a domain's guest on vcsim,
//! which runs no guests: shared by the link, guest and endurance tests.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use vicport::plumbing::vsphere::{guest, keys};

use crate::support::vcsim::Vcsim;
use crate::support::{Env, tether};

use super::guestinfo;

/// A `tether serve` process standing in for a domain's guest: it listens
/// on 127.0.0.1 at the domain's link port (vcsim's hosts' management
/// address is 127.0.0.1), with the token and the config document vicport
/// wrote into the domain's guestinfo. Killed on drop.
pub(crate) struct StandIn {
    child: Child,
    pub(crate) config: tether_protocol::config::DomainConfig,
}

impl StandIn {
    pub(crate) fn start(env: &Env, v: &Vcsim, domain: &str) -> StandIn {
        Self::start_with(env, v, domain, &[])
    }

    /// With more `tether serve` arguments (`--root DIR`, `--net-record FILE`).
    pub(crate) fn start_with(env: &Env, v: &Vcsim, domain: &str, more: &[&str]) -> StandIn {
        Self::spawn(env, v, domain, "tcp", more)
    }

    /// One line shared by every connection, as a serial port's: a second
    /// client's Hello ends the first one's link.
    pub(crate) fn start_line(env: &Env, v: &Vcsim, domain: &str) -> StandIn {
        Self::spawn(env, v, domain, "serial-tcp", &[])
    }

    fn spawn(env: &Env, v: &Vcsim, domain: &str, scheme: &str, more: &[&str]) -> StandIn {
        let extra = guestinfo(v, env, domain);
        let config = guest::decode(&extra[keys::CONFIG]).unwrap();
        let port: u16 = extra[keys::LINK_PORT].parse().unwrap();
        assert_eq!(
            tether_protocol::config::hex_encode(&config.token),
            extra[keys::TOKEN]
        );
        let file = env.root().join(format!("{domain}.config"));
        std::fs::write(&file, config.encode()).unwrap();
        let child = Command::new(tether())
            .args(["serve", "--listen", &format!("{scheme}:127.0.0.1:{port}")])
            .args(["--token", &extra[keys::TOKEN]])
            .arg("--config")
            .arg(&file)
            .args(more)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(env.root().join(format!("{domain}.tether.log"))).unwrap())
            .spawn()
            .unwrap();
        let t = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                t.elapsed() < Duration::from_secs(20),
                "tether serve did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        StandIn { child, config }
    }

    /// The stand-in's process id.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process has exited (within `wait`).
    pub(crate) fn exited_within(&mut self, wait: Duration) -> bool {
        let t = Instant::now();
        loop {
            if self.child.try_wait().unwrap().is_some() {
                return true;
            }
            if t.elapsed() > wait {
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
