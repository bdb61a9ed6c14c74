//! Placement: the datacenter, folder, resource pool (cluster or host),
//! datastore and network a target's domains live in, each resolved by name
//! or inventory path, or by default the only one there is.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::plumbing::error::{Error, Result};

use super::datastore::DatacenterRef;
use super::fault::FaultKind;
use super::session::Session;
use super::vim::{self, ObjectContent, Objects};
use super::xml::MoRef;

/// A resolved inventory object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Datastore {
    pub named: Named,
    pub capacity: Option<i64>,
    pub free: Option<i64>,
}

/// Where domains are created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub datacenter: Named,
    /// The datacenter's inventory path without the leading `/` (`DC0`,
    /// `Folder/DC0`): what the datastore file API's `dcPath` wants.
    pub datacenter_path: String,
    /// The folder domains live in (the datacenter's VM folder by default).
    pub folder: Named,
    /// Its inventory path (`/DC0/vm`): a new domain's is this plus its name.
    pub folder_path: String,
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

/// The inventory objects placement chooses among, read in one go: every
/// datacenter, folder, compute resource, resource pool, host and datastore
/// the user can see, with its name and parent, from one container view
/// (three round trips, where a search per kind and path took fourteen).
struct Inventory {
    objects: Vec<ObjectContent>,
    by_ref: HashMap<MoRef, usize>,
    root: MoRef,
}

/// The kinds in the view and what is read of each.
const INVENTORY: &[(&str, &[&str])] = &[
    (
        "Datacenter",
        &[
            "name",
            "parent",
            "vmFolder",
            "hostFolder",
            "datastoreFolder",
            "networkFolder",
        ],
    ),
    ("Folder", &["name", "parent"]),
    (
        "ComputeResource",
        &["name", "parent", "resourcePool", "host"],
    ),
    ("ResourcePool", &["name", "parent", "owner"]),
    ("HostSystem", &["name", "parent"]),
    (
        "Datastore",
        &["name", "parent", "summary.capacity", "summary.freeSpace"],
    ),
];

impl Inventory {
    async fn read(s: &Session) -> Result<Self> {
        let root = s.content().root_folder.clone();
        let kinds: Vec<&str> = INVENTORY.iter().map(|(k, _)| *k).collect();
        let view = vim::create_container_view(s, &root, &kinds, true).await?;
        let result = vim::retrieve(s, Objects::View(&view), INVENTORY, None).await;
        let destroyed = vim::destroy_view(s, &view).await;
        let objects = result?;
        destroyed?;
        Ok(Self::from_objects(objects, root))
    }

    fn from_objects(objects: Vec<ObjectContent>, root: MoRef) -> Self {
        let by_ref: HashMap<MoRef, usize> = objects
            .iter()
            .enumerate()
            .map(|(i, o)| (o.obj.clone(), i))
            .collect();
        Inventory {
            objects,
            by_ref,
            root,
        }
    }

    fn get(&self, r: &MoRef) -> Option<&ObjectContent> {
        self.by_ref.get(r).map(|&i| &self.objects[i])
    }

    /// Whether `ancestor` is above `obj` (not `obj` itself).
    fn is_under(&self, obj: &MoRef, ancestor: &MoRef) -> bool {
        let mut at = obj.clone();
        // Inventories are shallow; the bound only guards against a cycle.
        for _ in 0..64 {
            match self.get(&at).and_then(|o| o.moref("parent")) {
                Some(p) if &p == ancestor => return true,
                Some(p) => at = p,
                None => return false,
            }
        }
        false
    }

    /// The objects whose type is `kind` (or a subtype the view returned
    /// under its own name, e.g. a cluster for `ComputeResource`) below
    /// `container`.
    fn under<'a>(
        &'a self,
        container: &'a MoRef,
        kinds: &'a [&str],
    ) -> impl Iterator<Item = &'a ObjectContent> + 'a {
        self.objects.iter().filter(move |o| {
            kinds.contains(&o.obj.kind.as_str()) && self.is_under(&o.obj, container)
        })
    }

    /// The inventory path of `r`, as [`path_in`] makes it (an object per
    /// level, found in the index rather than by a scan).
    fn path_of(&self, r: &MoRef) -> String {
        path_by(|m| self.get(m), r, &self.root)
    }

    /// Look a setting up as an inventory path when it has a '/'; relative
    /// paths are taken under `base` (e.g. `/DC0/vm`). A path that names
    /// nothing matches nothing, and is reported as not found.
    fn by_path(&self, setting: Option<&str>, base: &str) -> Option<MoRef> {
        let v = setting.filter(|v| v.contains('/'))?;
        let path = if v.starts_with('/') {
            v.trim_end_matches('/').to_string()
        } else {
            format!("{base}/{}", v.trim_end_matches('/'))
        };
        // Paths are worked out only for a setting that is one.
        Some(
            self.objects
                .iter()
                .find(|o| self.path_of(&o.obj) == path)
                .map(|o| o.obj.clone())
                .unwrap_or_else(|| MoRef::new("", "")),
        )
    }
}

const COMPUTE_KINDS: &[&str] = &["ComputeResource", "ClusterComputeResource"];

/// Resolve every part of the placement.
pub async fn resolve(s: &Session, settings: &PlacementSettings<'_>) -> Result<Placement> {
    let inv = Inventory::read(s).await?;
    resolve_in(&inv, settings)
}

fn resolve_in(inv: &Inventory, settings: &PlacementSettings<'_>) -> Result<Placement> {
    let dcs: Vec<&ObjectContent> = inv
        .objects
        .iter()
        .filter(|o| o.obj.kind == "Datacenter")
        .collect();
    let dc_names: Vec<Named> = dcs.iter().map(|o| Named::from(o)).collect();
    let datacenter = choose(
        "datacenter",
        "datacenter",
        settings.datacenter,
        inv.by_path(settings.datacenter, "").as_ref(),
        &dc_names,
    )?;
    let dc = inv
        .get(&datacenter.moref)
        .ok_or_else(|| Error::other("the chosen datacenter vanished"))?;
    // The inventory path prefix of the datacenter's children (a datacenter
    // may sit in folders: `/Folder/DC0`).
    let dc_base = inv.path_of(&datacenter.moref);

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
            let path = inv.by_path(settings.folder, &format!("{dc_base}/vm"));
            let candidates: Vec<Named> = inv
                .under(&vm_folder, &["Folder"])
                .map(Named::from)
                .collect();
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
    let computes: Vec<&ObjectContent> = inv.under(&host_folder, COMPUTE_KINDS).collect();
    let pools: Vec<&ObjectContent> = inv.under(&host_folder, &["ResourcePool"]).collect();
    let (compute, pool) = match settings.resource_pool {
        None => {
            let candidates: Vec<Named> = computes.iter().map(|o| Named::from(o)).collect();
            let c = choose("cluster or host", "resource-pool", None, None, &candidates)?;
            let rp = computes
                .iter()
                .find(|o| o.obj == c.moref)
                .and_then(|o| o.moref("resourcePool"))
                .ok_or_else(|| Error::other(format!("{} has no resource pool", c.name)))?;
            let pool = pools
                .iter()
                .find(|p| p.obj == rp)
                .map(|o| Named::from(o))
                .unwrap_or(Named {
                    moref: rp,
                    name: "Resources".into(),
                });
            (c, pool)
        }
        Some(_) => {
            // A pool by name or path, or a cluster/host meaning its root pool.
            let path = inv.by_path(settings.resource_pool, &format!("{dc_base}/host"));
            let mut candidates: Vec<Named> = pools.iter().map(|o| Named::from(o)).collect();
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
                .map(|o| Named::from(o))
                .ok_or_else(|| Error::other("the resource pool's owner vanished"))?;
            let pool = pools
                .iter()
                .find(|p| p.obj == chosen.moref)
                .map(|o| Named::from(o))
                .unwrap_or(chosen);
            (compute, pool)
        }
    };
    let hosts: Vec<Named> = computes
        .iter()
        .find(|c| c.obj == compute.moref)
        .map(|c| c.morefs("host"))
        .unwrap_or_default()
        .iter()
        .filter_map(|h| inv.get(h))
        .map(Named::from)
        .collect();

    // Datastore: one of the datacenter's. Found through its datastore
    // folder: vcsim's ESX model lists a stale datastore in the datacenter's
    // `datastore` property.
    let ds_folder = dc
        .moref("datastoreFolder")
        .ok_or_else(|| Error::other("the datacenter has no datastore folder"))?;
    let dss: Vec<&ObjectContent> = inv.under(&ds_folder, &["Datastore"]).collect();
    let ds_path = inv.by_path(settings.datastore, &format!("{dc_base}/datastore"));
    let ds_names: Vec<Named> = dss.iter().map(|o| Named::from(o)).collect();
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
        datacenter_path: dc_base.trim_start_matches('/').to_string(),
        folder_path: inv.path_of(&folder.moref),
        datacenter,
        folder,
        compute,
        pool,
        hosts,
        datastore,
    })
}

/// Whether a placement resolved earlier (by another process) still holds,
/// in one round trip: each of its objects and their ancestors, by name and
/// parent. It holds when every object is still there under the name and
/// at the inventory path it had, the pool still belongs to the cluster or
/// host, and that still has the same hosts; then it comes back with the
/// datastore's capacity read anew. `None` when anything moved, went or was
/// renamed: then it is resolved again. (A setting left unset meant "the
/// only one there is": a second one added since does not undo the choice.)
pub async fn check(s: &Session, cached: &Placement) -> Result<Option<Placement>> {
    let objects = check_objects(cached);
    let chain = match vim::retrieve(s, Objects::AncestorsOf(&objects), CHECK_PROPS, None).await {
        Ok(chain) => chain,
        Err(e) if e.fault_kind() == Some(&FaultKind::ManagedObjectNotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    Ok(still_holds(&chain, cached, &s.content().root_folder))
}

/// What [`check`] reads of a placement's objects and their ancestors.
pub const CHECK_PROPS: &[(&str, &[&str])] = &[
    ("ManagedEntity", ANCESTOR_PROPS),
    ("ComputeResource", &["host"]),
    ("ResourcePool", &["owner"]),
    ("Datastore", &["summary.capacity", "summary.freeSpace"]),
];

/// The objects [`check`] reads (with their ancestors).
pub fn check_objects(cached: &Placement) -> Vec<MoRef> {
    let mut objects = vec![
        cached.datacenter.moref.clone(),
        cached.folder.moref.clone(),
        cached.compute.moref.clone(),
        cached.pool.moref.clone(),
        cached.datastore.named.moref.clone(),
        cached.network_folder.clone(),
    ];
    objects.extend(cached.hosts.iter().map(|h| h.moref.clone()));
    objects
}

/// [`check`]'s verdict on the retrieved objects and ancestors (read with
/// [`CHECK_PROPS`], perhaps in a call that read more).
pub fn still_holds(chain: &[ObjectContent], cached: &Placement, root: &MoRef) -> Option<Placement> {
    let by_ref: HashMap<&MoRef, &ObjectContent> = chain.iter().map(|o| (&o.obj, o)).collect();
    let get = |m: &MoRef| by_ref.get(m).copied();
    let named = |n: &Named| get(&n.moref).and_then(|o| o.text("name")) == Some(n.name.as_str());
    let path = |m: &MoRef| get(m).map(|_| path_by(get, m, root));
    let dc_path = format!("/{}", cached.datacenter_path);
    let in_dc = |m: &MoRef| path(m).is_some_and(|p| p.starts_with(&format!("{dc_path}/")));
    let hosts_now: BTreeSet<MoRef> = get(&cached.compute.moref)?
        .morefs("host")
        .into_iter()
        .collect();
    let hosts_then: BTreeSet<MoRef> = cached.hosts.iter().map(|h| h.moref.clone()).collect();
    let holds = named(&cached.datacenter)
        && path(&cached.datacenter.moref).as_deref() == Some(dc_path.as_str())
        && path(&cached.folder.moref).as_deref() == Some(cached.folder_path.as_str())
        && named(&cached.compute)
        && in_dc(&cached.compute.moref)
        && named(&cached.pool)
        && get(&cached.pool.moref)?.moref("owner").as_ref() == Some(&cached.compute.moref)
        && hosts_now == hosts_then
        && cached.hosts.iter().all(named)
        && named(&cached.datastore.named)
        && in_dc(&cached.datastore.named.moref)
        && in_dc(&cached.network_folder);
    if !holds {
        return None;
    }
    let ds = get(&cached.datastore.named.moref)?;
    let mut fresh = cached.clone();
    fresh.datastore.capacity = ds.number("summary.capacity");
    fresh.datastore.free = ds.number("summary.freeSpace");
    Some(fresh)
}

/// The datacenter an object is in (the object itself when it is one), with
/// the datacenter's inventory path (`DC0`, `Folder/DC0`): the object and
/// its ancestors in one call.
pub async fn datacenter_of(s: &Session, obj: &MoRef) -> Result<DatacenterRef> {
    let chain = vim::retrieve(
        s,
        Objects::Ancestors(obj),
        &[("ManagedEntity", ANCESTOR_PROPS)],
        None,
    )
    .await?;
    datacenter_in(&chain, obj, &s.content().root_folder)
}

/// The datacenter above (or at) `obj` in a retrieved chain of ancestors.
fn datacenter_in(chain: &[ObjectContent], obj: &MoRef, root: &MoRef) -> Result<DatacenterRef> {
    let by_ref: HashMap<&MoRef, &ObjectContent> = chain.iter().map(|o| (&o.obj, o)).collect();
    let mut at = obj.clone();
    // Inventories are shallow; the bound only guards against a cycle.
    for _ in 0..64 {
        if at.kind == "Datacenter" {
            let path = path_in(chain, &at, root);
            return Ok(DatacenterRef {
                path: path.trim_start_matches('/').to_string(),
                moref: at,
            });
        }
        match by_ref.get(&at).and_then(|o| o.moref("parent")) {
            Some(p) if &p != root => at = p,
            _ => break,
        }
    }
    Err(Error::other(format!("{obj} is not inside a datacenter"))
        .with_hint("it was removed meanwhile, or the user may not see its datacenter"))
}

/// What [`path_in`] needs of every ancestor.
pub const ANCESTOR_PROPS: &[&str] = &["name", "parent"];

/// The inventory path of `obj` from a retrieved chain of it and its
/// ancestors (`name` and `parent` of each; see `Objects::Ancestors`), by
/// following `parent` up to the root folder.
pub fn path_in(chain: &[ObjectContent], obj: &MoRef, root: &MoRef) -> String {
    let by_ref: HashMap<&MoRef, &ObjectContent> = chain.iter().map(|o| (&o.obj, o)).collect();
    path_by(|m| by_ref.get(m).copied(), obj, root)
}

/// The inventory path of `obj`: the names up its parents (each found with
/// `get`) to the root folder.
fn path_by<'a>(
    get: impl Fn(&MoRef) -> Option<&'a ObjectContent>,
    obj: &MoRef,
    root: &MoRef,
) -> String {
    let mut parts = Vec::new();
    let mut at = obj.clone();
    // Inventories are shallow; the bound only guards against a cycle.
    for _ in 0..64 {
        if &at == root {
            break;
        }
        let Some(o) = get(&at) else { break };
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
#[path = "inventory_tests.rs"]
mod tests;
