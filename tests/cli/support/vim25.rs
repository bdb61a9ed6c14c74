//! Checks SOAP requests against the vim25 schema of an API version, as a
//! real vCenter reads them: element order (a base type's properties first,
//! each in schema order), known elements only, `xsi:type` where the static
//! type is abstract or anyType (naming a known subtype), enum values, and
//! nothing newer than the version the server announces.
//!
//! The schema is `tests/vim25-schema.json`, generated from pyVmomi by
//! `scripts/vim25-schema.py`. The vcsim harness logs every request it is
//! sent and runs this check on them when the simulator is dropped.

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use quick_xml::events::{BytesStart, Event};

/// A version as numbers: "6.7.1" -> [6, 7, 1]; shorter ones compare as if
/// padded with zeros ("7.0" == "7.0.0.0").
#[derive(Debug, Clone)]
pub struct Version(Vec<u32>);

impl Version {
    pub fn parse(text: &str) -> Self {
        let mut parts = Vec::new();
        for p in text.split('.') {
            let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
            match digits.parse() {
                Ok(n) => parts.push(n),
                Err(_) => break,
            }
            if digits.len() != p.len() {
                break;
            }
        }
        Version(parts)
    }

    fn at(&self, i: usize) -> u32 {
        self.0.get(i).copied().unwrap_or(0)
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Version {}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let n = self.0.len().max(other.0.len());
        (0..n)
            .map(|i| self.at(i).cmp(&other.at(i)))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(u32::to_string).collect();
        f.write_str(&parts.join("."))
    }
}

/// One property of a data type, or one parameter of a method.
#[derive(Debug, Clone)]
struct Field {
    name: String,
    ty: String,
    /// `primitive`, `enum`, `moref` or `data`.
    kind: String,
    array: bool,
    optional: bool,
    since: Version,
}

#[derive(Debug)]
struct DataType {
    base: Option<String>,
    abstract_: bool,
    since: Version,
    props: Vec<Field>,
}

#[derive(Debug)]
struct Method {
    on: String,
    since: Version,
    params: Vec<Field>,
}

/// The part of the vim25 schema vicport sends.
#[derive(Debug)]
pub struct Schema {
    /// Managed type -> its base.
    managed: HashMap<String, Option<String>>,
    enums: HashMap<String, Vec<String>>,
    types: HashMap<String, DataType>,
    methods: HashMap<String, Method>,
}

const REGENERATE: &str = "add it to scripts/vim25-schema.py and regenerate tests/vim25-schema.json";

fn field(v: &serde_json::Value) -> Field {
    let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
    Field {
        name: s("name"),
        ty: s("type"),
        kind: s("kind"),
        array: v["array"].as_bool().unwrap_or(false),
        optional: v["optional"].as_bool().unwrap_or(false),
        since: Version::parse(&s("since")),
    }
}

impl Schema {
    /// Read a schema file.
    pub fn from_json(text: &str) -> Self {
        let doc: serde_json::Value = serde_json::from_str(text).expect("the vim25 schema is JSON");
        let fields = |v: &serde_json::Value| -> Vec<Field> {
            v.as_array().into_iter().flatten().map(field).collect()
        };
        let obj = |k: &str| doc[k].as_object().cloned().unwrap_or_default();
        Schema {
            managed: obj("managed")
                .into_iter()
                .map(|(k, v)| (k, v.as_str().map(str::to_string)))
                .collect(),
            enums: obj("enums")
                .into_iter()
                .map(|(k, v)| {
                    let values = v.as_array().into_iter().flatten();
                    (
                        k,
                        values
                            .filter_map(|x| x.as_str().map(str::to_string))
                            .collect(),
                    )
                })
                .collect(),
            types: obj("types")
                .into_iter()
                .map(|(k, v)| {
                    let t = DataType {
                        base: v["base"].as_str().map(str::to_string),
                        abstract_: v["abstract"].as_bool().unwrap_or(false),
                        since: Version::parse(v["since"].as_str().unwrap_or_default()),
                        props: fields(&v["props"]),
                    };
                    (k, t)
                })
                .collect(),
            methods: obj("methods")
                .into_iter()
                .map(|(k, v)| {
                    let m = Method {
                        on: v["on"].as_str().unwrap_or_default().to_string(),
                        since: Version::parse(v["since"].as_str().unwrap_or_default()),
                        params: fields(&v["params"]),
                    };
                    (k, m)
                })
                .collect(),
        }
    }

    /// `tests/vim25-schema.json`, read once.
    pub fn get() -> &'static Schema {
        static SCHEMA: OnceLock<Schema> = OnceLock::new();
        SCHEMA.get_or_init(|| {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vim25-schema.json");
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            Schema::from_json(&text)
        })
    }

    fn is_managed_subtype(&self, ty: &str, of: &str) -> bool {
        let mut at = Some(ty.to_string());
        while let Some(t) = at {
            if t == of || of == "ManagedObject" {
                return true;
            }
            at = self.managed.get(&t).cloned().flatten();
        }
        false
    }

    fn is_data_subtype(&self, ty: &str, of: &str) -> bool {
        let mut at = Some(ty);
        while let Some(t) = at {
            if t == of {
                return true;
            }
            at = self.types.get(t).and_then(|d| d.base.as_deref());
        }
        false
    }

    /// A data type's properties, its bases' first.
    fn props(&self, ty: &str) -> Vec<&Field> {
        let mut chain = Vec::new();
        let mut at = Some(ty);
        while let Some(t) = at {
            let Some(d) = self.types.get(t) else { break };
            chain.push(d);
            at = d.base.as_deref();
        }
        chain.iter().rev().flat_map(|d| d.props.iter()).collect()
    }

    /// The schema violations of one request body (a SOAP envelope, or the
    /// method element alone) for a server announcing `api`.
    pub fn check(&self, body: &str, api: &str) -> Vec<String> {
        let mut c = Checker {
            schema: self,
            api: Version::parse(api),
            api_text: api.to_string(),
            out: Vec::new(),
        };
        match parse(body) {
            Err(e) => c.out.push(format!("not XML: {e}")),
            Ok(root) => {
                let method = if root.name == "Envelope" {
                    root.children
                        .iter()
                        .find(|c| c.name == "Body")
                        .and_then(|b| b.children.first())
                } else {
                    Some(&root)
                };
                match method {
                    Some(m) => c.method(m),
                    None => c.out.push("no method element in the SOAP body".into()),
                }
            }
        }
        c.out
    }
}

/// One element: local name, `xsi:type` (local part), `type` attribute,
/// `xmlns`, text, children.
#[derive(Debug, Default)]
struct El {
    name: String,
    xsi_type: Option<String>,
    type_attr: Option<String>,
    xmlns: Option<String>,
    text: String,
    children: Vec<El>,
}

fn local(name: &[u8]) -> String {
    let name = String::from_utf8_lossy(name);
    name.rsplit(':').next().unwrap_or_default().to_string()
}

fn start(e: &BytesStart<'_>) -> Result<El, String> {
    let mut el = El {
        name: local(e.name().as_ref()),
        ..El::default()
    };
    for a in e.attributes() {
        let a = a.map_err(|e| e.to_string())?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a.unescape_value().map_err(|e| e.to_string())?.into_owned();
        match key.as_str() {
            "xmlns" => el.xmlns = Some(value),
            "type" => el.type_attr = Some(value),
            k if k.ends_with(":type") => el.xsi_type = Some(local(value.as_bytes())),
            _ => {}
        }
    }
    Ok(el)
}

fn parse(text: &str) -> Result<El, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<El> = vec![El::default()];
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) => stack.push(start(&e)?),
            Event::Empty(e) => {
                let el = start(&e)?;
                stack.last_mut().ok_or("unbalanced")?.children.push(el);
            }
            Event::End(_) => {
                let el = stack.pop().ok_or("unbalanced")?;
                stack.last_mut().ok_or("unbalanced")?.children.push(el);
            }
            Event::Text(t) => {
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&t.decode().map_err(|e| e.to_string())?);
                }
            }
            Event::GeneralRef(_) => {
                if let Some(el) = stack.last_mut() {
                    el.text.push('&');
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut top = stack.pop().ok_or("unbalanced")?;
    if !stack.is_empty() || top.children.len() != 1 {
        return Err("not one root element".into());
    }
    Ok(top.children.remove(0))
}

struct Checker<'a> {
    schema: &'a Schema,
    api: Version,
    api_text: String,
    out: Vec<String>,
}

impl Checker<'_> {
    fn method(&mut self, m: &El) {
        let path = m.name.clone();
        let Some(def) = self.schema.methods.get(&m.name) else {
            self.out.push(format!(
                "{path}: a method not in the schema file ({REGENERATE})"
            ));
            return;
        };
        if m.xmlns.as_deref() != Some("urn:vim25") {
            self.out.push(format!(
                "{path}: not in the urn:vim25 namespace ({:?})",
                m.xmlns
            ));
        }
        if def.since > self.api {
            self.out.push(format!(
                "{path}: added in API {}, newer than the server's {}",
                def.since, self.api_text
            ));
        }
        let (this, rest) = match m.children.split_first() {
            Some((t, rest)) if t.name == "_this" => (t, rest),
            _ => {
                self.out.push(format!("{path}: _this must come first"));
                return;
            }
        };
        let this_field = Field {
            name: "_this".into(),
            ty: def.on.clone(),
            kind: "moref".into(),
            array: false,
            optional: false,
            since: Version(vec![]),
        };
        self.value(this, &this_field, &format!("{path}/_this"));
        let params: Vec<&Field> = def.params.iter().collect();
        self.fields(rest, &params, &path, &m.name);
    }

    /// Children against fields in order; required fields present.
    fn fields(&mut self, children: &[El], fields: &[&Field], path: &str, ty: &str) {
        let mut at = 0;
        let mut seen = vec![false; fields.len()];
        for child in children {
            let p = format!("{path}/{}", child.name);
            let here = fields[at..].iter().position(|f| f.name == child.name);
            let Some(offset) = here else {
                match fields[..at].iter().find(|f| f.name == child.name) {
                    Some(_) => self.out.push(format!(
                        "{p}: out of order: {ty} wants it before {}",
                        fields[at].name
                    )),
                    None => self
                        .out
                        .push(format!("{p}: {ty} has no element {}", child.name)),
                }
                continue;
            };
            let i = at + offset;
            let f = fields[i];
            if seen[i] && !f.array {
                self.out.push(format!("{p}: repeated, but not an array"));
            }
            seen[i] = true;
            at = i;
            if f.since > self.api {
                self.out.push(format!(
                    "{p}: {ty}.{} was added in API {}, newer than the server's {}",
                    f.name, f.since, self.api_text
                ));
            }
            self.value(child, f, &p);
        }
        for (f, seen) in fields.iter().zip(seen) {
            if !seen && !f.optional && f.since <= self.api {
                self.out.push(format!(
                    "{path}: {ty} requires {}, which is missing",
                    f.name
                ));
            }
        }
    }

    fn value(&mut self, el: &El, f: &Field, path: &str) {
        match f.kind.as_str() {
            "primitive" if f.ty == "anyType" => self.any(el, path),
            "primitive" => self.primitive(el, &f.ty, path),
            "enum" => {
                self.no_children(el, path);
                match self.schema.enums.get(&f.ty) {
                    None => self.out.push(format!(
                        "{path}: enum {} not in the schema file ({REGENERATE})",
                        f.ty
                    )),
                    Some(values) if !values.contains(&el.text) => self.out.push(format!(
                        "{path}: {:?} is not a {} (one of {values:?})",
                        el.text, f.ty
                    )),
                    Some(_) => {}
                }
            }
            "moref" => self.moref(el, &f.ty, path),
            _ => self.data(el, &f.ty, path),
        }
    }

    fn no_children(&mut self, el: &El, path: &str) {
        if !el.children.is_empty() {
            self.out.push(format!(
                "{path}: a simple value holds elements ({})",
                el.children[0].name
            ));
        }
    }

    fn primitive(&mut self, el: &El, ty: &str, path: &str) {
        self.no_children(el, path);
        let text = el.text.trim();
        let ok = match ty {
            "boolean" => matches!(text, "true" | "false" | "1" | "0"),
            "int" => text.parse::<i32>().is_ok(),
            "long" => text.parse::<i64>().is_ok(),
            "short" => text.parse::<i16>().is_ok(),
            "byte" => text.parse::<i8>().is_ok(),
            "double" | "float" => text.parse::<f64>().is_ok(),
            _ => true,
        };
        if !ok {
            self.out
                .push(format!("{path}: {:?} is not an xsd:{ty}", el.text));
        }
        if let Some(x) = &el.xsi_type {
            if x != ty {
                self.out.push(format!(
                    "{path}: xsi:type {x} where the schema says xsd:{ty}"
                ));
            }
        }
    }

    fn moref(&mut self, el: &El, of: &str, path: &str) {
        self.no_children(el, path);
        let Some(ty) = &el.type_attr else {
            self.out.push(format!(
                "{path}: a managed object reference without its type attribute"
            ));
            return;
        };
        if el.text.trim().is_empty() {
            self.out
                .push(format!("{path}: an empty managed object reference"));
        }
        if !self.schema.managed.contains_key(ty) {
            self.out
                .push(format!("{path}: {ty} is not a managed object type"));
        } else if !self.schema.is_managed_subtype(ty, of) {
            self.out
                .push(format!("{path}: a {ty} where the schema wants a {of}"));
        }
    }

    /// An anyType value: its xsi:type says what it is.
    fn any(&mut self, el: &El, path: &str) {
        const XSD: &[&str] = &[
            "string",
            "boolean",
            "int",
            "long",
            "short",
            "byte",
            "double",
            "float",
            "dateTime",
            "base64Binary",
        ];
        let Some(ty) = el.xsi_type.clone() else {
            self.out
                .push(format!("{path}: an anyType value needs an xsi:type"));
            return;
        };
        if XSD.contains(&ty.as_str()) {
            self.primitive(el, &ty, path);
        } else if ty == "ManagedObjectReference" {
            self.moref(el, "ManagedObject", path);
        } else if self.schema.types.contains_key(&ty) {
            self.data(el, &ty, path);
        } else {
            self.out.push(format!(
                "{path}: xsi:type {ty} is not in the schema file ({REGENERATE})"
            ));
        }
    }

    fn data(&mut self, el: &El, of: &str, path: &str) {
        if !self.schema.types.contains_key(of) {
            self.out.push(format!(
                "{path}: data type {of} is not in the schema file ({REGENERATE})"
            ));
            return;
        }
        let ty = match &el.xsi_type {
            Some(t) if !self.schema.types.contains_key(t) => {
                self.out.push(format!(
                    "{path}: xsi:type {t} is not in the schema file ({REGENERATE})"
                ));
                return;
            }
            Some(t) if !self.schema.is_data_subtype(t, of) => {
                self.out.push(format!("{path}: xsi:type {t} is not a {of}"));
                return;
            }
            Some(t) => t.clone(),
            None => of.to_string(),
        };
        let def = &self.schema.types[&ty];
        if def.abstract_ {
            self.out.push(format!(
                "{path}: {ty} is abstract: the value needs an xsi:type naming a concrete subtype"
            ));
        }
        if def.since > self.api {
            self.out.push(format!(
                "{path}: {ty} was added in API {}, newer than the server's {}",
                def.since, self.api_text
            ));
        }
        if !el.text.trim().is_empty() {
            self.out.push(format!("{path}: a {ty} holds text"));
        }
        let props = self.schema.props(&ty);
        self.fields(&el.children, &props, path, &ty);
    }
}

/// One logged request: its SOAPAction header and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub action: String,
    pub body: String,
}

impl Request {
    /// The method: the first element of the SOAP body.
    pub fn method(&self) -> String {
        match parse(&self.body) {
            Ok(root) => root
                .children
                .iter()
                .find(|c| c.name == "Body")
                .and_then(|b| b.children.first())
                .map(|m| m.name.clone())
                .unwrap_or_default(),
            Err(_) => String::new(),
        }
    }
}

/// The requests in a log the simulator wrote (`-request-log`): for each, a
/// line `LENGTH SOAPACTION`, the body, a newline.
pub fn read_log(data: &[u8]) -> Vec<Request> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < data.len() {
        let Some(nl) = data[at..].iter().position(|b| *b == b'\n') else {
            break;
        };
        let head = String::from_utf8_lossy(&data[at..at + nl]).into_owned();
        let (len, action) = head.split_once(' ').unwrap_or((head.as_str(), ""));
        let Ok(len) = len.parse::<usize>() else { break };
        let start = at + nl + 1;
        let end = start + len;
        if end > data.len() {
            // The simulator was killed while it wrote this one.
            break;
        }
        out.push(Request {
            action: action.trim_matches('"').to_string(),
            body: String::from_utf8_lossy(&data[start..end]).into_owned(),
        });
        at = end + 1;
    }
    out
}

/// Every violation in `requests` for a server announcing `api`, each
/// prefixed with the request's number; also a SOAPAction naming a version
/// newer than `api`.
pub fn check_all(requests: &[Request], api: &str) -> Vec<String> {
    let schema = Schema::get();
    let mut out = Vec::new();
    for (i, r) in requests.iter().enumerate() {
        if let Some(v) = r.action.strip_prefix("urn:vim25/") {
            if Version::parse(v) > Version::parse(api) {
                out.push(format!(
                    "request {i}: SOAPAction {:?} is newer than the server's {api}",
                    r.action
                ));
            }
        }
        for v in schema.check(&r.body, api) {
            out.push(format!("request {i}: {v}"));
        }
    }
    out
}

#[cfg(test)]
#[path = "vim25_tests.rs"]
mod tests;
