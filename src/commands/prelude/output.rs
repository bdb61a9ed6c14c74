//! Rendering results: tables fitted to the terminal, exactly one JSON
//! document, or IDs one per line; to a passed-in writer, so rendering is
//! testable without a process.

use std::io::Write;

use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

use super::OutputFormat;
use crate::plumbing::error::{Error, Result};

/// A type that can be shown as a table row.
pub trait Row: Serialize {
    /// Column headers.
    fn headers() -> Vec<&'static str>;
    /// This row's cells, in header order.
    fn cells(&self) -> Vec<String>;
    /// What `--quiet` prints for this row.
    fn id(&self) -> String;
}

/// Renders results in the chosen format to stdout.
pub struct Output {
    /// The format.
    pub format: OutputFormat,
    /// IDs only.
    pub quiet: bool,
    /// Colors allowed.
    pub color: bool,
    /// Whether stdout is a terminal (tables are fitted to it).
    pub terminal: bool,
    w: Box<dyn Write + Send>,
}

impl std::fmt::Debug for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Output")
            .field("format", &self.format)
            .field("quiet", &self.quiet)
            .finish_non_exhaustive()
    }
}

/// Map an output write error: a closed pipe is reported as such so the
/// binary can exit quietly.
fn write_error(e: std::io::Error) -> Error {
    Error::io("writing to standard output", e)
}

impl Output {
    /// An output in `format` to `w`; `terminal` fits tables to it.
    pub fn new(
        format: OutputFormat,
        quiet: bool,
        color: bool,
        terminal: bool,
        w: Box<dyn Write + Send>,
    ) -> Self {
        Output {
            format,
            quiet,
            color,
            terminal,
            w,
        }
    }

    /// An output for tests and embedding: writes to `w`.
    pub fn to_writer(format: OutputFormat, quiet: bool, w: Box<dyn Write + Send>) -> Self {
        Output {
            format,
            quiet,
            color: false,
            terminal: false,
            w,
        }
    }

    /// The raw writer (for logs and process output).
    pub fn raw(&mut self) -> &mut (dyn Write + Send) {
        &mut *self.w
    }

    fn table(&self) -> Table {
        let mut table = Table::new();
        table.load_preset(presets::NOTHING);
        if self.terminal {
            table.set_content_arrangement(ContentArrangement::Dynamic);
        } else {
            table.force_no_tty();
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
        table
    }

    fn json(&mut self, value: &impl Serialize) -> Result<()> {
        serde_json::to_writer_pretty(&mut self.w, value).map_err(|e| write_error(e.into()))?;
        writeln!(self.w).map_err(write_error)?;
        self.w.flush().map_err(write_error)
    }

    /// A list: a table, a JSON array, or IDs.
    pub fn list<T: Row>(&mut self, rows: &[T]) -> Result<()> {
        if self.format == OutputFormat::Json {
            return self.json(&rows);
        }
        if self.quiet {
            for r in rows {
                writeln!(self.w, "{}", r.id()).map_err(write_error)?;
            }
            return self.w.flush().map_err(write_error);
        }
        let mut table = self.table();
        let headers = T::headers();
        if self.color {
            table.set_header(
                headers
                    .iter()
                    .map(|h| comfy_table::Cell::new(h).add_attribute(comfy_table::Attribute::Bold)),
            );
        } else {
            table.set_header(headers);
        }
        for r in rows {
            table.add_row(r.cells());
        }
        writeln!(self.w, "{}", render(table)).map_err(write_error)?;
        self.w.flush().map_err(write_error)
    }

    /// One object: a JSON object, its ID, or a two-column table of its
    /// fields (nested values written compactly).
    pub fn object<T: Serialize>(&mut self, value: &T, id: &str) -> Result<()> {
        if self.format == OutputFormat::Json {
            return self.json(value);
        }
        if self.quiet {
            writeln!(self.w, "{id}").map_err(write_error)?;
            return self.w.flush().map_err(write_error);
        }
        let json = serde_json::to_value(value)
            .map_err(|e| Error::other(format!("rendering the result: {e}")))?;
        let mut rows = Vec::new();
        flatten("", &json, &mut rows);
        let mut table = self.table();
        for row in rows {
            table.add_row(vec![row.0, row.1]);
        }
        writeln!(self.w, "{}", render(table)).map_err(write_error)?;
        self.w.flush().map_err(write_error)
    }

    /// Several objects (`inspect A B`): a JSON array, IDs, or tables one after
    /// another.
    pub fn objects<T: Serialize>(&mut self, values: &[(T, String)]) -> Result<()> {
        if self.format == OutputFormat::Json {
            let docs: Vec<&T> = values.iter().map(|(v, _)| v).collect();
            return if docs.len() == 1 {
                self.json(docs[0])
            } else {
                self.json(&docs)
            };
        }
        for (i, (v, id)) in values.iter().enumerate() {
            if i > 0 && !self.quiet {
                writeln!(self.w).map_err(write_error)?;
            }
            self.object(v, id)?;
        }
        Ok(())
    }

    /// The result of an action on one object (`login`, `target use`): a JSON
    /// object, its ID with `--quiet`, or one human line.
    pub fn action<T: Serialize>(&mut self, value: &T, id: &str, line: &str) -> Result<()> {
        if self.format == OutputFormat::Json {
            return self.json(value);
        }
        writeln!(self.w, "{}", if self.quiet { id } else { line }).map_err(write_error)?;
        self.w.flush().map_err(write_error)
    }

    /// The result of an action on objects (`start a b`, `rm x`): a JSON
    /// array of what changed, their IDs with `--quiet`, or one human line each.
    pub fn actions<T: Serialize>(&mut self, done: &[(T, String, String)]) -> Result<()> {
        if self.format == OutputFormat::Json {
            let docs: Vec<&T> = done.iter().map(|(v, _, _)| v).collect();
            return self.json(&docs);
        }
        for (_, id, line) in done {
            let text = if self.quiet { id } else { line };
            writeln!(self.w, "{text}").map_err(write_error)?;
        }
        self.w.flush().map_err(write_error)
    }
}

/// A borderless table with two spaces between columns and no trailing
/// blanks, like the tables of other container tools.
fn render(mut table: Table) -> String {
    for column in table.column_iter_mut() {
        column.set_padding((0, 2));
    }
    table
        .to_string()
        .lines()
        .map(|l| l.trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Flatten a JSON object into `(dotted.key, text)` rows: nested objects
/// become dotted keys, lists of plain values one line, a list of steps
/// (objects with a `step` name, such as a boot timeline) a line per step in
/// its order, anything else compact JSON.
fn flatten(prefix: &str, value: &serde_json::Value, rows: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::Array(items)
            if !items.is_empty() && items.iter().all(|i| i["step"].is_string()) =>
        {
            for item in items {
                let mut rest = item.as_object().cloned().unwrap_or_default();
                let step = rest.remove("step").unwrap_or_default();
                let key = format!("{prefix}.{}", step.as_str().unwrap_or_default());
                rows.push((key, compact(&serde_json::Value::Object(rest))));
            }
        }
        serde_json::Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, rows);
            }
        }
        other => rows.push((prefix.to_string(), compact(other))),
    }
}

/// A JSON value written on one line for a table cell.
fn compact(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "-".into(),
        Value::Object(map) if map.is_empty() => "-".into(),
        Value::Array(items) if items.is_empty() => "-".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            items.iter().map(compact).collect::<Vec<_>>().join(" ")
        }
        Value::Object(map) if map.values().all(|i| !i.is_object() && !i.is_array()) => map
            .iter()
            .map(|(k, v)| format!("{k}={}", compact(v)))
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Serialize)]
    struct Item {
        name: String,
        size: u64,
    }

    impl Row for Item {
        fn headers() -> Vec<&'static str> {
            vec!["NAME", "SIZE"]
        }
        fn cells(&self) -> Vec<String> {
            vec![self.name.clone(), self.size.to_string()]
        }
        fn id(&self) -> String {
            self.name.clone()
        }
    }

    #[derive(Clone, Default)]
    struct Buf(Arc<Mutex<Vec<u8>>>);
    impl Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    impl Buf {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    fn items() -> Vec<Item> {
        vec![
            Item {
                name: "a".into(),
                size: 1,
            },
            Item {
                name: "bb".into(),
                size: 22,
            },
        ]
    }

    #[test]
    fn list_renders_three_ways() {
        let buf = Buf::default();
        let mut out = Output::to_writer(OutputFormat::Json, false, Box::new(buf.clone()));
        out.list(&items()).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&buf.text()).unwrap();
        assert_eq!(doc[1]["name"], "bb");
        assert_eq!(doc[1]["size"], 22);

        let buf = Buf::default();
        let mut out = Output::to_writer(OutputFormat::Table, true, Box::new(buf.clone()));
        out.list(&items()).unwrap();
        assert_eq!(buf.text(), "a\nbb\n");

        let buf = Buf::default();
        let mut out = Output::to_writer(OutputFormat::Table, false, Box::new(buf.clone()));
        out.list(&items()).unwrap();
        let text = buf.text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].contains("NAME") && lines[0].contains("SIZE"));
        assert!(lines[2].contains("bb") && lines[2].contains("22"));
        assert!(lines.iter().all(|l| !l.ends_with(' ')));
    }

    #[test]
    fn empty_list_in_json_is_an_empty_array() {
        let buf = Buf::default();
        let mut out = Output::to_writer(OutputFormat::Json, false, Box::new(buf.clone()));
        out.list::<Item>(&[]).unwrap();
        assert_eq!(buf.text().trim(), "[]");
    }

    #[test]
    fn object_table_flattens_nested_values() {
        let buf = Buf::default();
        let mut out = Output::to_writer(OutputFormat::Table, false, Box::new(buf.clone()));
        let value = serde_json::json!({
            "name": "web", "labels": {"a": "1"}, "exit_code": null, "ports": [1, 2], "empty": {}
        });
        out.object(&value, "web").unwrap();
        let text = buf.text();
        let rows: Vec<Vec<&str>> = text
            .lines()
            .map(|l| l.split_whitespace().collect())
            .collect();
        assert!(rows.contains(&vec!["labels.a", "1"]), "{text}");
        assert!(rows.contains(&vec!["exit_code", "-"]), "{text}");
        assert!(rows.contains(&vec!["ports", "1", "2"]), "{text}");
        assert!(rows.contains(&vec!["empty", "-"]), "{text}");
        // A list of steps is a line per step, in its order.
        let buf = Buf::default();
        let mut out = Output::to_writer(OutputFormat::Table, false, Box::new(buf.clone()));
        let value = serde_json::json!({"boot_timeline": [
            {"step": "kernel", "at_ms": 812.3, "took_ms": 812.3},
            {"step": "mounts", "at_ms": 815.0, "took_ms": 2.7},
        ]});
        out.object(&value, "web").unwrap();
        let text = buf.text();
        let rows: Vec<Vec<&str>> = text
            .lines()
            .map(|l| l.split_whitespace().collect())
            .filter(|r: &Vec<&str>| r.len() > 1)
            .collect();
        assert_eq!(
            rows,
            [
                vec!["boot_timeline.kernel", "at_ms=812.3", "took_ms=812.3"],
                vec!["boot_timeline.mounts", "at_ms=815.0", "took_ms=2.7"],
            ],
            "{text}"
        );
        assert!(text.lines().all(|l| !l.starts_with(' ')), "{text}");
    }
}
