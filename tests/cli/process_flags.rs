//! `run`/`domain create`'s flags for the process and the guest in
//! docker's words (`--env-file`, `--ulimit`, `--cap-add`/`--cap-drop`,
//! `--tmpfs`, `--add-host`, `--sysctl`, `--read-only`, `--dns…`, `--volume HOST_PATH:/path`, `--mount`, `--shm-size`): refused bad input without a
//! guest, and one booted domain that reads back what each flag set (in
//! an image whose `/etc/resolv.conf` and `/var/run` are absolute links,
//! which the guest follows inside the container's root).

use crate::support::{Env, json, run};
use vicport::plumbing::image::fixtures::{self, Entry};

/// The busybox image, with `/etc/resolv.conf` linking into a `/run/net`
/// it lacks (as images with systemd-resolved's stub link it) and
/// `/var/run` linking to `/run`, imported as `busybox`.
fn import_linked_busybox(env: &Env) {
    let mut entries = fixtures::base_entries().unwrap();
    entries.push(Entry::symlink("etc/resolv.conf", "/run/net/resolv.conf"));
    entries.push(Entry::symlink("var/run", "/run"));
    let tar = env.root().join("linked-busybox.tar");
    std::fs::write(&tar, fixtures::tar_bytes(&entries)).unwrap();
    run(env
        .vicport(["image", "import"])
        .arg(&tar)
        .args(["--name", "busybox"]))
    .code(0);
}

#[test]
fn bad_process_flags_are_refused_before_anything_is_made() {
    let env = Env::new();
    env.import_busybox();
    let missing = env.root().join("missing.env");
    let bad_env = env.root().join("bad.env");
    std::fs::write(&bad_env, "GOOD=1\nNOT A NAME=2\n").unwrap();
    for (flags, says) in [
        (vec!["--env-file", missing.to_str().unwrap()], "env file "),
        (
            vec!["--env-file", bad_env.to_str().unwrap()],
            "line 2: \"NOT A NAME\" is not a variable name",
        ),
        (vec!["--ulimit", "nofile"], "no '=' between"),
        (
            vec!["--ulimit", "files=10"],
            "\"FILES\" is not a resource limit",
        ),
        (
            vec!["--ulimit", "nofile=10:5"],
            "soft limit 10 is above the hard 5",
        ),
        (
            vec!["--cap-drop", "NET_MAGIC"],
            "\"NET_MAGIC\" is not a capability",
        ),
        (
            vec!["--cap-add", "sys-admin"],
            "\"sys-admin\" is not a capability",
        ),
        (vec!["--tmpfs", "scratch"], "is not an absolute path"),
        (
            vec!["-v", "/tmp:/"],
            "a host path cannot be mounted over the root",
        ),
        (vec!["-v", "/tmp:relative"], "the path must be absolute"),
        (
            vec!["-v", "/tmp:/x", "-v", "/etc/hostname:/x/"],
            "two volumes, host paths or tmpfs are mounted at /x",
        ),
        (vec!["-v", "./no-such-dir:/x"], "no-such-dir does not exist"),
        (
            vec!["--add-host", "db"],
            "no ':' between the name and the address",
        ),
        (vec!["--add-host", "db:ten"], "\"ten\" is not an IP address"),
        (
            vec!["--dns", "resolver.local"],
            "invalid --dns \"resolver.local\": not an IP address",
        ),
        (vec!["--dns-search", "a b"], "invalid --dns-search \"a b\""),
        (vec!["--dns-option", ""], "invalid --dns-option \"\""),
        (vec!["--shm-size", "big"], "invalid --shm-size \"big\""),
        (
            vec!["--shm-size", "1m", "--tmpfs", "/dev/shm"],
            "two volumes, host paths or tmpfs are mounted at /dev/shm",
        ),
        (
            vec!["--mount", "type=bind,target=/x"],
            "no source=…: name the host path",
        ),
        (
            vec!["--mount", "type=tmpfs,target=/x", "--tmpfs", "/x"],
            "two volumes, host paths or tmpfs are mounted at /x",
        ),
        (
            vec!["--sysctl", "net.x"],
            "invalid --sysctl \"net.x\": no '='",
        ),
        (
            vec!["--sysctl", "a..b=1"],
            "\"a..b\" is not a kernel parameter name",
        ),
        (
            vec!["--security-opt", "no-new-privileges:maybe"],
            "invalid --security-opt \"no-new-privileges:maybe\"",
        ),
    ] {
        let mut cmd = env.vicport(["-o", "json", "domain", "create"]);
        cmd.args(&flags).args(["busybox", "--", "true"]);
        let out = run(cmd);
        out.fails(2, "invalid_argument", says);
    }
    // A seccomp profile or LSM label has nothing to apply to; an OOM
    // score outside the kernel's range is a usage error.
    let out = run(env.vicport([
        "-o",
        "json",
        "domain",
        "create",
        "--security-opt",
        "seccomp=/etc/profile.json",
        "busybox",
        "--",
        "true",
    ]));
    out.fails(1, "not_supported", "the VM is its boundary");
    let out = run(env.vicport([
        "domain",
        "create",
        "--oom-score-adj",
        "2000",
        "busybox",
        "--",
        "true",
    ]));
    out.code(2);
    assert!(
        out.stderr.contains("2000 is not in -1000..=1000"),
        "{}",
        out.stderr
    );
    assert!(
        json(&env, &["domain", "ls"]).as_array().unwrap().is_empty(),
        "nothing was made"
    );
}

/// `domain inspect` shows what the guest is given, and only what is set.
#[test]
fn inspect_shows_the_guest_settings_a_domain_was_created_with() {
    let env = Env::new();
    env.import_busybox();
    let mut cmd = env.vicport([
        "domain", "create", "--name", "plain", "busybox", "--", "true",
    ]);
    run(cmd.current_dir(env.root())).code(0);
    let plain = json(&env, &["domain", "inspect", "plain"]);
    for key in [
        "read_only",
        "shares",
        "guest_mounts",
        "extra_hosts",
        "dns",
        "sysctl",
    ] {
        assert!(plain.get(key).is_none(), "{key} in {plain}");
    }
    let conf = env.root().join("app.conf");
    std::fs::write(&conf, "x=1\n").unwrap();
    let mut cmd = env.vicport([
        "domain",
        "create",
        "--name",
        "set",
        "--read-only",
        "--tmpfs",
        "/tmp:size=1m",
        "--add-host",
        "db:10.0.9.5",
        "--dns",
        "10.0.9.53",
        "--dns-option",
        "ndots:2",
        "--sysctl",
        "net.ipv4.ip_forward=1",
        "-v",
        "./app.conf:/etc/app.conf:ro",
        "--mount",
        "type=tmpfs,target=/run/cache,tmpfs-size=2m",
        "--mount",
        "type=bind,src=./app.conf,dst=/etc/app2.conf,readonly",
        "busybox",
        "--",
        "true",
    ]);
    run(cmd.current_dir(env.root())).code(0);
    let set = json(&env, &["domain", "inspect", "set"]);
    assert_eq!(set["read_only"], true, "{set}");
    assert_eq!(
        set["shares"],
        serde_json::json!([
            {"source": conf, "path": "/etc/app.conf", "read_only": true},
            {"source": conf, "path": "/etc/app2.conf", "read_only": true}
        ])
    );
    assert_eq!(
        set["guest_mounts"],
        serde_json::json!([
            {"fstype": "tmpfs", "path": "/tmp", "options": ["size=1m"]},
            {"fstype": "tmpfs", "path": "/run/cache", "options": ["size=2097152"]}
        ])
    );
    assert_eq!(
        set["extra_hosts"],
        serde_json::json!([{"name": "db", "address": "10.0.9.5"}])
    );
    assert_eq!(
        set["dns"],
        serde_json::json!({"servers": ["10.0.9.53"], "options": ["ndots:2"]})
    );
    assert_eq!(
        set["sysctl"],
        serde_json::json!({"net.ipv4.ip_forward": "1"})
    );
    let out = run(env.vicport(["domain", "inspect", "set"]));
    out.code(0);
    assert!(
        out.stdout
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["read_only", "true"]),
        "{}",
        out.stdout
    );
}

#[test]
fn a_domain_runs_with_the_env_file_limits_capabilities_tmpfs_hosts_read_only_root_and_host_paths_it_was_given()
 {
    let env = Env::new();
    env.ensure_boot_image();
    import_linked_busybox(&env);
    let site = env.root().join("site");
    std::fs::create_dir(&site).unwrap();
    std::fs::write(site.join("index.html"), "from the host\n").unwrap();
    let conf = env.root().join("one.conf");
    std::fs::write(&conf, "setting=1\n").unwrap();
    let file = env.root().join("app.env");
    std::fs::write(
        &file,
        "# the app's settings\nAPP_MODE=file\nGREETING=hello world\nFROM_HOST\n",
    )
    .unwrap();
    let script = "echo \"$APP_MODE|$GREETING|$FROM_HOST\"; ulimit -n; ulimit -Hn; \
                  busybox grep CapEff /proc/self/status; \
                  busybox grep ' /scratch ' /proc/mounts; \
                  echo data > /scratch/f && busybox cat /scratch/f; \
                  busybox cat /srv/site/index.html /etc/one.conf; \
                  echo from the domain > /srv/site/out.txt; \
                  echo changed 2>/dev/null > /etc/one.conf || echo read-only; \
                  busybox grep -E '^(10.0.9.5|fd00::5)' /etc/hosts; \
                  busybox cat /proc/sys/net/ipv4/ip_forward; \
                  echo x 2>/dev/null > /made-here || echo root read-only; \
                  echo '10.0.9.6 extra' >> /etc/hosts && busybox tail -n 1 /etc/hosts; \
                  busybox cat /etc/resolv.conf; \
                  busybox grep ' /run/cache ' /proc/mounts; \
                  busybox grep ' /dev/shm ' /proc/mounts; \
                  busybox readlink /etc/resolv.conf; \
                  busybox grep ' /run/app ' /proc/mounts | busybox cut -d ' ' -f 1-3; \
                  echo nested > /srv/site/cache/f && busybox cat /srv/site/cache/f; \
                  busybox cat /proc/self/oom_score_adj; busybox grep NoNewPrivs /proc/self/status";
    let mut cmd = env.booting([
        "run",
        "--rm",
        "--env-file",
        file.to_str().unwrap(),
        "-e",
        "APP_MODE=flag",
        "--ulimit",
        "nofile=512:1024",
        "--cap-drop",
        "net_raw",
        "--cap-drop",
        "CAP_SYS_ADMIN",
        "--oom-score-adj",
        "-300",
        "--security-opt",
        "no-new-privileges",
        "--security-opt",
        "seccomp=unconfined",
        "--tmpfs",
        "/scratch:size=8m,noexec",
        // Inside the host directory below, and behind the image's link.
        "--tmpfs",
        "/srv/site/cache:size=1m",
        "--tmpfs",
        "/var/run/app",
        "--mount",
        "type=tmpfs,target=/run/cache,tmpfs-size=4m,tmpfs-mode=700",
        "--shm-size",
        "8m",
        "--sysctl",
        "net.ipv4.ip_forward=1",
        "--read-only",
        "--dns",
        "10.0.9.53",
        "--dns",
        "fd00::53",
        "--dns-search",
        "corp.example",
        "--dns-option",
        "ndots:2",
        "--add-host",
        "db:10.0.9.5",
        "--add-host",
        "db6:[fd00::5]",
        "-v",
        "./site:/srv/site",
        "-v",
        &format!("{}:/etc/one.conf:ro", conf.display()),
        "busybox",
        "--",
        "sh",
        "-c",
        script,
    ]);
    cmd.env("FROM_HOST", "copied");
    cmd.current_dir(env.root());
    let out = run(cmd);
    out.code(0);
    let lines: Vec<&str> = out.stdout.lines().collect();
    // --env wins over the file; a bare KEY is copied from here.
    assert_eq!(lines[0], "flag|hello world|copied", "{}", out.stderr);
    assert_eq!(lines[1..3], ["512", "1024"]);
    // Every capability of the guest's root (CAP_CHECKPOINT_RESTORE, 40,
    // is the last) but NET_RAW (13) and SYS_ADMIN (21).
    let all: u64 = (1 << 41) - 1;
    let want = all & !(1 << 13) & !(1 << 21);
    assert_eq!(lines[3], format!("CapEff:\t{want:016x}"));
    let mount: Vec<&str> = lines[4].split(' ').collect();
    assert_eq!(mount[..3], ["tmpfs", "/scratch", "tmpfs"], "{}", lines[4]);
    assert!(
        mount[3].contains("noexec") && mount[3].contains("size=8192k"),
        "{}",
        lines[4]
    );
    assert_eq!(lines[5], "data");
    // A host directory (from ./) and a host file, read-only.
    assert_eq!(lines[6..9], ["from the host", "setting=1", "read-only"]);
    // --add-host's lines, in the order given.
    assert_eq!(lines[9..11], ["10.0.9.5\tdb", "fd00::5\tdb6"]);
    assert_eq!(lines[11], "1", "--sysctl");
    // --read-only: the image's root refuses a new file, while the tmpfs
    // and the host directory above took theirs, and /etc/hosts stays
    // writable (the tether rewrites it as the domain's networks change).
    assert_eq!(lines[12..14], ["root read-only", "10.0.9.6 extra"]);
    // --dns, --dns-search and --dns-option, without a network.
    assert_eq!(
        lines[14..18],
        [
            "search corp.example",
            "nameserver 10.0.9.53",
            "nameserver fd00::53",
            "options ndots:2"
        ]
    );
    // --mount's long form, a tmpfs: its size and mode as asked.
    let mount: Vec<&str> = lines[18].split(' ').collect();
    assert_eq!(
        mount[..3],
        ["tmpfs", "/run/cache", "tmpfs"],
        "{}",
        lines[18]
    );
    assert!(
        mount[3].contains("size=4096k") && mount[3].contains("mode=700"),
        "{}",
        lines[18]
    );
    // --shm-size: a /dev/shm of the domain's own, of that size.
    let mount: Vec<&str> = lines[19].split(' ').collect();
    assert_eq!(mount[..3], ["shm", "/dev/shm", "tmpfs"], "{}", lines[19]);
    assert!(
        mount[3].contains("size=8192k") && mount[3].contains("noexec"),
        "{}",
        lines[19]
    );
    // The resolver's file went where the image's link leads in the
    // container, and the link stayed; a tmpfs at /var/run/app is the
    // container's /run/app.
    assert_eq!(lines[20], "/run/net/resolv.conf");
    assert_eq!(lines[21], "tmpfs /run/app tmpfs");
    // A tmpfs inside a host directory is mounted after the directory, on
    // it: what is written there stays in the guest (the host gets the
    // empty mount point, as docker makes it).
    assert_eq!(lines[22], "nested");
    assert!(site.join("cache").is_dir());
    assert!(!site.join("cache/f").exists());
    // --oom-score-adj and --security-opt no-new-privileges.
    assert_eq!(lines[23..25], ["-300", "NoNewPrivs:\t1"]);
    assert_eq!(lines.len(), 25, "{}", out.stdout);
    assert_eq!(
        std::fs::read_to_string(site.join("out.txt")).unwrap(),
        "from the domain\n"
    );
    assert_eq!(std::fs::read_to_string(&conf).unwrap(), "setting=1\n");

    // A kernel parameter the guest has not: the start fails, with the
    // tether's own words (from the console) as the reason.
    let out = run(env.booting([
        "-o",
        "json",
        "run",
        "--rm",
        "--sysctl",
        "net.nope.x=1",
        "busybox",
        "--",
        "true",
    ]));
    out.fails(
        125,
        "other",
        "the guest powered off before its tether was ready: boot failed: cannot set the kernel parameter net.nope.x to \"1\"",
    );
}
