//! `vicport events` on vSphere: what vCenter's event history records about
//! vicport's objects. An EventHistoryCollector over the target's datacenter,
//! filtered to the event types below, gives the history (its latest page, up
//! to 1000 events); following, the collector's page shrinks to a few events
//! and WaitForUpdatesEx on it brings each new one, so a follow never reads
//! the history again. Events are shown only for vicport's objects.
//!
//! - domains: the VM lifecycle events vCenter posts, for VMs that are
//!   vicport's domains (by their extraConfig);
//! - networks: DVPortgroupCreatedEvent and DVPortgroupDestroyedEvent, which
//!   vCenter posts, for port groups that carry a vicport network document;
//! - volumes: vCenter records nothing that names a First Class Disk or a
//!   VMDK (a VStorageObjectManager task's TaskEvent has no arguments, and
//!   vcsim records no event for those tasks at all), so vicport posts an
//!   `EventEx` of its own (`org.vicport.volume.create`/`.remove`) when it
//!   creates or removes a volume, and reads those back.

use std::collections::{BTreeMap, HashMap};

use crate::plumbing::error::{Error, Result};
use crate::plumbing::platform::Event;

use super::fault::FaultKind;
use super::lookup::{LIST_PROPS, record};
use super::networks;
use super::session::Session;
use super::vim::{self, Watch};
use super::xml::{MoRef, Node, XmlWriter};

/// vSphere's event types, and the object and action each is for, as the
/// local platform names them.
pub const ACTIONS: &[(&str, &str, &str)] = &[
    ("VmCreatedEvent", "domain", "create"),
    ("VmPoweredOnEvent", "domain", "start"),
    ("VmPoweredOffEvent", "domain", "die"),
    ("VmSuspendedEvent", "domain", "suspend"),
    ("VmRenamedEvent", "domain", "rename"),
    ("VmReconfiguredEvent", "domain", "update"),
    ("VmRemovedEvent", "domain", "remove"),
    ("DVPortgroupCreatedEvent", "network", "create"),
    ("DVPortgroupDestroyedEvent", "network", "remove"),
];

/// The `eventTypeId`s of the volume events vicport posts, and their actions.
pub const VOLUME_EVENTS: &[(&str, &str)] = &[
    ("org.vicport.volume.create", "create"),
    ("org.vicport.volume.remove", "remove"),
];

/// How many events the history holds (vSphere's largest page).
pub const HISTORY: u32 = 1000;

/// The page a follow watches: new events arrive in it. When a whole page is
/// new, more may have come between two updates, and the history is read
/// once more to catch up.
pub const FOLLOW_PAGE: u32 = 20;

/// Whose event it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A VM (a domain, if it is vicport's).
    Vm(MoRef),
    /// A distributed port group (a network, if it is vicport's).
    PortGroup(MoRef),
    /// A vicport volume (only vicport posts these).
    Volume,
}

/// One event, as far as vicport reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posted {
    /// The event's key: increasing in the order vCenter posted them.
    pub key: i64,
    pub object: &'static str,
    pub action: &'static str,
    /// `createdTime`, RFC 3339.
    pub time: String,
    pub subject: Subject,
    /// The object's name when the event was posted (the new one for a
    /// rename; the network's, not the port group's).
    pub name: String,
    pub attributes: BTreeMap<String, String>,
}

fn argument<'a>(n: &'a Node, arg: &str, reference: &str) -> (Option<&'a str>, Option<MoRef>) {
    let a = n.child(arg);
    (
        a.and_then(|a| a.child_text("name")),
        a.and_then(|a| a.child(reference)).and_then(Node::as_moref),
    )
}

impl Posted {
    /// One element of an event array (its `xsi:type` says which event);
    /// `None` for an event that is none of vicport's kinds.
    pub fn from_node(n: &Node) -> Option<Self> {
        let kind = n.xsi_type.as_deref().unwrap_or(n.name.as_str());
        let key = n.child_text("key")?.trim().parse().ok()?;
        let mut attributes = BTreeMap::new();
        if let Some(user) = n.child_text("userName").filter(|u| !u.is_empty()) {
            attributes.insert("user".to_string(), user.to_string());
        }
        let time = n.child_text("createdTime").unwrap_or_default().to_string();
        let (object, action, subject, name) = if kind == "EventEx" {
            let id = n.child_text("eventTypeId")?;
            let action = VOLUME_EVENTS.iter().find(|(t, _)| *t == id)?.1;
            let mut name = None;
            for a in n.children("arguments") {
                let value = a.child_text("value").unwrap_or_default().to_string();
                match a.child_text("key") {
                    Some("volume") => name = Some(value),
                    Some(k) => {
                        attributes.insert(k.to_string(), value);
                    }
                    None => {}
                }
            }
            if let (Some(ds), _) = argument(n, "ds", "datastore") {
                attributes.insert("datastore".to_string(), ds.to_string());
            }
            ("volume", action, Subject::Volume, name?)
        } else {
            let &(_, object, action) = ACTIONS.iter().find(|(k, _, _)| *k == kind)?;
            if object == "network" {
                let (pg_name, pg) = argument(n, "net", "network");
                // Only a port group named as vicport names them.
                let name = pg_name?.strip_prefix(networks::PORTGROUP_PREFIX)?;
                if let (Some(switch), _) = argument(n, "dvs", "dvs") {
                    attributes.insert("switch".to_string(), switch.to_string());
                }
                (object, action, Subject::PortGroup(pg?), name.to_string())
            } else {
                let (vm_name, vm) = argument(n, "vm", "vm");
                let mut name = vm_name.unwrap_or_default().to_string();
                if action == "rename" {
                    let old = n.child_text("oldName").unwrap_or_default();
                    attributes.insert("old_name".to_string(), old.to_string());
                    if let Some(new) = n.child_text("newName").filter(|s| !s.is_empty()) {
                        name = new.to_string();
                    }
                }
                (object, action, Subject::Vm(vm?), name)
            }
        };
        Some(Posted {
            key,
            object,
            action,
            time,
            subject,
            name,
            attributes,
        })
    }
}

/// vicport's events of an event array (a `latestPage` value), oldest first.
pub fn parse_page(page: &Node) -> Vec<Posted> {
    let mut events: Vec<Posted> = page.children.iter().filter_map(Posted::from_node).collect();
    events.sort_by_key(|e| e.key);
    events
}

/// The answer to "is this object vicport's?", looked up on the server.
pub type IsOurs<'a> = std::pin::Pin<Box<dyn Future<Output = Result<bool>> + Send + 'a>>;

/// Which objects (VMs, or port groups) are vicport's: those known at the
/// start, and any other asked about once (`ask`) and remembered either way.
pub struct Owned<'a> {
    known: HashMap<MoRef, bool>,
    ask: &'a (dyn Fn(MoRef) -> IsOurs<'a> + Sync),
}

impl std::fmt::Debug for Owned<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Owned")
            .field("known", &self.known)
            .finish_non_exhaustive()
    }
}

impl<'a> Owned<'a> {
    pub fn new(
        ours: impl IntoIterator<Item = MoRef>,
        ask: &'a (dyn Fn(MoRef) -> IsOurs<'a> + Sync),
    ) -> Self {
        Owned {
            known: ours.into_iter().map(|d| (d, true)).collect(),
            ask,
        }
    }

    /// Whether `obj` is vicport's; one that was removed can no longer be
    /// asked: only one known to be vicport's counts.
    async fn contains(&mut self, obj: &MoRef, removed: bool) -> Result<bool> {
        if let Some(&known) = self.known.get(obj) {
            return Ok(known);
        }
        if removed {
            return Ok(false);
        }
        let answer = (self.ask)(obj.clone()).await?;
        self.known.insert(obj.clone(), answer);
        Ok(answer)
    }
}

/// What decides whose events are shown.
#[derive(Debug)]
pub struct Ours<'a> {
    pub domains: Owned<'a>,
    pub networks: Owned<'a>,
}

/// Deliver `events` newer than `*last` that are vicport's to `sink`; false
/// when the sink wants no more.
async fn deliver(
    events: Vec<Posted>,
    last: &mut i64,
    ours: &mut Ours<'_>,
    sink: &mut (dyn FnMut(Event) -> Result<bool> + Send),
) -> Result<bool> {
    for e in events {
        if e.key <= *last {
            continue;
        }
        *last = e.key;
        let removed = e.action == "remove";
        let shown = match &e.subject {
            Subject::Vm(vm) => ours.domains.contains(vm, removed).await?,
            Subject::PortGroup(pg) => ours.networks.contains(pg, removed).await?,
            Subject::Volume => true,
        };
        if !shown {
            continue;
        }
        let event = Event {
            time: e.time,
            object: e.object.into(),
            name: e.name,
            action: e.action.into(),
            attributes: e.attributes,
        };
        if !sink(event)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The keys of every event in a page, vicport's or not.
pub fn page_keys(page: &Node) -> Vec<i64> {
    page.children
        .iter()
        .filter_map(|e| e.child_text("key")?.trim().parse().ok())
        .collect()
}

/// Whether a followed page (its events' keys) may have missed events:
/// every event in it is new, and it is full.
pub fn may_have_missed(keys: &[i64], last: i64, page_size: u32) -> bool {
    keys.len() >= page_size as usize && keys.iter().all(|k| *k > last)
}

async fn page_size(s: &Session, collector: &MoRef, n: u32) -> Result<()> {
    s.call("SetCollectorPageSize", collector, |w| {
        w.text("maxCount", n.to_string());
    })
    .await?;
    Ok(())
}

/// The collector's latest page, counted as `events read`.
async fn latest_page(s: &Session, collector: &MoRef) -> Result<Vec<Posted>> {
    let o = vim::retrieve_one(s, collector, &["latestPage"]).await?;
    let page = o.props.get("latestPage");
    let n = page.map(|p| p.children.len()).unwrap_or(0);
    s.transport().counters().add("events read", n as u64);
    Ok(page.map(parse_page).unwrap_or_default())
}

/// The history, then (with `follow`) new events until the sink says stop.
pub async fn stream(
    s: &Session,
    event_manager: &MoRef,
    datacenter: &MoRef,
    follow: bool,
    ours: &mut Ours<'_>,
    sink: &mut (dyn FnMut(Event) -> Result<bool> + Send),
) -> Result<()> {
    let res = s
        .call("CreateCollectorForEvents", event_manager, |w| {
            w.open("filter");
            w.open("entity")
                .moref("entity", datacenter)
                .text("recursion", "all")
                .close("entity");
            for (kind, _, _) in ACTIONS {
                w.text("eventTypeId", kind);
            }
            // vcsim matches EventEx by its type; vCenter by the event's
            // own eventTypeId.
            w.text("eventTypeId", "EventEx");
            for (id, _) in VOLUME_EVENTS {
                w.text("eventTypeId", id);
            }
            w.close("filter");
        })
        .await?;
    let collector = res
        .child("returnval")
        .and_then(Node::as_moref)
        .ok_or_else(|| Error::other("CreateCollectorForEvents returned no collector"))?;
    let outcome = async {
        page_size(s, &collector, HISTORY).await?;
        let mut last = i64::MIN;
        let history = latest_page(s, &collector).await?;
        if !deliver(history, &mut last, ours, sink).await? || !follow {
            return Ok(());
        }
        // Ctrl-C ends a follow here, so that the collector is destroyed
        // (the session, and the collector with it, outlives the process,
        // and vCenter allows a session only so many collectors).
        let mut interrupt =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
                .map_err(|e| Error::io("watching for Ctrl-C", e))?;
        // From now on each update is a small page of the newest events.
        page_size(s, &collector, FOLLOW_PAGE).await?;
        let mut watch = Watch::new(s, &[(&collector, &["latestPage"])]).await?;
        let result = async {
            loop {
                let changes = tokio::select! {
                    changes = watch.next(s.transport().max_wait()) => changes?,
                    _ = interrupt.recv() => {
                        return Err(Error::interrupted("following events"));
                    }
                };
                for (_, path, value) in changes {
                    let Some(page) = value.filter(|_| path == "latestPage") else {
                        continue;
                    };
                    let counters = s.transport().counters();
                    counters.add("event pages followed", 1);
                    counters.add("events followed", page.children.len() as u64);
                    let keys = page_keys(&page);
                    let mut events = parse_page(&page);
                    if may_have_missed(&keys, last, FOLLOW_PAGE) {
                        page_size(s, &collector, HISTORY).await?;
                        events = latest_page(s, &collector).await?;
                        page_size(s, &collector, FOLLOW_PAGE).await?;
                    }
                    if !deliver(events, &mut last, ours, sink).await? {
                        return Ok(());
                    }
                    // Others' events in the page are old news now too.
                    last = keys.into_iter().fold(last, i64::max);
                }
            }
        }
        .await;
        watch.destroy().await;
        result
    }
    .await;
    // A collector lives as long as the session (which outlives this
    // process): leave none behind.
    if let Err(e) = s.call("DestroyCollector", &collector, |_| {}).await {
        tracing::debug!(target: "vicport::vsphere", error = %e, "destroying an event collector");
    }
    outcome
}

/// Where a volume event happened.
#[derive(Debug, Clone, Copy)]
pub struct VolumePlace<'a> {
    pub datacenter: &'a MoRef,
    pub datacenter_name: &'a str,
    pub datastore: &'a MoRef,
    pub datastore_name: &'a str,
}

/// Record a volume's create or remove in the event history (an `EventEx`
/// naming the volume, on its datastore and datacenter). The volume is made
/// or removed already: a server that refuses the event (no EventManager,
/// no `Global.LogEvent` privilege) is logged, not an error.
pub async fn post_volume_event(
    s: &Session,
    place: VolumePlace<'_>,
    volume: &str,
    action: &str,
    backing: &str,
) {
    let Some(em) = s.content().event_manager.clone() else {
        return;
    };
    let Some(&(id, _)) = VOLUME_EVENTS.iter().find(|(_, a)| *a == action) else {
        return;
    };
    let message = format!("vicport volume {volume} ({backing}): {action}");
    let result = s
        .call("PostEvent", &em, |w: &mut XmlWriter| {
            // The server sets key, chainId, createdTime and userName; the
            // schema wants them all the same.
            w.open_typed("eventToPost", "EventEx")
                .text("key", "0")
                .text("chainId", "0")
                .text("createdTime", crate::plumbing::spec::now())
                .text("userName", s.username());
            w.open("datacenter")
                .text("name", place.datacenter_name)
                .moref("datacenter", place.datacenter)
                .close("datacenter");
            w.open("ds")
                .text("name", place.datastore_name)
                .moref("datastore", place.datastore)
                .close("ds");
            w.text("fullFormattedMessage", &message)
                .text("eventTypeId", id)
                .text("severity", "info")
                .text("message", &message);
            for (key, value) in [("volume", volume), ("backing", backing)] {
                w.open("arguments")
                    .text("key", key)
                    .typed_text("value", "xsd:string", value)
                    .close("arguments");
            }
            w.text("objectId", &place.datastore.value)
                .text("objectType", "Datastore")
                .text("objectName", place.datastore_name);
            w.close("eventToPost");
        })
        .await;
    if let Err(e) = result {
        tracing::debug!(target: "vicport::vsphere", volume, action, error = %e, "recording a volume event");
    }
}

impl super::VspherePlatform {
    /// Lifecycle events of vicport's domains, volumes and networks from
    /// vCenter's event history (see the module's header).
    pub(super) async fn follow_events(
        &self,
        follow: bool,
        sink: &mut (dyn FnMut(Event) -> Result<bool> + Send),
    ) -> Result<()> {
        let Some(em) = self.session.content().event_manager.clone() else {
            return Err(Error::not_supported("events", &self.target)
                .with_hint("this vSphere endpoint has no EventManager"));
        };
        let datacenter = self.placement().await?.datacenter.moref.clone();
        let session = &self.session;
        let is_domain = |vm: MoRef| -> IsOurs<'_> {
            Box::pin(async move {
                match vim::retrieve_one(session, &vm, LIST_PROPS).await {
                    Ok(o) => Ok(record(&o).is_some()),
                    // Gone already: whatever it was, it is no domain now.
                    Err(e) if e.fault_kind() == Some(&FaultKind::ManagedObjectNotFound) => {
                        Ok(false)
                    }
                    Err(e) => Err(e.into()),
                }
            })
        };
        let known = self.domain_vms().await?.into_iter().map(|(o, _)| o.obj);
        let is_network = |pg: MoRef| -> IsOurs<'_> {
            Box::pin(async move { networks::is_vicport_portgroup(session, &pg).await })
        };
        let networks = self.network_store().await?.list().await?;
        let mut ours = Ours {
            domains: Owned::new(known, &is_domain),
            networks: Owned::new(
                networks.into_iter().filter_map(|n| match n.portgroup {
                    networks::PortGroup::Distributed { portgroup, .. } => Some(portgroup),
                    networks::PortGroup::Host { .. } => None,
                }),
                &is_network,
            ),
        };
        stream(session, &em, &datacenter, follow, &mut ours, sink).await
    }
}

#[cfg(test)]
#[path = "events_tests.rs"]
mod tests;
