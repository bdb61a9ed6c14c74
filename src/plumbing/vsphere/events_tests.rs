//! Reading event pages and choosing vicport's events, without a server.

use super::*;
use crate::plumbing::vsphere::xml;

fn page(xml_events: &str) -> Node {
    xml::parse(&format!(
        "<val xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">{xml_events}</val>"
    ))
    .unwrap()
}

fn head(kind: &str, key: i64) -> String {
    format!(
        "<Event xsi:type=\"{kind}\"><key>{key}</key><chainId>{key}</chainId>\
         <createdTime>2026-11-28T10:00:{key:02}Z</createdTime><userName>VSPHERE\\admin</userName>"
    )
}

fn event(kind: &str, key: i64, vm: &str, name: &str, extra: &str) -> String {
    format!(
        "{}<vm><name>{name}</name><vm type=\"VirtualMachine\">{vm}</vm></vm>{extra}\
         <fullFormattedMessage>m</fullFormattedMessage></Event>",
        head(kind, key)
    )
}

fn portgroup(kind: &str, key: i64, pg: &str, name: &str) -> String {
    format!(
        "{}<net><name>{name}</name><network type=\"DistributedVirtualPortgroup\">{pg}</network></net>\
         <dvs><name>DSwitch</name><dvs type=\"VmwareDistributedVirtualSwitch\">dvs-1</dvs></dvs></Event>",
        head(kind, key)
    )
}

fn volume(key: i64, id: &str, name: &str) -> String {
    format!(
        "{}<ds><name>ds1</name><datastore type=\"Datastore\">ds-1</datastore></ds>\
         <eventTypeId>{id}</eventTypeId><arguments><key>volume</key><value xsi:type=\"xsd:string\">{name}</value></arguments>\
         <arguments><key>backing</key><value xsi:type=\"xsd:string\">fcd</value></arguments></Event>",
        head("EventEx", key)
    )
}

#[test]
fn a_page_is_read_oldest_first_with_only_vicports_kinds() {
    let p = page(&format!(
        "{}{}{}{}{}{}{}{}",
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
        portgroup("DVPortgroupCreatedEvent", 14, "pg-1", "vicport-backend"),
        portgroup("DVPortgroupCreatedEvent", 15, "pg-2", "VM Network"),
        volume(16, "org.vicport.volume.create", "data"),
        volume(17, "com.example.other", "data"),
    ));
    let events = parse_page(&p);
    let seen: Vec<(i64, &str, &str, &str)> = events
        .iter()
        .map(|e| (e.key, e.object, e.action, e.name.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            (10, "domain", "create", "web"),
            (12, "domain", "start", "web"),
            (13, "domain", "rename", "front"),
            (14, "network", "create", "backend"),
            (16, "volume", "create", "data"),
        ]
    );
    assert_eq!(events[2].attributes["old_name"], "web");
    assert_eq!(
        events[0].subject,
        Subject::Vm(MoRef::new("VirtualMachine", "vm-1"))
    );
    assert_eq!(events[0].time, "2026-11-28T10:00:10Z");
    assert_eq!(events[0].attributes["user"], "VSPHERE\\admin");
    assert_eq!(events[3].attributes["switch"], "DSwitch");
    assert_eq!(events[4].attributes["backing"], "fcd");
    assert_eq!(events[4].attributes["datastore"], "ds1");
}

#[tokio::test]
async fn only_vicports_objects_are_delivered_once_each_and_a_stop_is_honoured() {
    let asked = std::sync::Mutex::new(Vec::new());
    let ask = |obj: MoRef| -> IsOurs<'_> {
        asked.lock().unwrap().push(obj.value.clone());
        Box::pin(async move { Ok(obj.value == "vm-new" || obj.value == "pg-new") })
    };
    let mut ours = Ours {
        domains: Owned::new([MoRef::new("VirtualMachine", "vm-1")], &ask),
        networks: Owned::new([MoRef::new("DistributedVirtualPortgroup", "pg-1")], &ask),
    };
    let p = page(&format!(
        "{}{}{}{}{}{}{}{}",
        event("VmCreatedEvent", 1, "vm-1", "web", ""),
        event("VmCreatedEvent", 2, "vm-other", "not-ours", ""),
        event("VmPoweredOnEvent", 3, "vm-other", "not-ours", ""),
        event("VmCreatedEvent", 4, "vm-new", "db", ""),
        event("VmRemovedEvent", 5, "vm-gone", "unknown", ""),
        portgroup("DVPortgroupCreatedEvent", 6, "pg-new", "vicport-front"),
        portgroup("DVPortgroupDestroyedEvent", 7, "pg-gone", "vicport-old"),
        volume(8, "org.vicport.volume.remove", "data"),
    ));
    let mut got = Vec::new();
    let mut last = i64::MIN;
    let more = deliver(parse_page(&p), &mut last, &mut ours, &mut |e| {
        got.push(format!("{} {} {}", e.object, e.action, e.name));
        Ok(true)
    })
    .await
    .unwrap();
    assert!(more);
    assert_eq!(
        got,
        [
            "domain create web",
            "domain create db",
            "network create front",
            "volume remove data"
        ]
    );
    // Each unknown object was asked about once; a removed one not at all.
    assert_eq!(*asked.lock().unwrap(), ["vm-other", "vm-new", "pg-new"]);
    assert_eq!(last, 8);

    // The same events again (a later page repeats them): nothing new.
    got.clear();
    let p2 = page(&format!(
        "{}{}{}{}",
        event("VmPoweredOnEvent", 3, "vm-other", "not-ours", ""),
        event("VmPoweredOffEvent", 9, "vm-new", "db", ""),
        event("VmRemovedEvent", 10, "vm-new", "db", ""),
        portgroup("DVPortgroupDestroyedEvent", 11, "pg-1", "vicport-back"),
    ));
    let more = deliver(parse_page(&p2), &mut last, &mut ours, &mut |e| {
        got.push(format!("{} {}", e.action, e.name));
        Ok(false)
    })
    .await
    .unwrap();
    assert!(!more, "the sink asked to stop");
    assert_eq!(got, ["die db"]);
}

#[test]
fn a_full_page_of_new_events_may_have_missed_some() {
    let keys: Vec<i64> = (100..120).collect();
    assert!(may_have_missed(&keys, 99, 20));
    // One event already seen: the page reaches back to what was read.
    assert!(!may_have_missed(&keys, 100, 20));
    // Not full: everything since the last update is in it.
    assert!(!may_have_missed(&keys[..19], 0, 20));
    let p = page(&format!(
        "{}{}",
        event("VmStartingEvent", 7, "vm-1", "web", ""),
        volume(8, "org.vicport.volume.create", "data")
    ));
    assert_eq!(page_keys(&p), [7, 8]);
}
