//! XML for vim25: a writer for request bodies (escaped text, `xsi:type` on
//! polymorphic values) and a small element tree that responses are read into.

use quick_xml::escape::escape;
use quick_xml::events::Event;
use quick_xml::reader::Reader;

/// The SOAP envelope around one vim25 request body.
pub fn envelope(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"
    )
}

/// Builds the XML of a request body. Element names are trusted constants;
/// every text value and attribute value is escaped.
#[derive(Debug, Default)]
pub struct XmlWriter {
    buf: String,
}

impl XmlWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// `<name>`.
    pub fn open(&mut self, name: &str) -> &mut Self {
        self.buf.push('<');
        self.buf.push_str(name);
        self.buf.push('>');
        self
    }

    /// `<name xsi:type="ty">`, for a value of a polymorphic vim25 type.
    pub fn open_typed(&mut self, name: &str, ty: &str) -> &mut Self {
        self.buf.push('<');
        self.buf.push_str(name);
        self.buf.push_str(" xsi:type=\"");
        self.buf.push_str(&escape(ty));
        self.buf.push_str("\">");
        self
    }

    /// `</name>`.
    pub fn close(&mut self, name: &str) -> &mut Self {
        self.buf.push_str("</");
        self.buf.push_str(name);
        self.buf.push('>');
        self
    }

    /// `<name>text</name>`.
    pub fn text(&mut self, name: &str, text: impl AsRef<str>) -> &mut Self {
        self.open(name);
        self.buf.push_str(&escape(text.as_ref()));
        self.close(name)
    }

    /// `<name xsi:type="ty">text</name>`, e.g. an `xsd:string` option value.
    pub fn typed_text(&mut self, name: &str, ty: &str, text: impl AsRef<str>) -> &mut Self {
        self.open_typed(name, ty);
        self.buf.push_str(&escape(text.as_ref()));
        self.close(name)
    }

    /// `<name type="Type">value</name>`: a managed object reference.
    pub fn moref(&mut self, name: &str, r: &MoRef) -> &mut Self {
        self.buf.push('<');
        self.buf.push_str(name);
        self.buf.push_str(" type=\"");
        self.buf.push_str(&escape(&r.kind));
        self.buf.push_str("\">");
        self.buf.push_str(&escape(&r.value));
        self.close(name)
    }

    /// The XML written so far.
    pub fn finish(self) -> String {
        self.buf
    }
}

/// A managed object reference: `type` and value, e.g. `VirtualMachine:vm-42`.
#[derive(
    Debug,
    Clone,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct MoRef {
    /// The managed object type, e.g. `VirtualMachine`.
    pub kind: String,
    /// The id, e.g. `vm-42`.
    pub value: String,
}

impl MoRef {
    /// A reference of `kind` with id `value`.
    pub fn new(kind: impl Into<String>, value: impl Into<String>) -> Self {
        MoRef {
            kind: kind.into(),
            value: value.into(),
        }
    }
}

impl std::fmt::Display for MoRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.kind, self.value)
    }
}

/// One element of a response: its local name, its attributes (local names),
/// its text, and its child elements, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Node {
    /// The local name (namespace prefix dropped).
    pub name: String,
    /// Attributes by local name (`type`, `xsi:type` as `type`...). The
    /// `xsi:type` attribute is kept separately in `xsi_type`.
    pub attrs: Vec<(String, String)>,
    /// The `xsi:type` of a polymorphic value.
    pub xsi_type: Option<String>,
    /// The text content (concatenated).
    pub text: String,
    /// Child elements.
    pub children: Vec<Node>,
}

impl Node {
    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// All children named `name`.
    pub fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of the first child named `name`.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }

    /// Follow a path of child names, e.g. `["about", "apiType"]`.
    pub fn path(&self, path: &[&str]) -> Option<&Node> {
        let mut node = self;
        for name in path {
            node = node.child(name)?;
        }
        Some(node)
    }

    /// The attribute with local name `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// This element read as a managed object reference.
    pub fn as_moref(&self) -> Option<MoRef> {
        let kind = self.attr("type")?;
        if self.text.is_empty() {
            return None;
        }
        Some(MoRef::new(kind, self.text.clone()))
    }

    /// The first descendant (depth first, self included) named `name`.
    pub fn find(&self, name: &str) -> Option<&Node> {
        if self.name == name {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(name))
    }
}

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError(pub String);

impl std::fmt::Display for XmlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The local part of a possibly prefixed name.
fn local(name: &[u8]) -> String {
    let name = String::from_utf8_lossy(name);
    match name.rsplit_once(':') {
        Some((_, l)) => l.to_string(),
        None => name.into_owned(),
    }
}

/// Parse a whole document into its root element.
pub fn parse(text: &str) -> Result<Node, XmlError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Node> = Vec::new();
    let mut root: Option<Node> = None;

    let start = |e: &quick_xml::events::BytesStart<'_>| -> Result<Node, XmlError> {
        let mut node = Node {
            name: local(e.name().as_ref()),
            ..Node::default()
        };
        for a in e.attributes() {
            let a = a.map_err(|e| XmlError(format!("bad attribute: {e}")))?;
            let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
            let value = a
                .unescape_value()
                .map_err(|e| XmlError(format!("bad attribute value: {e}")))?
                .into_owned();
            if key.starts_with("xmlns") {
                continue;
            }
            if local(key.as_bytes()) == "type" && key.contains(':') {
                // xsi:type="vim25:Foo" or "Foo": keep the local type name.
                node.xsi_type = Some(local(value.as_bytes()));
            } else {
                node.attrs.push((local(key.as_bytes()), value));
            }
        }
        Ok(node)
    };

    loop {
        match reader.read_event() {
            Err(e) => {
                return Err(XmlError(format!(
                    "malformed XML at byte {}: {e}",
                    reader.buffer_position()
                )));
            }
            Ok(Event::Start(e)) => stack.push(start(&e)?),
            Ok(Event::Empty(e)) => {
                let node = start(&e)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None if root.is_none() => root = Some(node),
                    None => return Err(XmlError("more than one root element".into())),
                }
            }
            Ok(Event::End(_)) => {
                let node = stack
                    .pop()
                    .ok_or_else(|| XmlError("unbalanced end tag".into()))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None if root.is_none() => root = Some(node),
                    None => return Err(XmlError("more than one root element".into())),
                }
            }
            Ok(Event::Text(t)) => {
                if let Some(node) = stack.last_mut() {
                    let text = t.decode().map_err(|e| XmlError(format!("bad text: {e}")))?;
                    let text = quick_xml::escape::unescape(&text)
                        .map_err(|e| XmlError(format!("bad text: {e}")))?;
                    node.text.push_str(&text);
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let Some(node) = stack.last_mut() {
                    let name = r
                        .decode()
                        .map_err(|e| XmlError(format!("bad reference: {e}")))?;
                    let reference = format!("&{name};");
                    let text = quick_xml::escape::unescape(&reference)
                        .map_err(|e| XmlError(format!("bad reference: {e}")))?;
                    node.text.push_str(&text);
                }
            }
            Ok(Event::CData(t)) => {
                if let Some(node) = stack.last_mut() {
                    node.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(XmlError("the document ends inside an element".into()));
    }
    root.ok_or_else(|| XmlError("the document has no element".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writer_escapes_text_and_types_values() {
        let mut w = XmlWriter::new();
        w.open("spec")
            .typed_text("value", "xsd:string", "a<b & \"c\"")
            .moref("_this", &MoRef::new("Folder", "group-v3"))
            .close("spec");
        assert_eq!(
            w.finish(),
            "<spec><value xsi:type=\"xsd:string\">a&lt;b &amp; &quot;c&quot;</value>\
             <_this type=\"Folder\">group-v3</_this></spec>"
        );
    }

    #[test]
    fn parser_reads_names_types_and_entities() {
        let doc = r#"<?xml version="1.0"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body><R xmlns="urn:vim25"><returnval type="Task">task-1</returnval>
 <val xsi:type="OptionValue"><key>k</key><value xsi:type="xsd:string">a&amp;b&#x41;</value></val>
 <empty/></R></soapenv:Body></soapenv:Envelope>"#;
        let root = parse(doc).unwrap();
        assert_eq!(root.name, "Envelope");
        let r = root.path(&["Body", "R"]).unwrap();
        assert_eq!(
            r.child("returnval").unwrap().as_moref(),
            Some(MoRef::new("Task", "task-1"))
        );
        let val = r.child("val").unwrap();
        assert_eq!(val.xsi_type.as_deref(), Some("OptionValue"));
        assert_eq!(val.child_text("value"), Some("a&bA"));
        assert_eq!(
            val.child("value").unwrap().xsi_type.as_deref(),
            Some("string")
        );
        assert!(r.child("empty").is_some());
    }

    #[test]
    fn parser_refuses_broken_documents() {
        for bad in ["", "<a>", "<a></b>", "not xml at all", "<a/><b/>"] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
