//! Typed vim25 calls on a session: the PropertyCollector (RetrievePropertiesEx
//! with continuation, filters and WaitForUpdatesEx), container views, the
//! search index, and tasks awaited through property updates.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::fault::{Fault, SoapError};
use super::session::{Session, SessionError};
use super::xml::{MoRef, Node, XmlWriter};

/// One object's properties from the PropertyCollector.
#[derive(Debug, Clone, Default)]
pub struct ObjectContent {
    /// The object.
    pub obj: MoRef,
    /// Property path -> value element (`val`).
    pub props: BTreeMap<String, Node>,
    /// Properties the server could not read, with the fault.
    pub missing: Vec<(String, Fault)>,
}

impl ObjectContent {
    /// A property's text value.
    pub fn text(&self, path: &str) -> Option<&str> {
        self.props.get(path).map(|v| v.text.as_str())
    }

    /// A property holding one managed object reference.
    pub fn moref(&self, path: &str) -> Option<MoRef> {
        self.props.get(path).and_then(Node::as_moref)
    }

    /// A property holding an array of managed object references.
    pub fn morefs(&self, path: &str) -> Vec<MoRef> {
        self.props
            .get(path)
            .map(|v| v.children.iter().filter_map(Node::as_moref).collect())
            .unwrap_or_default()
    }

    /// A numeric property.
    pub fn number(&self, path: &str) -> Option<i64> {
        self.text(path).and_then(|t| t.trim().parse().ok())
    }
}

/// `extraConfig` (an ArrayOfOptionValue) as a map. Later entries win, and an
/// empty value means the key is removed, as vSphere treats them.
pub fn option_values(val: &Node) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for ov in &val.children {
        if let Some(key) = ov.child_text("key") {
            match ov.child_text("value") {
                Some(v) if !v.is_empty() => {
                    map.insert(key.to_string(), v.to_string());
                }
                _ => {
                    map.remove(key);
                }
            }
        }
    }
    map
}

/// Which objects a retrieval starts from.
#[derive(Debug, Clone, Copy)]
pub enum Objects<'a> {
    /// These objects themselves.
    These(&'a [MoRef]),
    /// The members of a ContainerView.
    View(&'a MoRef),
    /// An inventory object and all its ancestors (following `parent` up to
    /// the root folder), in one call.
    Ancestors(&'a MoRef),
    /// Several inventory objects and all their ancestors, in one call.
    AncestorsOf(&'a [MoRef]),
    /// Every virtual machine below a folder: through its folders,
    /// datacenters' VM folders and vApps, walked by the PropertyCollector
    /// in the call itself, so no view has to be made and destroyed around
    /// it (one round trip where a container view takes three). VMs of a
    /// vApp nested in another vApp are not reached (vicport makes domains
    /// in folders).
    VmsUnder(&'a MoRef),
}

fn write_spec(w: &mut XmlWriter, objects: Objects<'_>, props: &[(&str, &[&str])]) {
    w.open("specSet");
    for (kind, paths) in props {
        w.open("propSet").text("type", kind).text("all", "false");
        for p in paths.iter() {
            w.text("pathSet", p);
        }
        w.close("propSet");
    }
    match objects {
        Objects::These(refs) => {
            for r in refs {
                w.open("objectSet")
                    .moref("obj", r)
                    .text("skip", "false")
                    .close("objectSet");
            }
        }
        Objects::View(view) => {
            w.open("objectSet")
                .moref("obj", view)
                .text("skip", "true")
                .open_typed("selectSet", "TraversalSpec")
                .text("name", "view")
                .text("type", "ContainerView")
                .text("path", "view")
                .text("skip", "false")
                .close("selectSet")
                .close("objectSet");
        }
        Objects::VmsUnder(folder) => {
            // Named traversals that refer to each other: a folder's
            // children, a datacenter's VM folder, a vApp's VMs.
            let traversal =
                |w: &mut XmlWriter, name: &str, kind: &str, path: &str, next: &[&str]| {
                    w.open_typed("selectSet", "TraversalSpec")
                        .text("name", name)
                        .text("type", kind)
                        .text("path", path)
                        .text("skip", "false");
                    for n in next {
                        w.open("selectSet").text("name", n).close("selectSet");
                    }
                    w.close("selectSet");
                };
            w.open("objectSet")
                .moref("obj", folder)
                .text("skip", "true");
            traversal(
                w,
                "folder",
                "Folder",
                "childEntity",
                &["folder", "dc", "vapp"],
            );
            traversal(w, "dc", "Datacenter", "vmFolder", &["folder"]);
            traversal(w, "vapp", "VirtualApp", "vm", &[]);
            w.close("objectSet");
        }
        Objects::Ancestors(obj) => write_ancestors(w, std::slice::from_ref(obj)),
        Objects::AncestorsOf(objs) => write_ancestors(w, objs),
    }
    w.close("specSet");
}

/// An object set per object, each with a traversal of `parent` that names
/// itself, so it recurses up to the root folder.
fn write_ancestors(w: &mut XmlWriter, objs: &[MoRef]) {
    for obj in objs {
        w.open("objectSet")
            .moref("obj", obj)
            .text("skip", "false")
            .open_typed("selectSet", "TraversalSpec")
            .text("name", "up")
            .text("type", "ManagedEntity")
            .text("path", "parent")
            .text("skip", "false")
            .open("selectSet")
            .text("name", "up")
            .close("selectSet")
            .close("selectSet")
            .close("objectSet");
    }
}

fn read_result(rv: &Node, out: &mut Vec<ObjectContent>) -> Option<String> {
    for o in rv.children("objects") {
        let Some(obj) = o.child("obj").and_then(Node::as_moref) else {
            continue;
        };
        let mut content = ObjectContent {
            obj,
            ..ObjectContent::default()
        };
        for p in o.children("propSet") {
            if let (Some(name), Some(val)) = (p.child_text("name"), p.child("val")) {
                content.props.insert(name.to_string(), val.clone());
            }
        }
        for m in o.children("missingSet") {
            if let (Some(path), Some(fault)) = (m.child_text("path"), m.child("fault")) {
                let value = fault.child("fault").unwrap_or(fault);
                let message = fault.child_text("localizedMessage").unwrap_or_default();
                content
                    .missing
                    .push((path.to_string(), Fault::from_value(value, message)));
            }
        }
        out.push(content);
    }
    rv.child_text("token")
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// RetrievePropertiesEx, following continuation tokens to the end.
/// `max_objects` bounds each page (the server may choose fewer).
pub async fn retrieve(
    s: &Session,
    objects: Objects<'_>,
    props: &[(&str, &[&str])],
    max_objects: Option<u32>,
) -> Result<Vec<ObjectContent>, SessionError> {
    retrieve_sets(s, &[(objects, props)], max_objects).await
}

/// Properties to read, by managed object type: `("VirtualMachine",
/// &["name"])`.
pub type Props<'a> = &'a [(&'a str, &'a [&'a str])];

/// [`retrieve`] of several sets of objects, each with its properties, in
/// one call (the answer holds them all, each object once).
pub async fn retrieve_sets(
    s: &Session,
    sets: &[(Objects<'_>, Props<'_>)],
    max_objects: Option<u32>,
) -> Result<Vec<ObjectContent>, SessionError> {
    let pc = s.content().property_collector.clone();
    let res = s
        .call("RetrievePropertiesEx", &pc, |w| {
            for (objects, props) in sets {
                write_spec(w, *objects, props);
            }
            w.open("options");
            if let Some(n) = max_objects {
                w.text("maxObjects", n.to_string());
            }
            w.close("options");
        })
        .await?;
    let mut out = Vec::new();
    // No returnval: nothing matched.
    let Some(rv) = res.child("returnval") else {
        return Ok(out);
    };
    let mut token = read_result(rv, &mut out);
    while let Some(t) = token {
        let res = s
            .call("ContinueRetrievePropertiesEx", &pc, |w| {
                w.text("token", &t);
            })
            .await?;
        token = match res.child("returnval") {
            Some(rv) => read_result(rv, &mut out),
            None => None,
        };
    }
    Ok(out)
}

/// The properties of one object.
pub async fn retrieve_one(
    s: &Session,
    obj: &MoRef,
    paths: &[&str],
) -> Result<ObjectContent, SessionError> {
    let mut all = retrieve(
        s,
        Objects::These(std::slice::from_ref(obj)),
        &[(obj.kind.as_str(), paths)],
        None,
    )
    .await?;
    Ok(all.pop().unwrap_or(ObjectContent {
        obj: obj.clone(),
        ..ObjectContent::default()
    }))
}

/// CreateContainerView over `container` for objects of `kinds`.
pub async fn create_container_view(
    s: &Session,
    container: &MoRef,
    kinds: &[&str],
    recursive: bool,
) -> Result<MoRef, SessionError> {
    let vm = s.content().view_manager.clone().ok_or_else(|| {
        SessionError::Soap(SoapError::NotSoap {
            url: s.transport().url().to_string(),
            reason: "the ServiceContent has no ViewManager".into(),
        })
    })?;
    let res = s
        .call("CreateContainerView", &vm, |w| {
            w.moref("container", container);
            for k in kinds {
                w.text("type", k);
            }
            w.text("recursive", if recursive { "true" } else { "false" });
        })
        .await?;
    returnval_moref(s, "CreateContainerView", &res)
}

/// DestroyView.
pub async fn destroy_view(s: &Session, view: &MoRef) -> Result<(), SessionError> {
    s.call("DestroyView", view, |_| {}).await.map(drop)
}

/// Retrieve `paths` of every object of `kind` under `container`: one view,
/// one RetrievePropertiesEx (with continuation), and the view destroyed.
pub async fn retrieve_in_container(
    s: &Session,
    container: &MoRef,
    kind: &str,
    paths: &[&str],
    max_objects: Option<u32>,
) -> Result<Vec<ObjectContent>, SessionError> {
    retrieve_in_view(s, container, kind, &[(kind, paths)], max_objects).await
}

/// Like [`retrieve_in_container`], with properties per (sub)type: a view of
/// `Network` holds port groups too, which have more to ask for.
pub async fn retrieve_in_view(
    s: &Session,
    container: &MoRef,
    kind: &str,
    props: &[(&str, &[&str])],
    max_objects: Option<u32>,
) -> Result<Vec<ObjectContent>, SessionError> {
    let view = create_container_view(s, container, &[kind], true).await?;
    let result = retrieve(s, Objects::View(&view), props, max_objects).await;
    let destroyed = destroy_view(s, &view).await;
    let out = result?;
    destroyed?;
    Ok(out)
}

fn returnval_moref(s: &Session, method: &str, res: &Node) -> Result<MoRef, SessionError> {
    res.child("returnval")
        .and_then(Node::as_moref)
        .ok_or_else(|| {
            SessionError::Soap(SoapError::NotSoap {
                url: s.transport().url().to_string(),
                reason: format!("{method} answered without a managed object reference"),
            })
        })
}

/// Call a `*_Task` method and return the task.
pub async fn start_task(
    s: &Session,
    method: &str,
    this: &MoRef,
    args: impl FnOnce(&mut XmlWriter),
) -> Result<MoRef, SessionError> {
    let res = s.call(method, this, args).await?;
    returnval_moref(s, method, &res)
}

/// A private PropertyCollector with filters on objects' paths: waits on it
/// see only their own updates, and destroying it removes the filters.
pub(super) struct Watch<'a> {
    s: &'a Session,
    pc: MoRef,
    version: String,
}

impl<'a> Watch<'a> {
    /// A private collector with one filter on `objects` (each with the
    /// paths to watch).
    pub(super) async fn new(
        s: &'a Session,
        objects: &[(&MoRef, &[&str])],
    ) -> Result<Self, SessionError> {
        let root_pc = s.content().property_collector.clone();
        let res = s.call("CreatePropertyCollector", &root_pc, |_| {}).await?;
        let pc = returnval_moref(s, "CreatePropertyCollector", &res)?;
        let mut watch = Watch {
            s,
            pc,
            version: String::new(),
        };
        if let Err(e) = watch.add(objects).await {
            watch.destroy().await;
            return Err(e);
        }
        Ok(watch)
    }

    /// Watch `objects` too, with another filter on the same collector (one
    /// round trip, where a collector of its own takes three). The next
    /// wait reports every filter's objects as they are then: a collector
    /// reports a filter's initial values only to a wait from the start
    /// (vcsim 0.24 reports them to no other), and a task may be over before
    /// its filter exists.
    pub(super) async fn add(&mut self, objects: &[(&MoRef, &[&str])]) -> Result<(), SessionError> {
        self.s
            .call("CreateFilter", &self.pc, |w| {
                w.open("spec");
                for (obj, paths) in objects {
                    w.open("propSet")
                        .text("type", &obj.kind)
                        .text("all", "false");
                    for p in paths.iter() {
                        w.text("pathSet", p);
                    }
                    w.close("propSet");
                }
                for (obj, _) in objects {
                    w.open("objectSet")
                        .moref("obj", obj)
                        .text("skip", "false")
                        .close("objectSet");
                }
                w.close("spec");
                w.text("partialUpdates", "false");
            })
            .await?;
        self.version.clear();
        Ok(())
    }

    /// WaitForUpdatesEx for at most `max_wait`; returns the changed
    /// properties (object, path, value; `None` for an unset one), empty on
    /// timeout.
    pub(super) async fn next(
        &mut self,
        max_wait: Duration,
    ) -> Result<Vec<(MoRef, String, Option<Node>)>, SessionError> {
        let secs = max_wait.as_secs().max(1);
        let version = self.version.clone();
        let res = self
            .s
            .call("WaitForUpdatesEx", &self.pc, |w| {
                w.text("version", &version);
                w.open("options")
                    .text("maxWaitSeconds", secs.to_string())
                    .close("options");
            })
            .await?;
        let mut changes = Vec::new();
        let Some(set) = res.child("returnval") else {
            return Ok(changes);
        };
        if let Some(v) = set.child_text("version") {
            self.version = v.to_string();
        }
        for fs in set.children("filterSet") {
            for os in fs.children("objectSet") {
                let Some(obj) = os.child("obj").and_then(Node::as_moref) else {
                    continue;
                };
                for c in os.children("changeSet") {
                    if let Some(name) = c.child_text("name") {
                        let val = match c.child_text("op") {
                            Some("remove") | Some("indirectRemove") => None,
                            _ => c.child("val").cloned(),
                        };
                        changes.push((obj.clone(), name.to_string(), val));
                    }
                }
            }
        }
        Ok(changes)
    }

    pub(super) async fn destroy(self) {
        if let Err(e) = self
            .s
            .call("DestroyPropertyCollector", &self.pc, |_| {})
            .await
        {
            tracing::debug!(target: "vicport::vsphere", error = %e, "destroying a property collector");
        }
    }
}

/// Wait for a task through WaitForUpdatesEx on its `info.state`; returns
/// `info.result` on success and the task's fault on error.
pub async fn wait_task(
    s: &Session,
    method: &str,
    task: &MoRef,
) -> Result<Option<Node>, SessionError> {
    wait_task_watching(s, method, task, None)
        .await
        .map(|(result, _)| result)
}

/// What a task wait watches of the task.
pub(super) const TASK_PATHS: &[&str] = &["info.state", "info.error", "info.result"];

/// [`wait_task`], also watching `other`'s paths in the same filter: when
/// the task is done, the other object's properties as they were then come
/// back with it, without another round trip.
pub async fn wait_task_watching(
    s: &Session,
    method: &str,
    task: &MoRef,
    other: Option<(&MoRef, &[&str])>,
) -> Result<(Option<Node>, ObjectContent), SessionError> {
    let mut objects = vec![(task, TASK_PATHS)];
    objects.extend(other);
    let mut watch = Watch::new(s, &objects).await?;
    let outcome = watch
        .task_outcome(method, task, other.map(|(o, _)| o))
        .await;
    watch.destroy().await;
    outcome
}

impl Watch<'_> {
    /// Wait until `task`, which a filter of this watch covers with
    /// [`TASK_PATHS`], is over: `info.result` on success, the task's fault
    /// on error. `other`'s properties, when a filter covers them, come
    /// back as they were when the task was seen over.
    pub(super) async fn task_outcome(
        &mut self,
        method: &str,
        task: &MoRef,
        other: Option<&MoRef>,
    ) -> Result<(Option<Node>, ObjectContent), SessionError> {
        let mut seen = ObjectContent {
            obj: other.cloned().unwrap_or_default(),
            ..ObjectContent::default()
        };
        let (mut state, mut error, mut result) = (String::new(), None, None);
        loop {
            for (obj, name, val) in self.next(self.s.transport().max_wait()).await? {
                if &obj != task {
                    if Some(&obj) == other {
                        match val {
                            Some(v) => seen.props.insert(name, v),
                            None => seen.props.remove(&name),
                        };
                    }
                    continue;
                }
                match name.as_str() {
                    "info.state" => state = val.map(|v| v.text).unwrap_or_default(),
                    "info.error" => error = val,
                    "info.result" => result = val,
                    _ => {}
                }
            }
            match state.as_str() {
                "success" => return Ok((result, seen)),
                "error" => {
                    let fault = match &error {
                        Some(e) => {
                            let message = e.child_text("localizedMessage").unwrap_or_default();
                            match e.child("fault") {
                                Some(f) => Fault::from_value(f, message),
                                None => Fault::from_value(e, message),
                            }
                        }
                        None => Fault::from_value(&Node::default(), "the task failed"),
                    };
                    return Err(SessionError::Soap(SoapError::Fault {
                        method: method.to_string(),
                        fault,
                    }));
                }
                _ => {}
            }
        }
    }
}

/// Start a task and wait for it.
pub async fn run_task(
    s: &Session,
    method: &str,
    this: &MoRef,
    args: impl FnOnce(&mut XmlWriter),
) -> Result<Option<Node>, SessionError> {
    let task = start_task(s, method, this, args).await?;
    wait_task(s, method, &task).await
}

/// Wait until `obj`'s `path` satisfies `done` (checked on the current value
/// first), or `timeout` passes; returns the last value seen and whether
/// `done` held.
pub async fn wait_property(
    s: &Session,
    obj: &MoRef,
    path: &str,
    timeout: Option<Duration>,
    done: impl Fn(Option<&str>) -> bool + Sync,
) -> Result<(Option<String>, bool), SessionError> {
    watch_property(s, obj, path, timeout, &done, None).await
}

/// [`wait_property`] that also stops, about once a second, when `give_up`
/// says so (then `done` did not hold).
pub async fn wait_property_or(
    s: &Session,
    obj: &MoRef,
    path: &str,
    timeout: Option<Duration>,
    done: impl Fn(Option<&str>) -> bool + Sync,
    give_up: impl Fn() -> bool + Sync,
) -> Result<(Option<String>, bool), SessionError> {
    watch_property(s, obj, path, timeout, &done, Some(&give_up)).await
}

async fn watch_property(
    s: &Session,
    obj: &MoRef,
    path: &str,
    timeout: Option<Duration>,
    done: &(dyn Fn(Option<&str>) -> bool + Sync),
    give_up: Option<&(dyn Fn() -> bool + Sync)>,
) -> Result<(Option<String>, bool), SessionError> {
    let start = Instant::now();
    let mut watch = Watch::new(s, &[(obj, &[path])]).await?;
    let outcome = async {
        let mut value: Option<String> = None;
        let mut first = true;
        loop {
            if !first && give_up.is_some_and(|g| g()) {
                return Ok((value, false));
            }
            let slice = match give_up {
                Some(_) => s.transport().max_wait().min(Duration::from_secs(1)),
                None => s.transport().max_wait(),
            };
            let budget = match timeout {
                Some(t) => match t.checked_sub(start.elapsed()) {
                    Some(left) if !left.is_zero() || first => left.min(slice),
                    _ => return Ok((value, false)),
                },
                None => slice,
            };
            let changes = watch.next(budget).await?;
            for (_, name, val) in changes {
                if name == path {
                    value = val.map(|v| v.text);
                }
            }
            if done(value.as_deref()) {
                return Ok((value, true));
            }
            first = false;
        }
    }
    .await;
    watch.destroy().await;
    outcome
}
