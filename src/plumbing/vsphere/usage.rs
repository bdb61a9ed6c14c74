//! What vSphere measures of a running domain's VM, for `domain stats`: its
//! quickStats (one property read) and the PerformanceManager's real-time
//! counters (`cpu.usage`, `mem.consumed`, `net.received`,
//! `net.transmitted`, `disk.read`, `disk.write`, averages over vSphere's
//! 20-second interval). Counter ids differ between servers, so they are
//! looked up by name in the PerformanceManager's `perfCounter` property,
//! once per process. (QueryPerfCounter would ask for fewer, but vcsim
//! 0.24 crashes on it.)

use std::collections::{BTreeMap, HashMap};

use crate::plumbing::domain::PlatformUsage;
use crate::plumbing::error::{Error, Result};
use crate::plumbing::spec::DomainId;

use super::VspherePlatform;
use super::lookup::gone;
use super::session::{SessionError, retrieve_service_content};
use super::vim;
use super::xml::{MoRef, Node};

/// The VM's properties stats reads.
const QUICK_STATS: &[&str] = &[
    "summary.quickStats.overallCpuUsage",
    "summary.quickStats.guestMemoryUsage",
    "summary.quickStats.hostMemoryUsage",
    "summary.config.memorySizeMB",
    "summary.config.numCpu",
    "summary.runtime.maxCpuUsage",
];

/// The real-time interval, seconds.
const REALTIME: &str = "20";

/// The counters stats reads, by `group.name.rollup`.
const COUNTERS: [&str; 6] = [
    "cpu.usage.average",
    "mem.consumed.average",
    "net.received.average",
    "net.transmitted.average",
    "disk.read.average",
    "disk.write.average",
];

/// quickStats as a [`PlatformUsage`]. vSphere reports 0 until a VM's first
/// statistics interval: a 0 is "not measured yet".
pub fn from_quick_stats(o: &vim::ObjectContent) -> PlatformUsage {
    let positive = |p: &str| o.number(p).filter(|&v| v > 0);
    let mib = |v: i64| v as u64 * 1024 * 1024;
    let cpus = positive("summary.config.numCpu").unwrap_or(1) as f64;
    PlatformUsage {
        host_memory: positive("summary.quickStats.hostMemoryUsage").map(mib),
        memory_used: positive("summary.quickStats.guestMemoryUsage").map(mib),
        memory_limit: positive("summary.config.memorySizeMB").map(mib),
        // MHz used of the MHz the VM may use at most.
        cpu_percent: positive("summary.quickStats.overallCpuUsage")
            .zip(positive("summary.runtime.maxCpuUsage"))
            .map(|(used, max)| used as f64 / max as f64 * cpus * 100.0),
        ..PlatformUsage::default()
    }
}

/// The latest value of each counter in a QueryPerf answer, by counter id.
pub fn latest_values(response: &Node) -> BTreeMap<i32, i64> {
    let mut out = BTreeMap::new();
    for metric in response.children("returnval") {
        for series in metric.children("value") {
            let id = series
                .child("id")
                .and_then(|i| i.child_text("counterId"))
                .and_then(|t| t.trim().parse().ok());
            // vcsim lists the newest sample first, vCenter last: with one
            // sample asked for, there is one.
            let value = series
                .children("value")
                .filter_map(|v| v.text.trim().parse::<i64>().ok())
                .last();
            if let (Some(id), Some(v)) = (id, value) {
                out.insert(id, v);
            }
        }
    }
    out
}

/// Fold the counters' values into `u` (units: cpu.usage in hundredths of
/// a percent of the VM's CPUs, memory in KB, rates in KB/s), where
/// quickStats left a field unmeasured.
pub fn apply_counters(u: &mut PlatformUsage, values: &HashMap<&str, i64>, cpus: f64) {
    let kib = |name: &str| values.get(name).map(|&v| v.max(0) as u64 * 1024);
    if u.cpu_percent.is_none() {
        u.cpu_percent = values
            .get("cpu.usage.average")
            .map(|&v| v.max(0) as f64 / 100.0 * cpus);
    }
    if u.host_memory.is_none() {
        u.host_memory = kib("mem.consumed.average");
    }
    u.net_rx_rate = kib("net.received.average");
    u.net_tx_rate = kib("net.transmitted.average");
    u.block_read_rate = kib("disk.read.average");
    u.block_write_rate = kib("disk.write.average");
}

impl VspherePlatform {
    /// A running domain's quickStats and real-time counters.
    pub(super) async fn vm_usage(&self, id: &DomainId) -> Result<PlatformUsage> {
        let vm = self.vm_of(id).await?;
        let o = vim::retrieve_one(&self.session, &vm, QUICK_STATS)
            .await
            .map_err(|e| gone(id.short())(e.into()))?;
        let mut usage = from_quick_stats(&o);
        let cpus = o.number("summary.config.numCpu").unwrap_or(1).max(1) as f64;
        // The counters add to quickStats; a server that will not give them
        // (no privilege, no statistics) leaves the numbers quickStats has.
        match self.counters(&vm).await {
            Ok(values) => apply_counters(&mut usage, &values, cpus),
            Err(e) => {
                tracing::debug!(target: "vicport::vsphere", error = %e, "no real-time counters")
            }
        }
        Ok(usage)
    }

    async fn perf_manager(&self) -> Result<MoRef> {
        if let Some(pm) = &self.session.content().perf_manager {
            return Ok(pm.clone());
        }
        retrieve_service_content(self.session.transport())
            .await?
            .perf_manager
            .ok_or_else(|| Error::other("the server has no PerformanceManager"))
    }

    /// The latest real-time value of each of [`COUNTERS`] the VM has.
    async fn counters(&self, vm: &MoRef) -> Result<HashMap<&'static str, i64>> {
        let s = &self.session;
        let pm = self.perf_manager().await?;
        let available = s
            .call("QueryAvailablePerfMetric", &pm, |w| {
                w.moref("entity", vm).text("intervalId", REALTIME);
            })
            .await?;
        let ids: Vec<i32> = available
            .children("returnval")
            .filter(|m| m.child_text("instance").unwrap_or_default().is_empty())
            .filter_map(|m| m.child_text("counterId")?.trim().parse().ok())
            .collect();
        let names = self.counter_names(&pm).await?;
        let wanted: Vec<(i32, &'static str)> = ids
            .iter()
            .filter_map(|id| {
                let name = names.get(id)?;
                COUNTERS.iter().find(|c| **c == name).map(|c| (*id, *c))
            })
            .collect();
        if wanted.is_empty() {
            return Ok(HashMap::new());
        }
        let response = s
            .call("QueryPerf", &pm, |w| {
                w.open("querySpec")
                    .moref("entity", vm)
                    .text("maxSample", "1");
                for (id, _) in &wanted {
                    w.open("metricId")
                        .text("counterId", id.to_string())
                        .text("instance", "")
                        .close("metricId");
                }
                w.text("intervalId", REALTIME).close("querySpec");
            })
            .await?;
        let values = latest_values(&response);
        Ok(wanted
            .into_iter()
            .filter_map(|(id, name)| values.get(&id).map(|v| (name, *v)))
            .collect())
    }

    /// Counter names (`group.name.rollup`) by id, read once per process.
    async fn counter_names(&self, pm: &MoRef) -> Result<HashMap<i32, String>, SessionError> {
        {
            let known = self.perf_counters.lock().unwrap_or_else(|e| e.into_inner());
            if !known.is_empty() {
                return Ok(known.clone());
            }
        }
        let o = vim::retrieve_one(&self.session, pm, &["perfCounter"]).await?;
        let names = o
            .props
            .get("perfCounter")
            .map(counter_names)
            .unwrap_or_default();
        *self.perf_counters.lock().unwrap_or_else(|e| e.into_inner()) = names.clone();
        Ok(names)
    }
}

/// The names (`group.name.rollup`) of an ArrayOfPerfCounterInfo, by id.
pub fn counter_names(infos: &Node) -> HashMap<i32, String> {
    let mut out = HashMap::new();
    for info in &infos.children {
        let key = |n: &str| info.child(n).and_then(|c| c.child_text("key"));
        if let (Some(id), Some(group), Some(name), Some(rollup)) = (
            info.child_text("key").and_then(|k| k.trim().parse().ok()),
            key("groupInfo"),
            key("nameInfo"),
            info.child_text("rollupType"),
        ) {
            out.insert(id, format!("{group}.{name}.{rollup}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::vsphere::xml::parse;

    fn object(props: &[(&str, &str)]) -> vim::ObjectContent {
        let mut o = vim::ObjectContent::default();
        for (k, v) in props {
            let node = Node {
                text: (*v).into(),
                ..Node::default()
            };
            o.props.insert((*k).into(), node);
        }
        o
    }

    #[test]
    fn counters_are_named_group_name_rollup() {
        let val = parse(
            r#"<val xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="ArrayOfPerfCounterInfo">
            <PerfCounterInfo><key>2</key><nameInfo><label>Usage</label><key>usage</key></nameInfo><groupInfo><label>CPU</label><key>cpu</key></groupInfo><unitInfo><key>percent</key></unitInfo><rollupType>average</rollupType><statsType>rate</statsType></PerfCounterInfo>
            <PerfCounterInfo><key>1</key><nameInfo><key>usage</key></nameInfo><groupInfo><key>cpu</key></groupInfo><rollupType>none</rollupType></PerfCounterInfo>
            <PerfCounterInfo><nameInfo><key>broken</key></nameInfo></PerfCounterInfo>
            </val>"#,
        )
        .unwrap();
        let names = counter_names(&val);
        assert_eq!(names.len(), 2);
        assert_eq!(names[&2], "cpu.usage.average");
        assert_eq!(names[&1], "cpu.usage.none");
    }

    #[test]
    fn quick_stats_become_bytes_and_percent_of_one_cpu() {
        let o = object(&[
            ("summary.quickStats.overallCpuUsage", "1000"),
            ("summary.runtime.maxCpuUsage", "4000"),
            ("summary.config.numCpu", "2"),
            ("summary.quickStats.guestMemoryUsage", "100"),
            ("summary.quickStats.hostMemoryUsage", "300"),
            ("summary.config.memorySizeMB", "512"),
        ]);
        let u = from_quick_stats(&o);
        // A quarter of two CPUs' MHz: half of one CPU.
        assert_eq!(u.cpu_percent, Some(50.0));
        assert_eq!(u.memory_used, Some(100 << 20));
        assert_eq!(u.host_memory, Some(300 << 20));
        assert_eq!(u.memory_limit, Some(512 << 20));
        // A VM before its first interval reports zeros: not measured yet.
        let fresh = from_quick_stats(&object(&[
            ("summary.quickStats.overallCpuUsage", "0"),
            ("summary.quickStats.hostMemoryUsage", "0"),
            ("summary.config.memorySizeMB", "512"),
        ]));
        assert_eq!((fresh.cpu_percent, fresh.host_memory), (None, None));
    }

    #[test]
    fn the_latest_counter_values_fill_what_quick_stats_left() {
        let body = r#"<QueryPerfResponse xmlns="urn:vim25"><returnval xsi:type="PerfEntityMetric" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
            <entity type="VirtualMachine">vm-42</entity>
            <sampleInfo><timestamp>2026-01-01T00:00:20Z</timestamp><interval>20</interval></sampleInfo>
            <value xsi:type="PerfMetricIntSeries"><id><counterId>2</counterId><instance></instance></id><value>2500</value></value>
            <value xsi:type="PerfMetricIntSeries"><id><counterId>98</counterId><instance></instance></id><value>204800</value></value>
            <value xsi:type="PerfMetricIntSeries"><id><counterId>148</counterId><instance></instance></id><value>10</value></value>
            <value xsi:type="PerfMetricIntSeries"><id><counterId>131</counterId><instance></instance></id><value>7</value><value>3</value></value>
        </returnval></QueryPerfResponse>"#;
        let values = latest_values(&parse(body).unwrap());
        assert_eq!(values.get(&2), Some(&2500));
        assert_eq!(values.get(&131), Some(&3), "the last sample");
        let by_name: HashMap<&str, i64> = [
            ("cpu.usage.average", values[&2]),
            ("mem.consumed.average", values[&98]),
            ("net.received.average", values[&148]),
            ("disk.write.average", values[&131]),
        ]
        .into_iter()
        .collect();
        let mut u = PlatformUsage::default();
        apply_counters(&mut u, &by_name, 2.0);
        // 25.00 % of two CPUs: half of one.
        assert_eq!(u.cpu_percent, Some(50.0));
        assert_eq!(u.host_memory, Some(200 << 20));
        assert_eq!(u.net_rx_rate, Some(10 * 1024));
        assert_eq!(u.block_write_rate, Some(3 * 1024));
        assert_eq!((u.net_tx_rate, u.block_read_rate), (None, None));
        // quickStats' numbers, where there are some, stay.
        let mut u = PlatformUsage {
            host_memory: Some(1),
            cpu_percent: Some(2.0),
            ..PlatformUsage::default()
        };
        apply_counters(&mut u, &by_name, 2.0);
        assert_eq!((u.host_memory, u.cpu_percent), (Some(1), Some(2.0)));
    }
}
