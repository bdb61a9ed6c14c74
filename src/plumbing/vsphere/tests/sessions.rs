//! Sessions and trust: logging in, the session cache, stale sessions,
//! certificates (unknown, pinned, insecure), and servers that are not
//! vSphere or do not answer.

use super::*;

fn session_files(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vcsim_answers_retrieve_service_content() {
    let v = Vcsim::start();
    let body = xml::envelope(
        "<RetrieveServiceContent xmlns=\"urn:vim25\"><_this type=\"ServiceInstance\">ServiceInstance</_this></RetrieveServiceContent>",
    );
    let text = reqwest::Client::new()
        .post(&v.url)
        .header("Content-Type", "text/xml; charset=utf-8")
        .header("SOAPAction", "urn:vim25/6.5")
        .body(body)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let doc = xml::parse(&text).unwrap();
    let about = doc.find("about").expect(&text);
    assert_eq!(about.child_text("apiType"), Some("VirtualCenter"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cached_session_is_reused_by_the_next_client() {
    let v = Vcsim::start();
    let cache = tempfile::tempdir().unwrap();
    let counters = RequestCounters::default();
    let first = connect(&v, Some(cache.path()), &counters).await.unwrap();
    first.list_domains(&DomainFilter::default()).await.unwrap();
    let files = session_files(cache.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let mode = std::fs::metadata(&files[0]).unwrap().permissions();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777,
        0o600
    );
    let text = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        !text.contains(&v.password),
        "the password leaked into {text}"
    );
    drop(first);

    // The second client never asks for the password.
    let second = VspherePlatform::connect_counting(
        "vc",
        settings(&v),
        Arc::new(|| -> Result<String> { panic!("the password was asked for") }),
        Some(cache.path().to_path_buf()),
        counters.clone(),
    )
    .await
    .unwrap();
    second.list_domains(&DomainFilter::default()).await.unwrap();
    assert_eq!(counters.get("Login"), 1, "{:?}", counters.snapshot());
    assert_eq!(
        second.current_user().await.unwrap().as_deref(),
        Some(v.username.as_str())
    );

    // Logging out without a password ends the session on the server.
    assert!(logout(&settings(&v), cache.path()).await.unwrap());
    assert!(session_files(cache.path()).is_empty());
    assert_eq!(second.current_user().await.unwrap(), None);
    assert!(!logout(&settings(&v), cache.path()).await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_standalone_esx_host_is_a_target_too() {
    let v = Vcsim::with(Options {
        args: vec!["-esx".into()],
        ..Options::default()
    });
    let counters = RequestCounters::default();
    let p = connect(&v, None, &counters).await.unwrap();
    let d = p.info().await.unwrap().details;
    assert_eq!(d["api_type"], "HostAgent");
    assert_eq!(d["datacenter"], "ha-datacenter");
    assert!(d.contains_key("host"), "{d:?}");
    seed_image(&p).await;
    let mut h = new_domain("solo");
    h.set_power(PowerChange::On);
    assert_eq!(
        p.domains().commit(h).await.unwrap().state,
        DomainState::Running
    );
    p.domains().remove("solo", true).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_unreachable_and_leaves_no_session() {
    let v = Vcsim::with(Options {
        args: vec!["-password".into(), "right".into()],
        ..Options::default()
    });
    let cache = tempfile::tempdir().unwrap();
    let err = VspherePlatform::connect(
        "vc",
        settings(&v),
        password("wrong-secret"),
        Some(cache.path().to_path_buf()),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unreachable, "{err}");
    assert!(!err.to_string().contains("wrong-secret"), "{err}");
    assert!(err.to_string().contains("refused the login"), "{err}");
    assert!(session_files(cache.path()).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_session_logs_in_once_more() {
    let v = Vcsim::start();
    let cache = tempfile::tempdir().unwrap();
    let counters = RequestCounters::default();
    let first = connect(&v, Some(cache.path()), &counters).await.unwrap();
    let file = session_files(cache.path()).remove(0);
    let saved = std::fs::read(&file).unwrap();
    // End the session on the server, then put the dead cookie back.
    first.logout().await.unwrap();
    std::fs::write(&file, &saved).unwrap();

    let counters = RequestCounters::default();
    let second = connect(&v, Some(cache.path()), &counters).await.unwrap();
    assert_eq!(counters.get("Login"), 0);
    second.list_domains(&DomainFilter::default()).await.unwrap();
    assert_eq!(counters.get("Login"), 1, "{:?}", counters.snapshot());
    // The cache now holds the new session.
    assert_ne!(std::fs::read(&file).unwrap(), saved);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_certificate_is_refused_with_its_thumbprints() {
    let v = Vcsim::with(Options {
        tls: true,
        ..Options::default()
    });
    let sha256 = v.sha256.clone().unwrap();
    let sha1 = v.sha1.clone().unwrap();
    let err = VspherePlatform::connect("vc", settings(&v), password(&v.password), None)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unreachable, "{err}");
    assert!(err.to_string().contains(&sha256), "{err}");
    assert!(err.to_string().contains(&sha1), "{err}");
    assert!(
        err.hint()
            .unwrap()
            .contains(&format!("--thumbprint {sha256}"))
    );

    // A wrong pin is refused too.
    let mut s = settings(&v);
    s.thumbprint =
        Some(sha256.replace(&sha256[..2], if &sha256[..2] == "00" { "11" } else { "00" }));
    let err = VspherePlatform::connect("vc", s, password(&v.password), None)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unreachable, "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pinned_thumbprints_and_insecure_are_accepted() {
    let v = Vcsim::with(Options {
        tls: true,
        ..Options::default()
    });
    let pins = [
        v.sha256.clone().unwrap(),
        v.sha256.clone().unwrap().replace(':', "").to_lowercase(),
        v.sha1.clone().unwrap(),
    ];
    for pin in pins {
        let mut s = settings(&v);
        s.thumbprint = Some(pin.clone());
        let p = VspherePlatform::connect("vc", s, password(&v.password), None)
            .await
            .unwrap_or_else(|e| panic!("{pin}: {e}"));
        p.list_domains(&DomainFilter::default()).await.unwrap();
    }
    let mut s = settings(&v);
    s.insecure = true;
    VspherePlatform::connect("vc", s, password(&v.password), None)
        .await
        .unwrap();
}

/// A tiny HTTP server answering every request with `response`.
async fn http_server(response: &'static str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut conn, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65536];
                let mut seen = Vec::new();
                // Read the head and the body (Content-Length) before answering.
                loop {
                    let Ok(n) = conn.read(&mut buf).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    seen.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&seen);
                    if let Some((head, body)) = text.split_once("\r\n\r\n") {
                        let len = head
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if body.len() >= len {
                            break;
                        }
                    }
                }
                let _ = conn.write_all(response.as_bytes()).await;
                let _ = conn.shutdown().await;
            });
        }
    });
    format!("http://{addr}/sdk")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_and_foreign_servers_are_unreachable() {
    let cases = [
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 27\r\nConnection: close\r\n\r\n<html><body>hi</body></html",
        "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 60\r\nConnection: close\r\n\r\n<soapenv:Envelope><soapenv:Body><RetrieveServiceContentResp",
        "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found",
        "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 74\r\nConnection: close\r\n\r\n<Envelope><Body><RetrieveServiceContentResponse/></Body></Envelope>      ",
        "garbage that is not HTTP\r\n\r\n",
    ];
    for response in cases {
        let url = http_server(response).await;
        let mut s = VsphereSettings::new(url);
        s.username = Some("u".into());
        s.timeout = Duration::from_secs(5);
        let err = VspherePlatform::connect("vc", s, password("p"), None)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unreachable, "{response:?}: {err}");
        assert!(err.hint().is_some(), "{err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_or_silent_server_fails_in_bounded_time() {
    // Nothing listens on a port we just released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // A server that accepts and never answers.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_addr = silent.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((conn, _)) = silent.accept().await {
            held.push(conn);
        }
    });
    for url in [
        format!("https://127.0.0.1:{port}/sdk"),
        format!("http://{silent_addr}/sdk"),
    ] {
        let mut s = VsphereSettings::new(url.clone());
        s.username = Some("u".into());
        s.timeout = Duration::from_secs(1);
        let t = Instant::now();
        let err = VspherePlatform::connect("vc", s, password("p"), None)
            .await
            .unwrap_err();
        assert!(
            t.elapsed() < Duration::from_secs(3),
            "{url}: {:?}",
            t.elapsed()
        );
        assert_eq!(err.kind(), ErrorKind::Unreachable, "{url}: {err}");
    }
}
