//! `vicport events` on vSphere: the domains' lifecycle as vCenter records
//! it. An EventHistoryCollector over the target's datacenter, filtered to
//! the VM events that are lifecycle steps, gives the history (its latest
//! page, up to 1000 events); WaitForUpdatesEx on the collector's
//! `latestPage` gives new ones as they are posted, without polling. Events
//! are shown only for VMs that are vicport's domains (by their extraConfig),
//! never for other VMs.

use std::collections::{BTreeMap, HashMap};

use crate::plumbing::error::{Error, Result};
use crate::plumbing::platform::Event;

use super::session::Session;
use super::vim::{self, Watch};
use super::xml::{MoRef, Node};

/// vSphere's event types and the action each is for a domain, as the local
/// platform names them.
pub const ACTIONS: &[(&str, &str)] = &[
    ("VmCreatedEvent", "create"),
    ("VmPoweredOnEvent", "start"),
    ("VmPoweredOffEvent", "die"),
    ("VmRenamedEvent", "rename"),
    ("VmReconfiguredEvent", "update"),
    ("VmRemovedEvent", "remove"),
];

/// How many events the history holds (vSphere's largest page).
pub const HISTORY: u32 = 1000;

/// One VM event, as far as vicport reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VmEvent {
    /// The event's key: increasing in the order vCenter posted them.
    pub key: i64,
    pub action: &'static str,
    /// `createdTime`, RFC 3339.
    pub time: String,
    pub vm: Option<MoRef>,
    /// The VM's name when the event was posted (the new one for a rename).
    pub name: String,
    pub attributes: BTreeMap<String, String>,
}

impl VmEvent {
    /// One element of an event array (its `xsi:type` says which event);
    /// `None` for an event that is not a lifecycle step.
    pub fn from_node(n: &Node) -> Option<Self> {
        let kind = n.xsi_type.as_deref().unwrap_or(n.name.as_str());
        let action = ACTIONS.iter().find(|(k, _)| *k == kind)?.1;
        let key = n.child_text("key")?.trim().parse().ok()?;
        let vm_arg = n.child("vm");
        let mut attributes = BTreeMap::new();
        let mut name = vm_arg
            .and_then(|v| v.child_text("name"))
            .unwrap_or_default()
            .to_string();
        if action == "rename" {
            let old = n.child_text("oldName").unwrap_or_default();
            let new = n.child_text("newName").unwrap_or_default();
            attributes.insert("old_name".to_string(), old.to_string());
            if !new.is_empty() {
                name = new.to_string();
            }
        }
        if let Some(user) = n.child_text("userName").filter(|u| !u.is_empty()) {
            attributes.insert("user".to_string(), user.to_string());
        }
        Some(VmEvent {
            key,
            action,
            time: n.child_text("createdTime").unwrap_or_default().to_string(),
            vm: vm_arg.and_then(|v| v.child("vm")).and_then(Node::as_moref),
            name,
            attributes,
        })
    }
}

/// The lifecycle events of an event array (a `latestPage` value), oldest
/// first.
pub fn parse_page(page: &Node) -> Vec<VmEvent> {
    let mut events: Vec<VmEvent> = page
        .children
        .iter()
        .filter_map(VmEvent::from_node)
        .collect();
    events.sort_by_key(|e| e.key);
    events
}

/// The answer to "is this VM a domain?", looked up on the server.
pub type IsDomain<'a> = std::pin::Pin<Box<dyn Future<Output = Result<bool>> + Send + 'a>>;

/// Which VMs are domains: those known at the start, and any other asked
/// about once (`is_domain`) and remembered either way.
pub struct Domains<'a> {
    known: HashMap<MoRef, bool>,
    is_domain: &'a (dyn Fn(MoRef) -> IsDomain<'a> + Sync),
}

impl std::fmt::Debug for Domains<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Domains")
            .field("known", &self.known)
            .finish_non_exhaustive()
    }
}

impl<'a> Domains<'a> {
    pub fn new(
        domains: impl IntoIterator<Item = MoRef>,
        is_domain: &'a (dyn Fn(MoRef) -> IsDomain<'a> + Sync),
    ) -> Self {
        Domains {
            known: domains.into_iter().map(|d| (d, true)).collect(),
            is_domain,
        }
    }

    async fn contains(&mut self, vm: &MoRef) -> Result<bool> {
        if let Some(&known) = self.known.get(vm) {
            return Ok(known);
        }
        let answer = (self.is_domain)(vm.clone()).await?;
        self.known.insert(vm.clone(), answer);
        Ok(answer)
    }
}

/// Deliver `events` newer than `*last` that are domains' to `sink`; false
/// when the sink wants no more.
async fn deliver(
    events: Vec<VmEvent>,
    last: &mut i64,
    domains: &mut Domains<'_>,
    sink: &mut (dyn FnMut(Event) -> Result<bool> + Send),
) -> Result<bool> {
    for e in events {
        if e.key <= *last {
            continue;
        }
        *last = e.key;
        let Some(vm) = &e.vm else { continue };
        // A removed VM cannot be asked any more: only one known to be a
        // domain is reported.
        let ours = if e.action == "remove" {
            domains.known.get(vm) == Some(&true)
        } else {
            domains.contains(vm).await?
        };
        if !ours {
            continue;
        }
        let event = Event {
            time: e.time,
            object: "domain".into(),
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

/// The history, then (with `follow`) new events until the sink says stop.
pub async fn stream(
    s: &Session,
    event_manager: &MoRef,
    datacenter: &MoRef,
    follow: bool,
    domains: &mut Domains<'_>,
    sink: &mut (dyn FnMut(Event) -> Result<bool> + Send),
) -> Result<()> {
    let res = s
        .call("CreateCollectorForEvents", event_manager, |w| {
            w.open("filter");
            w.open("entity")
                .moref("entity", datacenter)
                .text("recursion", "all")
                .close("entity");
            for (kind, _) in ACTIONS {
                w.text("eventTypeId", kind);
            }
            w.close("filter");
        })
        .await?;
    let collector = res
        .child("returnval")
        .and_then(Node::as_moref)
        .ok_or_else(|| Error::other("CreateCollectorForEvents returned no collector"))?;
    let outcome = async {
        s.call("SetCollectorPageSize", &collector, |w| {
            w.text("maxCount", HISTORY.to_string());
        })
        .await?;
        let mut last = i64::MIN;
        if !follow {
            let o = vim::retrieve_one(s, &collector, &["latestPage"]).await?;
            let page = o
                .props
                .get("latestPage")
                .map(parse_page)
                .unwrap_or_default();
            deliver(page, &mut last, domains, sink).await?;
            return Ok(());
        }
        // Ctrl-C ends a follow here, so that the collector is destroyed
        // (the session, and the collector with it, outlives the process,
        // and vCenter allows a session only so many collectors).
        let mut interrupt =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
                .map_err(|e| Error::io("watching for Ctrl-C", e))?;
        // The filter's first update is the page as it is: the history.
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
                    if !deliver(parse_page(&page), &mut last, domains, sink).await? {
                        return Ok(());
                    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::vsphere::xml;

    fn page(xml_events: &str) -> Node {
        xml::parse(&format!(
            "<val xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">{xml_events}</val>"
        ))
        .unwrap()
    }

    fn event(kind: &str, key: i64, vm: &str, name: &str, extra: &str) -> String {
        format!(
            "<Event xsi:type=\"{kind}\"><key>{key}</key><chainId>{key}</chainId>\
             <createdTime>2026-11-28T10:00:{key:02}Z</createdTime><userName>VSPHERE\\admin</userName>\
             <vm><name>{name}</name><vm type=\"VirtualMachine\">{vm}</vm></vm>{extra}\
             <fullFormattedMessage>m</fullFormattedMessage></Event>"
        )
    }

    #[test]
    fn a_page_is_read_oldest_first_with_only_lifecycle_events() {
        let p = page(&format!(
            "{}{}{}{}",
            event("VmPoweredOnEvent", 12, "vm-1", "web", ""),
            event("VmStartingEvent", 11, "vm-1", "web", ""),
            event("VmCreatedEvent", 10, "vm-1", "web", ""),
            event(
                "VmRenamedEvent",
                13,
                "vm-1",
                "web",
                "<oldName>web</oldName><newName>front</newName>"
            ),
        ));
        let events = parse_page(&p);
        let seen: Vec<(i64, &str, &str)> = events
            .iter()
            .map(|e| (e.key, e.action, e.name.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                (10, "create", "web"),
                (12, "start", "web"),
                (13, "rename", "front")
            ]
        );
        assert_eq!(events[2].attributes["old_name"], "web");
        assert_eq!(events[0].vm, Some(MoRef::new("VirtualMachine", "vm-1")));
        assert_eq!(events[0].time, "2026-11-28T10:00:10Z");
        assert_eq!(events[0].attributes["user"], "VSPHERE\\admin");
    }

    #[tokio::test]
    async fn only_domains_are_delivered_once_each_and_a_stop_is_honoured() {
        let asked = std::sync::Mutex::new(Vec::new());
        let is_domain = |vm: MoRef| -> IsDomain<'_> {
            asked.lock().unwrap().push(vm.value.clone());
            Box::pin(async move { Ok(vm.value == "vm-new") })
        };
        let mut domains = Domains::new([MoRef::new("VirtualMachine", "vm-1")], &is_domain);
        let p = page(&format!(
            "{}{}{}{}{}",
            event("VmCreatedEvent", 1, "vm-1", "web", ""),
            event("VmCreatedEvent", 2, "vm-other", "not-ours", ""),
            event("VmPoweredOnEvent", 3, "vm-other", "not-ours", ""),
            event("VmCreatedEvent", 4, "vm-new", "db", ""),
            event("VmRemovedEvent", 5, "vm-gone", "unknown", ""),
        ));
        let mut got = Vec::new();
        let mut last = i64::MIN;
        let more = deliver(parse_page(&p), &mut last, &mut domains, &mut |e| {
            got.push(format!("{} {}", e.action, e.name));
            Ok(true)
        })
        .await
        .unwrap();
        assert!(more);
        assert_eq!(got, ["create web", "create db"]);
        // Each unknown VM was asked about once; a removed one not at all.
        assert_eq!(*asked.lock().unwrap(), ["vm-other", "vm-new"]);
        assert_eq!(last, 5);

        // The same page again (a later update repeats it): nothing new.
        got.clear();
        let p2 = page(&format!(
            "{}{}{}",
            event("VmPoweredOnEvent", 3, "vm-other", "not-ours", ""),
            event("VmPoweredOffEvent", 6, "vm-new", "db", ""),
            event("VmRemovedEvent", 7, "vm-new", "db", ""),
        ));
        let more = deliver(parse_page(&p2), &mut last, &mut domains, &mut |e| {
            got.push(format!("{} {}", e.action, e.name));
            Ok(false)
        })
        .await
        .unwrap();
        assert!(!more, "the sink asked to stop");
        assert_eq!(got, ["die db"]);
    }
}
