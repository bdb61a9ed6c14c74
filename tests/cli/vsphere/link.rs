//! The tether link on vSphere: exec, attach, kill with a signal and a
//! graceful stop through the hosts' network serial ports (the firewall
//! ruleset opened on the way), against a stand-in guest.

use std::process::Stdio;
use std::time::{Duration, Instant};

use vicport::plumbing::domain::Realize;
use vicport::plumbing::vsphere::vim;
use vicport::plumbing::vsphere::xml::MoRef;

use crate::support::vcsim::Vcsim;
use crate::support::{Env, run, run_with_stdin};

use super::{
    StandIn, exit_within, fake_boot_image, import_busybox, library, log_in, log_out, requests,
};

/// Whether a host's firewall lets network serial ports in.
fn serial_ruleset_enabled(v: &Vcsim, env: &Env, domain: &str) -> bool {
    let (rt, p) = library(v, env);
    rt.block_on(async {
        let info = p.inspect_domain(domain).await.unwrap();
        let vm = MoRef::new("VirtualMachine", info.platform_ref.id);
        let host = vim::retrieve_one(p.session(), &vm, &["runtime.host"])
            .await
            .unwrap()
            .moref("runtime.host")
            .unwrap();
        let fw = vim::retrieve_one(p.session(), &host, &["configManager.firewallSystem"])
            .await
            .unwrap()
            .moref("configManager.firewallSystem")
            .unwrap();
        let info = vim::retrieve_one(p.session(), &fw, &["firewallInfo"])
            .await
            .unwrap();
        info.props["firewallInfo"]
            .children("ruleset")
            .find(|r| r.child_text("key") == Some("remoteSerialPort"))
            .map(|r| r.child_text("enabled") == Some("true"))
            .unwrap()
    })
}

/// exec, attach, kill with a signal and a graceful stop through the link
/// client, against a `tether serve` standing in for the guest (no guest
/// runs on vcsim; see [`StandIn`]).
#[test]
fn exec_attach_kill_and_stop_through_the_tether_link() {
    let env = Env::new();
    let v = Vcsim::start();
    log_in(&env, &v);
    fake_boot_image(&env);
    import_busybox(&env, "busybox");
    let script = "trap 'echo got-usr1' USR1; echo ready; while :; do sleep 0.1; done";
    run(env.vicport([
        "run", "-d", "--name", "web", "busybox", "--", "sh", "-c", script,
    ]))
    .code(0);
    assert!(
        !serial_ruleset_enabled(&v, &env, "web"),
        "vcsim starts with it off"
    );
    let mut guest = StandIn::start(&env, &v, "web");
    // What vicport told the guest.
    assert_eq!(guest.config.name, "web");
    assert_eq!(guest.config.process.argv, ["sh", "-c", script]);
    assert!(
        !guest.config.process.wait_for_attach,
        "run -d does not hold the primary"
    );
    assert_eq!(
        guest.config.link,
        tether_protocol::config::PortSpec::Serial(1)
    );

    // exec: output, stderr, exit code; the firewall opened on the way.
    let out = run(env.vicport([
        "--debug",
        "exec",
        "web",
        "--",
        "sh",
        "-c",
        "echo out; echo err >&2; exit 3",
    ]));
    out.code(3);
    assert_eq!(out.stdout, "out\n");
    assert!(out.stderr.contains("err\n"), "{}", out.stderr);
    assert_eq!(
        requests(&out.stderr).get("EnableRuleset"),
        Some(&1),
        "{}",
        out.stderr
    );
    assert!(serial_ruleset_enabled(&v, &env, "web"));
    let out = run(env.vicport(["--debug", "exec", "web", "--", "true"]));
    out.code(0);
    assert_eq!(requests(&out.stderr).get("EnableRuleset"), None);
    let out = run_with_stdin(
        env.vicport(["exec", "-i", "web", "--", "cat"]),
        "hello\nworld\n",
    );
    out.code(0);
    assert_eq!(out.stdout, "hello\nworld\n");
    run(env.vicport(["exec", "web", "--", "/no/such/program"])).code(127);

    // attach sees the primary's output from now on; a signal through kill
    // reaches it, and with --all its children too.
    let attach = env
        .vicport(["domain", "attach", "web"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1000));
    run(env.vicport(["domain", "kill", "-s", "USR1", "web"])).code(0);
    std::thread::sleep(Duration::from_millis(1000));
    // `--all` goes through the same link: the shell and its loop's sleep
    // (unless the shell is between two), which USR1 ends; the shell then
    // forks the next sleep, which the stand-in's next look may find and
    // signal too (it lists until no process it has not signalled is left,
    // at most 16 looks: the tether's `signal_all::MAX_ROUNDS`). How many
    // sleeps it meets depends on how fast the shell forks against the
    // looks (6 seen on a loaded host): the shell plus one sleep a look.
    let out = run(env.vicport(["-o", "json", "domain", "kill", "--all", "-s", "USR1", "web"]));
    out.code(0);
    let reached = out.json()[0]["signalled"].as_u64().unwrap();
    assert!((1..=17).contains(&reached), "{}", out.stdout);
    assert_eq!(out.json()[0]["state"], "running");

    // A graceful stop: the stop signal through the link, the tether ends
    // the domain (here: the stand-in exits), vicport powers it off.
    let out = run(env.vicport(["-o", "json", "domain", "stop", "-t", "5", "web"]));
    out.code(0);
    assert_eq!(out.json()[0]["state"], "stopped");
    assert!(
        guest.exited_within(Duration::from_secs(5)),
        "the tether was not shut down"
    );
    let attached = attach.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&attached.stdout);
    assert!(stdout.contains("got-usr1"), "{stdout}");
    // The primary was ended by SIGTERM: 128 + 15.
    assert_eq!(
        attached.status.code(),
        Some(143),
        "{}",
        String::from_utf8_lossy(&attached.stderr)
    );
    run(env.vicport(["exec", "web", "--", "true"])).code(6);
    drop(guest);

    // An attached run --rm: the primary waits for the attach, so all of
    // its output arrives; run exits with its code once the domain is off
    // (here the test powers it off, as the guest would), and removes it.
    let mut runner = env
        .vicport([
            "run",
            "--rm",
            "--name",
            "fg",
            "busybox",
            "--",
            "sh",
            "-c",
            "echo hello from fg; exit 7",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t = Instant::now();
    loop {
        let out = run(env.vicport(["-o", "json", "domain", "inspect", "fg"]));
        if out.code == 0 && out.json()["state"] == "running" {
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(60), "fg never ran");
        std::thread::sleep(Duration::from_millis(200));
    }
    // vicport is trying the link by now; the guest comes up a moment later.
    std::thread::sleep(Duration::from_millis(1500));
    let fg = StandIn::start(&env, &v, "fg");
    assert!(
        fg.config.process.wait_for_attach,
        "an attached run holds the primary"
    );
    let mut line = String::new();
    {
        use std::io::BufRead as _;
        let mut stdout = std::io::BufReader::new(runner.stdout.take().unwrap());
        stdout.read_line(&mut line).unwrap();
    }
    assert_eq!(line, "hello from fg\n");
    run(env.vicport(["domain", "kill", "fg"])).code(0);
    let out = exit_within(runner, Duration::from_secs(60));
    assert_eq!(
        out.status.code(),
        Some(7),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    run(env.vicport(["domain", "inspect", "fg"])).code(3);
    log_out(&env);
}
