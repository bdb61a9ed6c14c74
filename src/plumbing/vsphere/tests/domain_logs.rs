//! A domain's output log: tail by byte ranges, follow until power-off.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_tail_by_ranges_and_follow_until_power_off() {
    use crate::plumbing::platform::LogOptions;
    let v = Vcsim::start();
    let counters = RequestCounters::default();
    let p = Arc::new(connect(&v, None, &counters).await.unwrap());
    seed_image(&p).await;
    let mut h = new_domain("web");
    h.set_power(PowerChange::On);
    p.domains().commit(h).await.unwrap();
    // No guest runs on vcsim: the test writes what the tether would, CRI
    // lines, into the file the serial port is backed by, in the VM's
    // directory on the simulator's datastore.
    let log = datastore_dir(&p).await.join("web/output.log");
    let line = |i: usize| format!("2026-11-28T10:00:00.{i:09}Z stdout F line {i}\n");
    let mut text = String::new();
    for i in 0..20000 {
        text.push_str(&line(i));
    }
    std::fs::write(&log, &text).unwrap();

    let collect = |tail: Option<usize>| {
        let p = p.clone();
        async move {
            let mut got = Vec::new();
            p.logs(
                "web",
                &LogOptions {
                    tail,
                    follow: false,
                },
                &mut |l| {
                    got.push(l.text);
                    Ok(true)
                },
            )
            .await
            .unwrap();
            got
        }
    };
    let before = counters.get("datastore bytes read");
    assert_eq!(
        collect(Some(3)).await,
        ["line 19997", "line 19998", "line 19999"]
    );
    let read = counters.get("datastore bytes read") - before;
    assert!(
        read < text.len() as u64 / 4,
        "a tail read {read} of {} bytes",
        text.len()
    );
    assert_eq!(collect(None).await.len(), 20000);
    assert_eq!(collect(Some(0)).await.len(), 0);

    // Follow: new lines arrive until the domain powers off.
    let follower = {
        let p = p.clone();
        tokio::spawn(async move {
            let mut got = Vec::new();
            p.logs(
                "web",
                &LogOptions {
                    tail: Some(1),
                    follow: true,
                },
                &mut |l| {
                    got.push(l.text);
                    Ok(true)
                },
            )
            .await
            .map(|()| got)
        })
    };
    tokio::time::sleep(Duration::from_millis(800)).await;
    {
        use std::io::Write as _;
        let mut f = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
        f.write_all(line(20000).as_bytes()).unwrap();
        // A line written in two pieces arrives once, whole.
        let last = line(20001);
        f.write_all(&last.as_bytes()[..10]).unwrap();
        f.flush().unwrap();
        tokio::time::sleep(Duration::from_millis(700)).await;
        f.write_all(&last.as_bytes()[10..]).unwrap();
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(
        !follower.is_finished(),
        "follow ended while the domain runs"
    );
    p.domains()
        .kill("web", tether_protocol::Signal::KILL)
        .await
        .unwrap();
    let got = tokio::time::timeout(Duration::from_secs(10), follower)
        .await
        .expect("follow ends once the domain is off")
        .unwrap()
        .unwrap();
    assert_eq!(got, ["line 19999", "line 20000", "line 20001"]);

    // A domain that never wrote a log has an empty one.
    p.domains().commit(new_domain("quiet")).await.unwrap();
    let mut n = 0;
    p.logs("quiet", &LogOptions::default(), &mut |_| {
        n += 1;
        Ok(true)
    })
    .await
    .unwrap();
    assert_eq!(n, 0);
}
