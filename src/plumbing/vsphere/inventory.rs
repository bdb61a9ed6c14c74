//! Placement: the datacenter, folder, resource pool (cluster or host),
//! datastore and network a target's domains live in, each resolved by name
//! or inventory path, or by default the only one there is.

use crate::plumbing::error::{Error, Result};

use super::datastore::DatacenterRef;
use super::session::Session;
use super::vim::{self, ObjectContent, Objects};
use super::xml::MoRef;

/// A resolved inventory object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub moref: MoRef,
    pub name: String,
}

impl Named {
    fn from(o: &ObjectContent) -> Self {
        Named {
            moref: o.obj.clone(),
            name: o.text("name").unwrap_or_default().to_string(),
        }
    }
}

/// A datastore with its capacity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Datastore {
    pub named: Named,
    pub capacity: Option<i64>,
    pub free: Option<i64>,
}

/// Where domains are created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub datacenter: Named,
    /// The folder domains live in (the datacenter's VM folder by default).
    pub folder: Named,
    /// The cluster or standalone host whose resources are used.
    pub compute: Named,
    /// Whether `compute` is a cluster.
    pub is_cluster: bool,
    /// The resource pool domains run in.
    pub pool: Named,
    /// The hosts of `compute`.
    pub hosts: Vec<Named>,
    pub datastore: Datastore,
    /// The datacenter's network folder (where networks are made and found).
    pub network_folder: MoRef,
}

/// What a target asks for; `None` means "the only one there is".
#[derive(Debug, Clone, Default)]
pub struct PlacementSettings<'a> {
    pub datacenter: Option<&'a str>,
    pub datastore: Option<&'a str>,
    pub resource_pool: Option<&'a str>,
    pub folder: Option<&'a str>,
}

/// Pick one of `candidates` of `what`: by the setting (name, or inventory
/// path already looked up into `by_path`), or the only one there is.
fn choose(
    what: &str,
    flag: &str,
    setting: Option<&str>,
    by_path: Option<&MoRef>,
    candidates: &[Named],
) -> Result<Named> {
    let list = |c: &[Named]| {
        let mut names: Vec<String> = c
            .iter()
            .map(|n| format!("{} ({})", n.name, n.moref.value))
            .collect();
        names.sort();
        if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        }
    };
    match setting {
        Some(wanted) => {
            let matches: Vec<&Named> = match by_path {
                // One object, whatever names it goes by.
                Some(r) => candidates
                    .iter()
                    .filter(|n| &n.moref == r)
                    .take(1)
                    .collect(),
                None => candidates.iter().filter(|n| n.name == wanted).collect(),
            };
            match matches.as_slice() {
                [one] => Ok((*one).clone()),
                [] => Err(Error::not_found(what, wanted).with_hint(format!(
                    "these exist: {}; set one with `vicport target add ... --{flag} NAME`",
                    list(candidates)
                ))),
                many => Err(Error::invalid(format!(
                    "{} {what}s are named {wanted:?}: {}",
                    many.len(),
                    list(&many.iter().map(|n| (*n).clone()).collect::<Vec<_>>())
                ))
                .with_hint(format!(
                    "give the {what}'s inventory path with `vicport target add ... --{flag} /DC/...`"
                ))),
            }
        }
        None => match candidates {
            [one] => Ok(one.clone()),
            [] => Err(Error::not_found(what, "(any)").with_hint(format!(
                "the target has no {what}: create one in vSphere first"
            ))),
            many => Err(Error::invalid(format!(
                "the target has {} {what}s and none is chosen: {}",
                many.len(),
                list(many)
            ))
            .with_hint(format!(
                "choose one with `vicport target add ... --{flag} NAME`"
            ))),
        },
    }
}

/// Look a setting up as an inventory path when it has a '/'; relative paths
/// are taken under `base` (e.g. `/DC0/vm`).
async fn by_path(s: &Session, setting: Option<&str>, base: &str) -> Result<Option<MoRef>> {
    let Some(v) = setting.filter(|v| v.contains('/')) else {
        return Ok(None);
    };
    let path = if v.starts_with('/') {
        v.to_string()
    } else {
        format!("{base}/{v}")
    };
    let found = vim::find_by_inventory_path(s, &path).await?;
    // A path that names nothing matches nothing: reported as not found.
    Ok(Some(found.unwrap_or_else(|| MoRef::new("", ""))))
}

/// Resolve every part of the placement.
pub async fn resolve(s: &Session, settings: &PlacementSettings<'_>) -> Result<Placement> {
    let root = s.content().root_folder.clone();

    let dcs = vim::retrieve_in_container(
        s,
        &root,
        "Datacenter",
        &[
            "name",
            "vmFolder",
            "hostFolder",
            "datastoreFolder",
            "networkFolder",
        ],
        None,
    )
    .await?;
    let dc_names: Vec<Named> = dcs.iter().map(Named::from).collect();
    let dc_path = by_path(s, settings.datacenter, "").await?;
    let datacenter = choose(
        "datacenter",
        "datacenter",
        settings.datacenter,
        dc_path.as_ref(),
        &dc_names,
    )?;
    let dc = dcs
        .iter()
        .find(|o| o.obj == datacenter.moref)
        .ok_or_else(|| Error::other("the chosen datacenter vanished"))?;
    // The inventory path prefix of the datacenter's children.
    let dc_base = format!("/{}", datacenter.name);

    // Folder: the VM folder, or one under it.
    let vm_folder = dc
        .moref("vmFolder")
        .ok_or_else(|| Error::other("the datacenter has no VM folder"))?;
    let folder = match settings.folder {
        None => Named {
            moref: vm_folder,
            name: "vm".into(),
        },
        Some(_) => {
            let path = by_path(s, settings.folder, &format!("{dc_base}/vm")).await?;
            let folders =
                vim::retrieve_in_container(s, &vm_folder, "Folder", &["name"], None).await?;
            let candidates: Vec<Named> = folders.iter().map(Named::from).collect();
            choose(
                "folder",
                "folder",
                settings.folder,
                path.as_ref(),
                &candidates,
            )?
        }
    };

    // Compute: clusters and standalone hosts, and their pools.
    let host_folder = dc
        .moref("hostFolder")
        .ok_or_else(|| Error::other("the datacenter has no host folder"))?;
    let computes = vim::retrieve_in_container(
        s,
        &host_folder,
        "ComputeResource",
        &["name", "resourcePool", "host"],
        None,
    )
    .await?;
    let pools =
        vim::retrieve_in_container(s, &host_folder, "ResourcePool", &["name", "owner"], None)
            .await?;
    let (compute, pool) = match settings.resource_pool {
        None => {
            let candidates: Vec<Named> = computes.iter().map(Named::from).collect();
            let c = choose("cluster or host", "resource-pool", None, None, &candidates)?;
            let rp = computes
                .iter()
                .find(|o| o.obj == c.moref)
                .and_then(|o| o.moref("resourcePool"))
                .ok_or_else(|| Error::other(format!("{} has no resource pool", c.name)))?;
            let pool = pools
                .iter()
                .find(|p| p.obj == rp)
                .map(Named::from)
                .unwrap_or(Named {
                    moref: rp,
                    name: "Resources".into(),
                });
            (c, pool)
        }
        Some(_) => {
            // A pool by name or path, or a cluster/host meaning its root pool.
            let path = by_path(s, settings.resource_pool, &format!("{dc_base}/host")).await?;
            let mut candidates: Vec<Named> = pools.iter().map(Named::from).collect();
            let root_pools: Vec<(Named, MoRef)> = computes
                .iter()
                .filter_map(|c| Some((Named::from(c), c.moref("resourcePool")?)))
                .collect();
            for (c, rp) in &root_pools {
                if !candidates.iter().any(|n| n.name == c.name) {
                    candidates.push(Named {
                        moref: rp.clone(),
                        name: c.name.clone(),
                    });
                }
            }
            let path = path.map(|p| {
                // A path to a cluster or host means its root pool.
                root_pools
                    .iter()
                    .find(|(c, _)| c.moref == p)
                    .map(|(_, rp)| rp.clone())
                    .unwrap_or(p)
            });
            let chosen = choose(
                "resource pool",
                "resource-pool",
                settings.resource_pool,
                path.as_ref(),
                &candidates,
            )?;
            let owner = pools
                .iter()
                .find(|p| p.obj == chosen.moref)
                .and_then(|p| p.moref("owner"))
                .ok_or_else(|| {
                    Error::other(format!("resource pool {} has no owner", chosen.name))
                })?;
            let compute = computes
                .iter()
                .find(|c| c.obj == owner)
                .map(Named::from)
                .ok_or_else(|| Error::other("the resource pool's owner vanished"))?;
            let pool = pools
                .iter()
                .find(|p| p.obj == chosen.moref)
                .map(Named::from)
                .unwrap_or(chosen);
            (compute, pool)
        }
    };
    let host_refs = computes
        .iter()
        .find(|c| c.obj == compute.moref)
        .map(|c| c.morefs("host"))
        .unwrap_or_default();
    let hosts = if host_refs.is_empty() {
        Vec::new()
    } else {
        vim::retrieve(
            s,
            Objects::These(&host_refs),
            &[("HostSystem", &["name"])],
            None,
        )
        .await?
        .iter()
        .map(Named::from)
        .collect()
    };

    // Datastore: one of the datacenter's. Found through its datastore
    // folder: vcsim's ESX model lists a stale datastore in the datacenter's
    // `datastore` property.
    let ds_folder = dc
        .moref("datastoreFolder")
        .ok_or_else(|| Error::other("the datacenter has no datastore folder"))?;
    let dss = vim::retrieve_in_container(
        s,
        &ds_folder,
        "Datastore",
        &["name", "summary.capacity", "summary.freeSpace"],
        None,
    )
    .await?;
    let ds_path = by_path(s, settings.datastore, &format!("{dc_base}/datastore")).await?;
    let ds_names: Vec<Named> = dss.iter().map(Named::from).collect();
    let ds = choose(
        "datastore",
        "datastore",
        settings.datastore,
        ds_path.as_ref(),
        &ds_names,
    )?;
    let ds_content = dss.iter().find(|o| o.obj == ds.moref);
    let datastore = Datastore {
        capacity: ds_content.and_then(|o| o.number("summary.capacity")),
        free: ds_content.and_then(|o| o.number("summary.freeSpace")),
        named: ds,
    };

    Ok(Placement {
        is_cluster: compute.moref.kind == "ClusterComputeResource",
        network_folder: dc
            .moref("networkFolder")
            .ok_or_else(|| Error::other("the datacenter has no network folder"))?,
        datacenter,
        folder,
        compute,
        pool,
        hosts,
        datastore,
    })
}

/// The datacenter an object is in (the object itself when it is one), with
/// the datacenter's inventory path (`DC0`, `Folder/DC0`): walks up the
/// parents, one call per level.
pub async fn datacenter_of(s: &Session, obj: &MoRef) -> Result<DatacenterRef> {
    let root = &s.content().root_folder;
    let mut at = obj.clone();
    let mut dc: Option<MoRef> = None;
    let mut names = Vec::new();
    // Inventories are shallow; the bound only guards against a cycle.
    for _ in 0..32 {
        if &at == root {
            break;
        }
        let o = vim::retrieve_one(s, &at, &["name", "parent"]).await?;
        if at.kind == "Datacenter" {
            dc = Some(at.clone());
        }
        if dc.is_some() {
            names.push(o.text("name").unwrap_or(&at.value).to_string());
        }
        match o.moref("parent") {
            Some(p) => at = p,
            None => break,
        }
    }
    let moref = dc.ok_or_else(|| {
        Error::other(format!("{obj} is not inside a datacenter"))
            .with_hint("it was removed meanwhile, or the user may not see its datacenter")
    })?;
    names.reverse();
    Ok(DatacenterRef {
        moref,
        path: names.join("/"),
    })
}

/// The inventory path of an object, walking up its parents to the root.
pub async fn inventory_path(s: &Session, obj: &MoRef) -> Result<String> {
    let chain = vim::retrieve(
        s,
        Objects::Ancestors(obj),
        &[("ManagedEntity", ANCESTOR_PROPS)],
        None,
    )
    .await?;
    Ok(path_in(&chain, obj, &s.content().root_folder))
}

/// What [`path_in`] needs of every ancestor.
pub const ANCESTOR_PROPS: &[&str] = &["name", "parent"];

/// The inventory path of `obj` from a retrieved chain of it and its
/// ancestors (`name` and `parent` of each; see `Objects::Ancestors`), by
/// following `parent` up to the root folder.
pub fn path_in(chain: &[ObjectContent], obj: &MoRef, root: &MoRef) -> String {
    let by_ref: std::collections::HashMap<&MoRef, &ObjectContent> =
        chain.iter().map(|o| (&o.obj, o)).collect();
    let mut parts = Vec::new();
    let mut at = obj.clone();
    // Inventories are shallow; the bound only guards against a cycle.
    for _ in 0..32 {
        if &at == root {
            break;
        }
        let Some(o) = by_ref.get(&at) else { break };
        parts.push(o.text("name").unwrap_or(&at.value).to_string());
        match o.moref("parent") {
            Some(p) => at = p,
            None => break,
        }
    }
    parts.reverse();
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::error::ErrorKind;

    fn n(name: &str, id: &str) -> Named {
        Named {
            moref: MoRef::new("Datastore", id),
            name: name.into(),
        }
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
}
