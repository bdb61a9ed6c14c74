//! Sessions: `SessionManager.Login` with a password asked for only when a
//! login is needed, the session cookie and ServiceContent cached per (URL,
//! user) in a 0600 file so consecutive invocations skip the login, one
//! re-login on NotAuthenticated, and logout.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::plumbing::error::{Error, IoContext, Result};

use super::client::{Transport, request};
use super::fault::{FaultKind, SoapError};
use super::xml::{MoRef, Node, XmlWriter};

/// Where the password comes from (the OS keyring, `VICPORT_PASSWORD`, a
/// prompt): asked only when a login is needed. The password never appears
/// in logs, errors or files.
pub trait PasswordSource: Send + Sync {
    /// The password for the target's user.
    fn password(&self) -> Result<String>;
}

impl<F> PasswordSource for F
where
    F: Fn() -> Result<String> + Send + Sync,
{
    fn password(&self) -> Result<String> {
        self()
    }
}

/// The parts of `about` vicport shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct About {
    pub name: String,
    pub full_name: String,
    pub version: String,
    pub build: String,
    /// `VirtualCenter` or `HostAgent`.
    pub api_type: String,
    pub api_version: String,
    pub instance_uuid: String,
}

/// The ServiceContent references vicport uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceContent {
    pub about: About,
    pub root_folder: MoRef,
    pub property_collector: MoRef,
    pub view_manager: Option<MoRef>,
    pub session_manager: Option<MoRef>,
    pub search_index: Option<MoRef>,
    pub file_manager: Option<MoRef>,
    pub virtual_disk_manager: Option<MoRef>,
    /// First Class Disks (`VcenterVStorageObjectManager` on vCenter,
    /// `HostVStorageObjectManager` on ESXi); absent before vSphere 6.5.
    #[serde(default)]
    pub vstorage_object_manager: Option<MoRef>,
    /// The EventManager (`vicport events`).
    pub event_manager: Option<MoRef>,
    /// The PerformanceManager (`vicport domain stats`); a session cached
    /// before vicport read it has none (ask again).
    #[serde(default)]
    pub perf_manager: Option<MoRef>,
}

impl ServiceContent {
    /// Read the `returnval` of RetrieveServiceContent.
    pub fn from_node(rv: &Node) -> Option<Self> {
        let r = |name: &str| rv.child(name).and_then(Node::as_moref);
        let a = rv.child("about")?;
        let t = |name: &str| a.child_text(name).unwrap_or_default().to_string();
        Some(ServiceContent {
            about: About {
                name: t("name"),
                full_name: t("fullName"),
                version: t("version"),
                build: t("build"),
                api_type: t("apiType"),
                api_version: t("apiVersion"),
                instance_uuid: t("instanceUuid"),
            },
            root_folder: r("rootFolder")?,
            property_collector: r("propertyCollector")?,
            view_manager: r("viewManager"),
            session_manager: r("sessionManager"),
            search_index: r("searchIndex"),
            file_manager: r("fileManager"),
            virtual_disk_manager: r("virtualDiskManager"),
            vstorage_object_manager: r("vStorageObjectManager"),
            event_manager: r("eventManager"),
            perf_manager: r("perfManager"),
        })
    }

    /// Whether this is a vCenter (not a standalone ESXi host).
    pub fn is_vcenter(&self) -> bool {
        self.about.api_type == "VirtualCenter"
    }
}

/// What the session cache file holds. No password.
#[derive(Debug, Serialize, Deserialize)]
struct Cached {
    /// [`CACHE_FORMAT`]; a cache without it (or another) is not reused.
    format: u32,
    url: String,
    username: String,
    cookie: String,
    content: ServiceContent,
}

/// The session cache's format: raised when what it holds changes (2: the
/// ServiceContent has the EventManager).
const CACHE_FORMAT: u32 = 2;

/// The cache file of (URL, user) under `dir`.
pub fn cache_path(dir: &Path, url: &str, username: &str) -> PathBuf {
    let key = Sha256::digest(format!("{url}\n{username}").as_bytes());
    dir.join(format!("vsphere-session-{}.json", &hex::encode(key)[..24]))
}

/// How to reach and log in to one vSphere endpoint.
pub struct SessionConfig {
    pub username: String,
    pub password: Arc<dyn PasswordSource>,
    /// Where the session cache lives; `None` disables it.
    pub cache_dir: Option<PathBuf>,
}

impl std::fmt::Debug for SessionConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionConfig")
            .field("username", &self.username)
            .field("password", &"<hidden>")
            .field("cache_dir", &self.cache_dir)
            .finish()
    }
}

/// A logged-in (or about to be) vim25 session. Every call goes through
/// [`Session::call`], which logs in again once when the server says the
/// session is gone.
#[derive(Debug)]
pub struct Session {
    transport: Transport,
    config: SessionConfig,
    content: ServiceContent,
    cookie: RwLock<Option<String>>,
    login: tokio::sync::Mutex<()>,
}

impl Session {
    /// Connect: reuse the cached session of (URL, user) when there is one,
    /// else fetch the ServiceContent and log in.
    pub async fn connect(transport: Transport, config: SessionConfig) -> Result<Self> {
        let url = transport.url().to_string();
        if let Some(dir) = &config.cache_dir {
            let path = cache_path(dir, &url, &config.username);
            if let Some(cached) = read_cache(&path) {
                if cached.url == url && cached.username == config.username {
                    tracing::debug!(target: "vicport::vsphere", path = %path.display(), "reusing the cached vSphere session");
                    transport.set_api_version(&cached.content.about.api_version);
                    return Ok(Session {
                        transport,
                        content: cached.content,
                        cookie: RwLock::new(Some(cached.cookie)),
                        config,
                        login: tokio::sync::Mutex::new(()),
                    });
                }
            }
        }
        let content = retrieve_service_content(&transport).await?;
        transport.set_api_version(&content.about.api_version);
        let session = Session {
            transport,
            content,
            cookie: RwLock::new(None),
            config,
            login: tokio::sync::Mutex::new(()),
        };
        session.login_now().await?;
        Ok(session)
    }

    /// The ServiceContent.
    pub fn content(&self) -> &ServiceContent {
        &self.content
    }

    /// The user the session is for.
    pub fn username(&self) -> &str {
        &self.config.username
    }

    /// Where the session cache lives (`None`: no cache).
    pub fn cache_dir(&self) -> Option<&Path> {
        self.config.cache_dir.as_deref()
    }

    /// The transport (URL, timeout, counters).
    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// The session cookie (`vmware_soap_session="..."`) for requests that
    /// are not SOAP calls, such as the datastore file interface.
    pub fn cookie(&self) -> Option<String> {
        self.current_cookie()
    }

    fn current_cookie(&self) -> Option<String> {
        self.cookie
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn cache_file(&self) -> Option<PathBuf> {
        let dir = self.config.cache_dir.as_ref()?;
        Some(cache_path(
            dir,
            self.transport.url().as_str(),
            &self.config.username,
        ))
    }

    /// Log in (a fresh session) and write the cache.
    async fn login_now(&self) -> Result<()> {
        let sm = self.content.session_manager.clone().ok_or_else(|| {
            Error::unreachable(format!("{} offers no SessionManager", self.transport.url()))
        })?;
        let password = self.config.password.password()?;
        let body = request("Login", &sm, |w: &mut XmlWriter| {
            w.text("userName", &self.config.username)
                .text("password", &password);
        });
        drop(password);
        let result = self.transport.call("Login", &body, None).await;
        let (_, cookie) = match result {
            Ok(ok) => ok,
            Err(e) => {
                // A refused login leaves no session behind, cached or not.
                if let Some(path) = self.cache_file() {
                    let _ = std::fs::remove_file(path);
                }
                let login_refused = e.fault_kind() == Some(&FaultKind::InvalidLogin);
                let err = Error::from(e);
                return Err(if login_refused {
                    Error::unreachable(format!(
                        "{} refused the login of user {:?}",
                        self.transport.url(),
                        self.config.username
                    ))
                    .with_hint(err.hint().unwrap_or_default().to_string())
                } else {
                    err.context("logging in")
                });
            }
        };
        let cookie = cookie.ok_or_else(|| {
            Error::unreachable(format!(
                "{} accepted the login but set no session cookie",
                self.transport.url()
            ))
        })?;
        tracing::debug!(target: "vicport::vsphere", user = %self.config.username, "logged in to vSphere");
        *self.cookie.write().unwrap_or_else(|p| p.into_inner()) = Some(cookie.clone());
        if let Some(path) = self.cache_file() {
            write_cache(
                &path,
                &Cached {
                    format: CACHE_FORMAT,
                    url: self.transport.url().to_string(),
                    username: self.config.username.clone(),
                    cookie,
                    content: self.content.clone(),
                },
            )?;
        }
        Ok(())
    }

    /// Call `method` on `this` with the arguments `args` writes; on
    /// NotAuthenticated log in once more and retry.
    pub async fn call(
        &self,
        method: &str,
        this: &MoRef,
        args: impl FnOnce(&mut XmlWriter),
    ) -> Result<Node, SessionError> {
        let body = request(method, this, args);
        let used = self.current_cookie();
        let first = self.transport.call(method, &body, used.as_deref()).await;
        let expired = match &first {
            Err(e) => e.fault_kind() == Some(&FaultKind::NotAuthenticated),
            Ok((node, _)) => properties_unauthenticated(node),
        };
        if !expired {
            return Ok(first?.0);
        }
        {
            let _guard = self.login.lock().await;
            // Another call may have logged in meanwhile.
            if self.current_cookie() == used {
                tracing::debug!(target: "vicport::vsphere", method, "session expired, logging in again");
                *self.cookie.write().unwrap_or_else(|p| p.into_inner()) = None;
                self.login_now().await.map_err(SessionError::Login)?;
            }
        }
        let cookie = self.current_cookie();
        Ok(self
            .transport
            .call(method, &body, cookie.as_deref())
            .await?
            .0)
    }

    /// End the session on the server and remove the cache file.
    pub async fn logout(&self) -> Result<()> {
        if let Some(path) = self.cache_file() {
            let _ = std::fs::remove_file(&path);
        }
        let Some(sm) = self.content.session_manager.clone() else {
            return Ok(());
        };
        let cookie = self.current_cookie();
        let body = request("Logout", &sm, |_| {});
        match self
            .transport
            .call("Logout", &body, cookie.as_deref())
            .await
        {
            Ok(_) => Ok(()),
            // Already gone on the server: nothing to end.
            Err(e) if e.fault_kind() == Some(&FaultKind::NotAuthenticated) => Ok(()),
            Err(e) => Err(Error::from(e).context("logging out")),
        }?;
        *self.cookie.write().unwrap_or_else(|p| p.into_inner()) = None;
        Ok(())
    }
}

/// Whether a PropertyCollector answer says the session is gone property by
/// property: vcsim reads objects without a session and puts every property
/// in the missing set with NotAuthenticated, where a vCenter fails the call.
/// A walk of the inventory answered so would look like an empty one. The
/// SessionManager is the exception: asking it for the current session is
/// how a client learns that it has none, which is the answer then.
fn properties_unauthenticated(response: &Node) -> bool {
    let Some(rv) = response.child("returnval") else {
        return false;
    };
    rv.children("objects")
        .filter(|o| {
            o.child("obj")
                .and_then(Node::as_moref)
                .is_none_or(|m| m.kind != "SessionManager")
        })
        .flat_map(|o| o.children("missingSet"))
        .filter_map(|m| m.child("fault"))
        .any(|f| {
            let value = f.child("fault").unwrap_or(f);
            super::fault::Fault::from_value(value, "").kind == FaultKind::NotAuthenticated
        })
}

/// End the cached session of (URL, user) on the server and remove its cache
/// file, without logging in (no password is needed). Returns whether there
/// was a cached session.
pub async fn logout_cached(
    transport: &Transport,
    username: &str,
    cache_dir: &Path,
) -> Result<bool> {
    let path = cache_path(cache_dir, transport.url().as_str(), username);
    let Some(cached) = read_cache(&path) else {
        let _ = std::fs::remove_file(&path);
        return Ok(false);
    };
    std::fs::remove_file(&path).io_context(|| format!("removing {}", path.display()))?;
    let Some(sm) = cached.content.session_manager else {
        return Ok(true);
    };
    let body = request("Logout", &sm, |_| {});
    match transport.call("Logout", &body, Some(&cached.cookie)).await {
        Ok(_) => Ok(true),
        Err(e) if e.fault_kind() == Some(&FaultKind::NotAuthenticated) => Ok(true),
        Err(e) => Err(Error::from(e).context("logging out")),
    }
}

/// A failed call: the call's own failure, or the re-login it needed.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Soap(#[from] SoapError),
    #[error(transparent)]
    Login(Error),
}

impl SessionError {
    /// The vim25 fault kind, when the server answered with a fault.
    pub fn fault_kind(&self) -> Option<&FaultKind> {
        match self {
            SessionError::Soap(e) => e.fault_kind(),
            SessionError::Login(_) => None,
        }
    }
}

impl From<SessionError> for Error {
    fn from(e: SessionError) -> Self {
        match e {
            SessionError::Soap(e) => e.into(),
            SessionError::Login(e) => e,
        }
    }
}

/// RetrieveServiceContent (no session needed).
pub async fn retrieve_service_content(transport: &Transport) -> Result<ServiceContent> {
    let si = MoRef::new("ServiceInstance", "ServiceInstance");
    let body = request("RetrieveServiceContent", &si, |_| {});
    let (node, _) = transport
        .call("RetrieveServiceContent", &body, None)
        .await?;
    node.child("returnval")
        .and_then(ServiceContent::from_node)
        .ok_or_else(|| {
            Error::unreachable(format!(
                "{} answered RetrieveServiceContent without a usable ServiceContent",
                transport.url()
            ))
            .with_hint("point the target at the vSphere SDK, e.g. https://vcenter.example.com/sdk")
        })
}

fn read_cache(path: &Path) -> Option<Cached> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text)
        .ok()
        .filter(|c: &Cached| c.format == CACHE_FORMAT)
}

/// Write the cache atomically, readable by its owner only.
fn write_cache(path: &Path, cached: &Cached) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).io_context(|| format!("creating {}", dir.display()))?;
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let data = serde_json::to_vec(cached)
        .map_err(|e| Error::other(format!("encoding the session cache: {e}")))?;
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(&data)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().io_context(|| format!("writing the session cache {}", path.display()))
}
