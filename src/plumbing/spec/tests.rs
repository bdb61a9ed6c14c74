//! Tests of the data model: specs, states, handles.

use super::*;
use crate::plumbing::error::ErrorKind;

#[test]
fn image_defaults_fill_the_process() {
    let image = ImageConfig {
        entrypoint: vec!["/entry".into()],
        cmd: vec!["serve".into()],
        env: vec!["PATH=/bin".into(), "A=1".into()],
        workdir: Some("/srv".into()),
        user: Some("www".into()),
        ..Default::default()
    };
    let p = ProcessSpec::default().with_image_defaults(&image, None);
    assert_eq!(p.argv, ["/entry", "serve"]);
    assert_eq!(p.cwd.as_deref(), Some("/srv"));
    assert_eq!(p.user.as_deref(), Some("www"));

    let given = ProcessSpec {
        argv: vec!["debug".into()],
        env: vec!["A=2".into()],
        user: Some("root".into()),
        ..Default::default()
    };
    let p = given.clone().with_image_defaults(&image, None);
    assert_eq!(p.argv, ["/entry", "debug"]);
    assert_eq!(p.env, ["PATH=/bin", "A=1", "A=2"]);
    assert_eq!(p.user.as_deref(), Some("root"));

    let p = given.with_image_defaults(&image, Some("/bin/sh"));
    assert_eq!(p.argv, ["/bin/sh", "debug"]);
    let p = ProcessSpec::default().with_image_defaults(&image, Some(""));
    assert!(p.argv.is_empty());
}

#[test]
fn spec_validation_catches_duplicates_and_limits() {
    let mut spec = DomainSpec::new("web", "busybox");
    spec.validate().unwrap();
    spec.memory_mb = 16;
    assert!(spec.validate().is_err());
    spec.memory_mb = 256;
    spec.volumes = vec![
        VolumeMount::parse("a:/x").unwrap(),
        VolumeMount::parse("b:/x").unwrap(),
    ];
    assert!(spec.validate().is_err());
    spec.volumes = vec![
        VolumeMount::parse("a:/x").unwrap(),
        VolumeMount::parse("a:/y").unwrap(),
    ];
    let e = spec.validate().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert_eq!(e.to_string(), "domain \"web\" joins volume \"a\" twice");
}

#[test]
fn handle_joins_refuse_duplicates() {
    let mut h = Handle::new_domain(DomainSpec::new("web", "busybox"));
    assert!(h.is_new());
    h.join_network(NetworkEndpoint::parse("n1").unwrap())
        .unwrap();
    let e = h
        .join_network(NetworkEndpoint::parse("n1:10.0.0.2").unwrap())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Taken);
    h.leave_network("n1").unwrap();
    assert_eq!(
        h.leave_network("n1").unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

#[test]
fn filter_matches_labels_and_state() {
    let row = DomainSummary {
        id: DomainId("ab".repeat(32)),
        name: "web-1".into(),
        state: DomainState::Running,
        image: "busybox:latest".into(),
        created: now(),
        labels: [("tier".to_string(), "front".to_string())].into(),
        ports: Vec::new(),
    };
    let mut f = DomainFilter::default();
    assert!(f.matches(&row));
    f.labels.push(("tier".into(), Some("front".into())));
    assert!(f.matches(&row));
    f.state = Some(DomainState::Stopped);
    assert!(!f.matches(&row));
    f.state = None;
    f.labels.push(("zone".into(), None));
    assert!(!f.matches(&row));
}
