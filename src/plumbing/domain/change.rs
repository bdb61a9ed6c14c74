//! The change between a domain's current and wanted definition, and the one
//! rule of what may change in which state: every platform realizes the same
//! [`Change`], and none decides on its own what a running domain allows.

use crate::plumbing::error::{Error, Result};
use crate::plumbing::spec::{DomainSpec, DomainState, NetworkEndpoint, VolumeMount};

/// What a commit changes. For a new domain everything it joins is joined.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Change {
    /// The domain gets a new name.
    pub renamed: bool,
    /// Its labels change.
    pub labels: bool,
    /// Its vCPUs or memory change.
    pub resized: bool,
    /// Its restart policy changes (in any state: the monitor reads it when
    /// a run ends).
    pub restart: bool,
    /// Volumes it joins (by volume name), with their mounts.
    pub volumes_joined: Vec<VolumeMount>,
    /// Volumes it leaves, with the mounts they had.
    pub volumes_left: Vec<VolumeMount>,
    /// A volume it keeps is mounted at another path, or with another mode.
    pub mounts_moved: bool,
    /// Networks it connects to.
    pub networks_joined: Vec<NetworkEndpoint>,
    /// Networks it disconnects from, with the endpoints they had.
    pub networks_left: Vec<NetworkEndpoint>,
    /// Anything else: the process, hostname, image, stop signal, removal
    /// on exit.
    pub other: bool,
}

impl Change {
    /// The change from `current` (`None`: the domain does not exist yet) to
    /// `wanted`.
    pub fn between(current: Option<&DomainSpec>, wanted: &DomainSpec) -> Change {
        let Some(current) = current else {
            return Change {
                volumes_joined: wanted.volumes.clone(),
                networks_joined: wanted.networks.clone(),
                ..Change::default()
            };
        };
        let has_volume =
            |list: &[VolumeMount], m: &VolumeMount| list.iter().any(|o| o.volume == m.volume);
        let has_network = |list: &[NetworkEndpoint], e: &NetworkEndpoint| {
            list.iter().any(|o| o.network == e.network)
        };
        let mut rest_now = current.clone();
        let mut rest_wanted = wanted.clone();
        for spec in [&mut rest_now, &mut rest_wanted] {
            spec.name.clear();
            spec.labels.clear();
            spec.cpus = 0;
            spec.memory_mb = 0;
            spec.restart = Default::default();
            spec.volumes.clear();
            spec.networks.clear();
        }
        Change {
            renamed: current.name != wanted.name,
            labels: current.labels != wanted.labels,
            resized: current.cpus != wanted.cpus || current.memory_mb != wanted.memory_mb,
            restart: current.restart != wanted.restart,
            volumes_joined: wanted
                .volumes
                .iter()
                .filter(|m| !has_volume(&current.volumes, m))
                .cloned()
                .collect(),
            volumes_left: current
                .volumes
                .iter()
                .filter(|m| !has_volume(&wanted.volumes, m))
                .cloned()
                .collect(),
            mounts_moved: wanted.volumes.iter().any(|m| {
                current
                    .volumes
                    .iter()
                    .any(|o| o.volume == m.volume && o != m)
            }),
            networks_joined: wanted
                .networks
                .iter()
                .filter(|e| !has_network(&current.networks, e))
                .cloned()
                .collect(),
            networks_left: current
                .networks
                .iter()
                .filter(|e| !has_network(&wanted.networks, e))
                .cloned()
                .collect(),
            other: rest_now != rest_wanted,
        }
    }

    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        *self == Change::default()
    }

    /// Whether the definition's devices change (disks or NICs join or
    /// leave): what a running domain's hardware would have to follow.
    pub fn touches_devices(&self) -> bool {
        !self.volumes_joined.is_empty()
            || !self.volumes_left.is_empty()
            || !self.networks_joined.is_empty()
            || !self.networks_left.is_empty()
    }

    /// Whether networks join or leave.
    pub fn touches_networks(&self) -> bool {
        !self.networks_joined.is_empty() || !self.networks_left.is_empty()
    }

    /// Refuse what a domain in `state` cannot take: while it is up only its
    /// name, labels, restart policy and networks change. The tether mounts volumes as the
    /// guest boots, so a disk added to a running domain would be hardware
    /// its container never sees mounted; a NIC is different: the domain
    /// layer tells the running tether about it over the link (see
    /// `domain::live`). A broken domain takes no change at all (only `rm`).
    pub fn check_allowed(&self, name: &str, state: DomainState) -> Result<()> {
        if state == DomainState::Broken && !self.is_empty() {
            return Err(Error::invalid_state(format!(
                "domain {name:?} is broken: it can only be removed"
            ))
            .with_hint(format!("remove it with `vicport domain rm {name}`")));
        }
        if state == DomainState::Suspended
            && (self.touches_devices() || self.mounts_moved || self.resized || self.other)
        {
            return Err(Error::invalid_state(format!(
                "domain {name:?} is suspended: its hardware stays as it was saved until it resumes"
            ))
            .with_hint(format!(
                "resume it (`vicport domain start {name}`) and change it then, or discard its saved state (`vicport domain stop {name}`)"
            )));
        }
        if !state.is_up() {
            return Ok(());
        }
        if state == DomainState::Paused && self.touches_networks() {
            return Err(Error::invalid_state(format!(
                "domain {name:?} is paused: its tether, which configures its networks, does not run"
            ))
            .with_hint(format!("unpause it first: `vicport domain unpause {name}`")));
        }
        let what = if !self.volumes_joined.is_empty()
            || !self.volumes_left.is_empty()
            || self.mounts_moved
        {
            "volumes are joined and left only while it is stopped"
        } else if self.resized || self.other {
            "only its name, labels and restart policy can change"
        } else {
            return Ok(());
        };
        Err(
            Error::invalid_state(format!("domain {name:?} is running: {what}")).with_hint(format!(
                "stop it first (`vicport domain stop {name}`), change it, and start it again"
            )),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::error::ErrorKind;

    fn spec() -> DomainSpec {
        let mut s = DomainSpec::new("web", "busybox:latest");
        s.volumes = vec![VolumeMount::parse("data:/data").unwrap()];
        s.networks = vec![NetworkEndpoint::parse("front:10.0.0.2").unwrap()];
        s
    }

    #[test]
    fn a_new_domain_joins_everything() {
        let c = Change::between(None, &spec());
        assert_eq!(c.volumes_joined.len(), 1);
        assert_eq!(c.networks_joined.len(), 1);
        assert!(!c.renamed && !c.other);
        assert!(c.touches_devices());
    }

    #[test]
    fn changes_are_told_apart() {
        let now = spec();
        assert!(Change::between(Some(&now), &now).is_empty());

        let mut w = now.clone();
        w.name = "web2".into();
        w.labels.insert("a".into(), "1".into());
        let c = Change::between(Some(&now), &w);
        assert!(c.renamed && c.labels && !c.other && !c.touches_devices());

        let mut w = now.clone();
        w.volumes = vec![VolumeMount::parse("data:/srv:ro").unwrap()];
        let c = Change::between(Some(&now), &w);
        assert!(c.mounts_moved && c.volumes_joined.is_empty() && c.volumes_left.is_empty());

        let mut w = now.clone();
        w.volumes = vec![VolumeMount::parse("logs:/logs").unwrap()];
        w.networks.clear();
        let c = Change::between(Some(&now), &w);
        assert_eq!(c.volumes_joined[0].volume, "logs");
        assert_eq!(c.volumes_left[0].volume, "data");
        assert_eq!(c.networks_left[0].network, "front");

        let mut w = now.clone();
        w.memory_mb = 512;
        assert!(Change::between(Some(&now), &w).resized);
        let mut w = now.clone();
        w.process.argv = vec!["sh".into()];
        assert!(Change::between(Some(&now), &w).other);
    }

    #[test]
    fn a_running_domain_takes_only_a_name_labels_and_networks() {
        let now = spec();
        let mut renamed = now.clone();
        renamed.name = "web2".into();
        renamed.labels.insert("a".into(), "1".into());
        Change::between(Some(&now), &renamed)
            .check_allowed("web", DomainState::Running)
            .unwrap();
        // A restart policy changes in every state but broken, suspended
        // included (it is no hardware).
        let mut restarting = now.clone();
        restarting.restart = crate::plumbing::spec::Restart::parse("on-failure:3").unwrap();
        let c = Change::between(Some(&now), &restarting);
        assert!(c.restart && !c.other, "{c:?}");
        for state in [
            DomainState::Running,
            DomainState::Suspended,
            DomainState::Paused,
        ] {
            c.check_allowed("web", state).unwrap();
        }
        let mut rewired = now.clone();
        rewired.networks = vec![NetworkEndpoint::parse("back").unwrap()];
        let c = Change::between(Some(&now), &rewired);
        assert!(c.touches_networks());
        c.check_allowed("web", DomainState::Running).unwrap();

        let mut cases = Vec::new();
        let mut w = now.clone();
        w.volumes.push(VolumeMount::parse("more:/more").unwrap());
        cases.push((w, "volumes are joined and left only while it is stopped"));
        let mut w = now.clone();
        w.cpus = 2;
        cases.push((w, "only its name, labels and restart policy can change"));
        for (wanted, why) in cases {
            let change = Change::between(Some(&now), &wanted);
            for state in [
                DomainState::Running,
                DomainState::Starting,
                DomainState::Stopping,
            ] {
                let e = change.check_allowed("web", state).unwrap_err();
                assert_eq!(e.kind(), ErrorKind::InvalidState);
                assert_eq!(e.to_string(), format!("domain \"web\" is running: {why}"));
                assert!(e.hint().unwrap().contains("vicport domain stop web"));
            }
            for state in [DomainState::Created, DomainState::Stopped] {
                change.check_allowed("web", state).unwrap();
            }
            let e = change
                .check_allowed("web", DomainState::Broken)
                .unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidState);
        }
    }
}
