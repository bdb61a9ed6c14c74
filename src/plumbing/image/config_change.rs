//! Dockerfile instructions applied to an image config, as `docker commit
//! --change` takes them: CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL,
//! EXPOSE, VOLUME and STOPSIGNAL, in the JSON form (`CMD ["a","b"]`) or
//! the shell form (`CMD a b`, run by `/bin/sh -c`). Anything else is
//! refused by name. Before them, [`from_domain`] puts in what the
//! committed domain's command ran with, as docker's commit starts from
//! the container's config.

use serde_json::{Map, Value};

use crate::plumbing::error::{Error, Result};

const KNOWN: &str = "CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, VOLUME, STOPSIGNAL";

fn bad(change: &str, why: impl std::fmt::Display) -> Error {
    Error::invalid(format!("--change {change:?}: {why}"))
        .with_hint(format!("one Dockerfile instruction each: {KNOWN}"))
}

/// Words as a shell reads them: split on blanks, with '…' and "…" quoting
/// and backslash escapes (outside single quotes).
fn words(text: &str) -> std::result::Result<Vec<String>, &'static str> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("an unterminated ' quote"),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c) => word.push(c),
                            None => return Err("a \\ at the end"),
                        },
                        Some(c) => word.push(c),
                        None => return Err("an unterminated \" quote"),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(c) => word.push(c),
                    None => return Err("a \\ at the end"),
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        out.push(word);
    }
    Ok(out)
}

/// A command in the JSON form, or the shell form run by `/bin/sh -c`.
fn command(change: &str, args: &str) -> Result<Value> {
    if args.starts_with('[') {
        let list: Vec<String> = serde_json::from_str(args)
            .map_err(|e| bad(change, format!("not a JSON array of strings: {e}")))?;
        return Ok(list.into());
    }
    Ok(vec!["/bin/sh".to_string(), "-c".into(), args.to_string()].into())
}

/// `KEY=VALUE …` pairs (or the old `KEY VALUE` form when `old_form`).
fn pairs(change: &str, args: &str, old_form: bool) -> Result<Vec<(String, String)>> {
    let first = args.split_whitespace().next().unwrap_or_default();
    if old_form && !first.contains('=') {
        let value = args[first.len()..].trim_start();
        return Ok(vec![(first.to_string(), value.to_string())]);
    }
    words(args)
        .map_err(|why| bad(change, why))?
        .into_iter()
        .map(|w| match w.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
            _ => Err(bad(change, format!("{w:?} is not KEY=VALUE"))),
        })
        .collect()
}

/// The object at `key` in `map`, made when missing or not an object.
fn object_at<'a>(map: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    let value = map.entry(key).or_insert_with(|| Value::Object(Map::new()));
    if !value.is_object() {
        *value = Value::Object(Map::new());
    }
    value.as_object_mut().expect("an object")
}

/// The runtime part of an image config document (`config`), made when
/// missing; `None` when the document is not an object.
fn runtime(config: &mut Value) -> Option<&mut Map<String, Value>> {
    Some(object_at(config.as_object_mut()?, "config"))
}

/// Put into an image config document what a domain's command ran with
/// (`domain commit` does, before its `--change`s, as docker's commit
/// starts from the container's config): its environment (the image's
/// and `run`'s, each name once), its working directory and user, its
/// labels over the image's, a stop signal other than TERM, and its
/// command. The command keeps the image's entrypoint when it starts
/// with it (the rest is the Cmd); a command that does not (the
/// entrypoint was replaced) becomes the Cmd whole, with no entrypoint,
/// so the new image runs the same command with no arguments.
pub fn from_domain(config: &mut Value, spec: &crate::plumbing::spec::DomainSpec) {
    let Some(runtime) = runtime(config) else {
        return;
    };
    let p = &spec.process;
    let strings = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let entrypoint = strings(runtime.get("Entrypoint"));
    if !p.argv.is_empty() {
        let (entry, cmd) = match p.argv.strip_prefix(entrypoint.as_slice()) {
            Some(rest) if !entrypoint.is_empty() => (entrypoint.clone(), rest.to_vec()),
            _ => (Vec::new(), p.argv.clone()),
        };
        runtime.insert("Entrypoint".into(), entry.into());
        runtime.insert("Cmd".into(), cmd.into());
    }
    if !p.env.is_empty() {
        runtime.insert("Env".into(), tether_protocol::env::merged(&p.env).into());
    }
    if let Some(w) = p.cwd.as_ref().filter(|w| !w.is_empty()) {
        runtime.insert("WorkingDir".into(), w.clone().into());
    }
    if let Some(u) = p.user.as_ref().filter(|u| !u.is_empty()) {
        runtime.insert("User".into(), u.clone().into());
    }
    if !spec.labels.is_empty() {
        let labels = object_at(runtime, "Labels");
        for (k, v) in &spec.labels {
            labels.insert(k.clone(), v.clone().into());
        }
    }
    let signal = spec.stop_signal.trim_start_matches("SIG");
    if !signal.is_empty() && (signal != "TERM" || runtime.contains_key("StopSignal")) {
        runtime.insert("StopSignal".into(), spec.stop_signal.clone().into());
    }
}

/// Apply one instruction to an image config document (its `config`
/// object is made when missing).
pub fn apply(config: &mut Value, change: &str) -> Result<()> {
    let text = change.trim();
    let (instruction, args) = match text.split_once(char::is_whitespace) {
        Some((i, a)) => (i, a.trim()),
        None => (text, ""),
    };
    if args.is_empty() {
        return Err(bad(change, "an instruction and its arguments"));
    }
    let runtime =
        runtime(config).ok_or_else(|| bad(change, "the image's config is not an object"))?;
    match instruction.to_ascii_uppercase().as_str() {
        "CMD" => {
            runtime.insert("Cmd".into(), command(change, args)?);
        }
        "ENTRYPOINT" => {
            runtime.insert("Entrypoint".into(), command(change, args)?);
        }
        "ENV" => {
            let set = pairs(change, args, true)?;
            let env = runtime
                .entry("Env")
                .or_insert_with(|| Value::Array(Vec::new()));
            let list = env
                .as_array_mut()
                .ok_or_else(|| bad(change, "the image's Env is not a list"))?;
            for (k, v) in set {
                let prefix = format!("{k}=");
                list.retain(|e| !e.as_str().is_some_and(|s| s.starts_with(&prefix)));
                list.push(format!("{k}={v}").into());
            }
        }
        "LABEL" => {
            let set = pairs(change, args, false)?;
            let labels = object_at(runtime, "Labels");
            for (k, v) in set {
                labels.insert(k, v.into());
            }
        }
        "WORKDIR" => {
            if !args.starts_with('/') {
                return Err(bad(change, "WORKDIR takes an absolute path"));
            }
            runtime.insert("WorkingDir".into(), args.into());
        }
        "USER" => {
            runtime.insert("User".into(), args.into());
        }
        "STOPSIGNAL" => {
            runtime.insert("StopSignal".into(), args.into());
        }
        "EXPOSE" | "VOLUME" => {
            let (key, items) = if instruction.eq_ignore_ascii_case("EXPOSE") {
                let ports: Vec<String> = args
                    .split_whitespace()
                    .map(|p| {
                        if p.contains('/') {
                            p.to_string()
                        } else {
                            format!("{p}/tcp")
                        }
                    })
                    .collect();
                ("ExposedPorts", ports)
            } else if args.starts_with('[') {
                let list: Vec<String> = serde_json::from_str(args)
                    .map_err(|e| bad(change, format!("not a JSON array of strings: {e}")))?;
                ("Volumes", list)
            } else {
                (
                    "Volumes",
                    args.split_whitespace().map(String::from).collect(),
                )
            };
            let set = object_at(runtime, key);
            for item in items {
                set.insert(item, Value::Object(Map::new()));
            }
        }
        other => {
            return Err(bad(
                change,
                format!("{other} is not an instruction a commit takes"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A committed domain's command and settings go into the config: the
    /// image's entrypoint kept when the command starts with it, each
    /// environment name once, labels over the image's, TERM left out.
    #[test]
    fn a_domains_command_and_settings_go_into_the_config() {
        let base = serde_json::json!({"config": {
            "Entrypoint": ["/bin/sh", "-c"],
            "Cmd": ["echo base"],
            "Env": ["PATH=/bin"],
            "Labels": {"from": "image", "kept": "yes"},
        }});
        let mut spec = crate::plumbing::spec::DomainSpec::new("web", "img");
        spec.process.argv = ["/bin/sh", "-c", "echo run"].map(String::from).to_vec();
        spec.process.env = ["PATH=/bin", "A=1", "PATH=/usr/bin"]
            .map(String::from)
            .to_vec();
        spec.process.cwd = Some("/app".into());
        spec.process.user = Some("1000".into());
        spec.labels.insert("from".into(), "domain".into());
        spec.stop_signal = "TERM".into();
        let mut config = base.clone();
        from_domain(&mut config, &spec);
        let c = &config["config"];
        assert_eq!(c["Entrypoint"], serde_json::json!(["/bin/sh", "-c"]));
        assert_eq!(c["Cmd"], serde_json::json!(["echo run"]));
        assert_eq!(c["Env"], serde_json::json!(["PATH=/usr/bin", "A=1"]));
        assert_eq!(
            (&c["WorkingDir"], &c["User"]),
            (&"/app".into(), &"1000".into())
        );
        assert_eq!(
            c["Labels"],
            serde_json::json!({"from": "domain", "kept": "yes"})
        );
        assert!(c.get("StopSignal").is_none());

        // The entrypoint was replaced: the command whole, no entrypoint.
        spec.process.argv = ["/app/start", "--fast"].map(String::from).to_vec();
        spec.stop_signal = "QUIT".into();
        let mut config = base.clone();
        from_domain(&mut config, &spec);
        let c = &config["config"];
        assert_eq!(c["Entrypoint"], serde_json::json!([]));
        assert_eq!(c["Cmd"], serde_json::json!(["/app/start", "--fast"]));
        assert_eq!(c["StopSignal"], "QUIT");
    }
    use serde_json::json;

    fn applied(changes: &[&str]) -> Value {
        let mut c = json!({"config": {"Env": ["PATH=/bin", "A=old"]}, "rootfs": {}});
        for ch in changes {
            apply(&mut c, ch).unwrap();
        }
        c["config"].clone()
    }

    #[test]
    fn instructions_set_what_docker_commit_sets() {
        let c = applied(&[
            r#"CMD ["cat", "/srv/app/conf"]"#,
            "ENTRYPOINT /init --fast",
            r#"ENV A=new B="two words" C=x\ y"#,
            "ENV LEGACY spaced value",
            "WORKDIR /srv",
            "user 1000:1000",
            r#"LABEL org.example.tier=web "note=a b""#,
            "EXPOSE 80 53/udp",
            r#"VOLUME ["/data"]"#,
            "STOPSIGNAL SIGINT",
        ]);
        assert_eq!(c["Cmd"], json!(["cat", "/srv/app/conf"]));
        assert_eq!(c["Entrypoint"], json!(["/bin/sh", "-c", "/init --fast"]));
        assert_eq!(
            c["Env"],
            json!([
                "PATH=/bin",
                "A=new",
                "B=two words",
                "C=x y",
                "LEGACY=spaced value"
            ])
        );
        assert_eq!(c["WorkingDir"], "/srv");
        assert_eq!(c["User"], "1000:1000");
        assert_eq!(
            c["Labels"],
            json!({"org.example.tier": "web", "note": "a b"})
        );
        assert_eq!(c["ExposedPorts"], json!({"80/tcp": {}, "53/udp": {}}));
        assert_eq!(c["Volumes"], json!({"/data": {}}));
        assert_eq!(c["StopSignal"], "SIGINT");
    }

    #[test]
    fn a_change_vicport_cannot_make_is_refused_by_name() {
        for (change, says) in [
            ("ONBUILD RUN make", "ONBUILD is not an instruction"),
            ("CMD", "an instruction and its arguments"),
            (r#"CMD ["unclosed"#, "not a JSON array"),
            ("WORKDIR relative", "absolute path"),
            ("LABEL novalue", "not KEY=VALUE"),
            (r#"ENV A="open"#, "unterminated"),
        ] {
            let mut c = json!({});
            let e = apply(&mut c, change).unwrap_err();
            assert!(e.to_string().contains(says), "{change}: {e}");
            assert!(
                e.hint().is_some_and(|h| h.contains("CMD, ENTRYPOINT")),
                "{e:?}"
            );
        }
    }
}
