//! Placement resolved in a built inventory, without a server: nested
//! datacenters and folders, settings by name and inventory path, the
//! datacenter of an object from its ancestors, and `choose`'s defaults.

use super::*;
use crate::plumbing::error::ErrorKind;

fn n(name: &str, id: &str) -> Named {
    Named {
        moref: MoRef::new("Datastore", id),
        name: name.into(),
    }
}

/// An object as the property collector describes it: `props` are
/// (path, value) with a value `Kind:id` for a reference, `[Kind:id,..]`
/// for an array of them, else text.
fn obj(kind: &str, id: &str, props: &[(&str, &str)]) -> ObjectContent {
    let mut xml = String::new();
    for (path, value) in props {
        let moref = |v: &str| {
            let (k, i) = v.split_once(':').unwrap();
            format!("<ManagedObjectReference type=\"{k}\">{i}</ManagedObjectReference>")
        };
        if let Some(list) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            let items: String = list.split(',').map(moref).collect();
            xml += &format!("<v path=\"{path}\">{items}</v>");
        } else if let Some((k, i)) = value.split_once(':') {
            xml += &format!("<v path=\"{path}\" type=\"{k}\">{i}</v>");
        } else {
            xml += &format!("<v path=\"{path}\">{value}</v>");
        }
    }
    let doc = super::super::xml::parse(&format!("<r>{xml}</r>")).unwrap();
    let mut o = ObjectContent {
        obj: MoRef::new(kind, id),
        ..ObjectContent::default()
    };
    for p in &doc.children {
        o.props
            .insert(p.attr("path").unwrap().to_string(), p.clone());
    }
    o
}

/// A datacenter inside a folder, a VM subfolder, a cluster with a child
/// pool, and two datastores.
fn nested() -> Inventory {
    let root = MoRef::new("Folder", "group-d1");
    Inventory::from_objects(
        vec![
            obj(
                "Folder",
                "group-f0",
                &[("name", "F0"), ("parent", "Folder:group-d1")],
            ),
            obj(
                "Datacenter",
                "dc-1",
                &[
                    ("name", "DC0"),
                    ("parent", "Folder:group-f0"),
                    ("vmFolder", "Folder:group-v1"),
                    ("hostFolder", "Folder:group-h1"),
                    ("datastoreFolder", "Folder:group-s1"),
                    ("networkFolder", "Folder:group-n1"),
                ],
            ),
            obj(
                "Folder",
                "group-v1",
                &[("name", "vm"), ("parent", "Datacenter:dc-1")],
            ),
            obj(
                "Folder",
                "group-v2",
                &[("name", "apps"), ("parent", "Folder:group-v1")],
            ),
            obj(
                "Folder",
                "group-h1",
                &[("name", "host"), ("parent", "Datacenter:dc-1")],
            ),
            obj(
                "ClusterComputeResource",
                "domain-c1",
                &[
                    ("name", "C0"),
                    ("parent", "Folder:group-h1"),
                    ("resourcePool", "ResourcePool:resgroup-1"),
                    ("host", "[HostSystem:host-1,HostSystem:host-2]"),
                ],
            ),
            obj(
                "ResourcePool",
                "resgroup-1",
                &[
                    ("name", "Resources"),
                    ("parent", "ClusterComputeResource:domain-c1"),
                    ("owner", "ClusterComputeResource:domain-c1"),
                ],
            ),
            obj(
                "ResourcePool",
                "resgroup-2",
                &[
                    ("name", "batch"),
                    ("parent", "ResourcePool:resgroup-1"),
                    ("owner", "ClusterComputeResource:domain-c1"),
                ],
            ),
            obj(
                "HostSystem",
                "host-1",
                &[
                    ("name", "esx1"),
                    ("parent", "ClusterComputeResource:domain-c1"),
                ],
            ),
            obj(
                "HostSystem",
                "host-2",
                &[
                    ("name", "esx2"),
                    ("parent", "ClusterComputeResource:domain-c1"),
                ],
            ),
            obj(
                "Folder",
                "group-s1",
                &[("name", "datastore"), ("parent", "Datacenter:dc-1")],
            ),
            obj(
                "Datastore",
                "datastore-1",
                &[
                    ("name", "ds1"),
                    ("parent", "Folder:group-s1"),
                    ("summary.capacity", "100"),
                    ("summary.freeSpace", "40"),
                ],
            ),
            obj(
                "Datastore",
                "datastore-2",
                &[("name", "ds2"), ("parent", "Folder:group-s1")],
            ),
        ],
        root,
    )
}

fn settings<'a>(
    folder: Option<&'a str>,
    pool: Option<&'a str>,
    ds: Option<&'a str>,
) -> PlacementSettings<'a> {
    PlacementSettings {
        datacenter: None,
        datastore: ds,
        resource_pool: pool,
        folder,
    }
}

#[test]
fn placement_in_a_datacenter_inside_a_folder() {
    let inv = nested();
    let p = resolve_in(&inv, &settings(None, None, Some("ds1"))).unwrap();
    assert_eq!(p.datacenter.name, "DC0");
    assert_eq!(p.datacenter_path, "F0/DC0");
    assert_eq!(p.folder_path, "/F0/DC0/vm");
    assert_eq!((p.compute.name.as_str(), p.is_cluster), ("C0", true));
    assert_eq!(p.pool.moref, MoRef::new("ResourcePool", "resgroup-1"));
    let hosts: Vec<&str> = p.hosts.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(hosts, ["esx1", "esx2"]);
    assert_eq!(
        (p.datastore.capacity, p.datastore.free),
        (Some(100), Some(40))
    );
    assert_eq!(p.network_folder, MoRef::new("Folder", "group-n1"));

    // Two datastores and none chosen: the error lists both.
    let e = resolve_in(&inv, &settings(None, None, None)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(
        e.to_string().contains("ds1") && e.to_string().contains("ds2"),
        "{e}"
    );
}

#[test]
fn settings_by_name_by_absolute_and_by_relative_inventory_path() {
    let inv = nested();
    for folder in ["apps", "/F0/DC0/vm/apps", "/F0/DC0/vm/apps/"] {
        let p = resolve_in(&inv, &settings(Some(folder), None, Some("ds2"))).unwrap();
        assert_eq!(p.folder.moref, MoRef::new("Folder", "group-v2"), "{folder}");
        assert_eq!(p.folder_path, "/F0/DC0/vm/apps");
    }
    for pool in [
        "batch",
        "C0/Resources/batch",
        "/F0/DC0/host/C0/Resources/batch",
    ] {
        let p = resolve_in(&inv, &settings(None, Some(pool), Some("ds1"))).unwrap();
        assert_eq!(p.pool.name, "batch", "{pool}");
        assert_eq!(p.compute.name, "C0");
    }
    // A cluster's path means its root pool.
    let p = resolve_in(&inv, &settings(None, Some("/F0/DC0/host/C0"), Some("ds1"))).unwrap();
    assert_eq!(p.pool.moref, MoRef::new("ResourcePool", "resgroup-1"));
    let p = resolve_in(&inv, &settings(None, None, Some("/F0/DC0/datastore/ds2"))).unwrap();
    assert_eq!(p.datastore.named.name, "ds2");
    // A path naming nothing, or the wrong kind of thing, is not found.
    for (folder, ds) in [(Some("/F0/DC0/vm/nope"), "ds1"), (None, "/F0/DC0/vm/apps")] {
        let e = resolve_in(&inv, &settings(folder, None, Some(ds))).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    }
}

#[test]
fn the_datacenter_of_an_object_from_its_ancestors() {
    let inv = nested();
    let root = MoRef::new("Folder", "group-d1");
    let dc = datacenter_in(&inv.objects, &MoRef::new("HostSystem", "host-2"), &root).unwrap();
    assert_eq!(
        (dc.moref.value.as_str(), dc.path.as_str()),
        ("dc-1", "F0/DC0")
    );
    let dc = datacenter_in(&inv.objects, &MoRef::new("Datacenter", "dc-1"), &root).unwrap();
    assert_eq!(dc.path, "F0/DC0");
    assert!(datacenter_in(&inv.objects, &MoRef::new("Folder", "group-f0"), &root).is_err());
}

#[test]
fn choose_defaults_to_the_only_one() {
    let c = [n("ds1", "d1")];
    assert_eq!(
        choose("datastore", "datastore", None, None, &c).unwrap(),
        c[0]
    );
}

#[test]
fn choose_lists_candidates_when_ambiguous_or_missing() {
    let c = [n("ds1", "d1"), n("ds2", "d2")];
    let e = choose("datastore", "datastore", None, None, &c).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(
        e.to_string().contains("ds1") && e.to_string().contains("ds2"),
        "{e}"
    );
    let e = choose("datastore", "datastore", Some("ds3"), None, &c).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(e.hint().unwrap().contains("ds1"), "{:?}", e.hint());
    assert_eq!(
        choose("datastore", "datastore", Some("ds2"), None, &c).unwrap(),
        c[1]
    );
    let dup = [n("x", "d1"), n("x", "d2")];
    let e = choose("datastore", "datastore", Some("x"), None, &dup).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    let e = choose("datastore", "datastore", None, None, &[]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
}
