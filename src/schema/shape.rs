//! What a kind's typed decode accepts, as data: the fields of each struct and the type of
//! each field, learnt once from the k8s-openapi types themselves (see `trace`). Walking a
//! tree against it answers "would the typed decode find nothing?" without building the
//! struct: almost every object is well-formed, and building then dropping a `StatefulSet` per
//! object cost more than the rest of the schema check.

use crate::yaml::{Node, NodeDe, Value};
use serde::de::DeserializeOwned;

/// Whether `node` decodes as a `T`.
pub fn decodes<T: DeserializeOwned>(node: &Node) -> bool {
    let unknown = std::cell::RefCell::new(Vec::new());
    T::deserialize(NodeDe::new(node, &unknown)).is_ok() && unknown.into_inner().is_empty()
}

#[derive(Debug, Clone)]
pub enum Shape {
    Str,
    Bool,
    Int32,
    Int64,
    Float,
    IntOrString,
    Quantity,
    /// A resource's `apiVersion` or `kind`: this string and no other.
    Exactly(&'static str),
    /// `serde_json::Value`: anything decodes.
    Any,
    /// A type whose decode checks more than the node's type (a timestamp, base64 bytes): its
    /// own typed decode tells, on this node alone.
    Decodes(fn(&Node) -> bool),
    /// Only the typed decode of the whole object can tell.
    Opaque,
    Seq(Box<Shape>),
    /// `BTreeMap<String, _>`.
    Map(Box<Shape>),
    /// An index into [`Schema::structs`].
    Struct(usize),
}

#[derive(Debug)]
pub struct StructShape {
    pub fields: &'static [&'static str],
    /// Field indexes by the length of the name: a key is compared with the few fields of its
    /// length (a scan of PodSpec's 40 names per key cost as much as the decode it replaces).
    by_length: Vec<Vec<u8>>,
    /// Per field: its type and whether `null` is accepted (every field but a resource's
    /// `apiVersion` and `kind` is an `Option`).
    pub types: Vec<(Shape, bool)>,
    /// An empty mapping does not decode (a field is required): only the typed decode can tell.
    pub requires: bool,
}

#[derive(Debug)]
pub struct Schema {
    /// The kind's own struct first.
    pub structs: Vec<StructShape>,
}

impl StructShape {
    pub fn new(fields: &'static [&'static str]) -> StructShape {
        let longest = fields.iter().map(|f| f.len()).max().unwrap_or(0);
        let mut by_length = vec![Vec::new(); longest + 1];
        for (at, field) in fields.iter().enumerate() {
            // No struct has 256 fields; one that had would make its keys unknown to the walk
            // (the decode would then answer).
            if let Ok(at) = u8::try_from(at) {
                by_length[field.len()].push(at);
            }
        }
        StructShape {
            fields,
            by_length,
            types: vec![(Shape::Opaque, true); fields.len()],
            requires: false,
        }
    }

    fn field(&self, key: &str) -> Option<usize> {
        self.by_length
            .get(key.len())?
            .iter()
            .map(|&at| usize::from(at))
            .find(|&at| self.fields[at] == key)
    }
}

impl Schema {
    /// True when the typed decode of `root` would report no unknown field and no type error.
    /// Never true when it would: anything this walk is unsure of answers false, and the typed
    /// decode then says what is wrong, as before.
    pub fn accepts(&self, root: &Node) -> bool {
        self.fits(&Shape::Struct(0), root, false)
    }

    fn fits(&self, shape: &Shape, node: &Node, nullable: bool) -> bool {
        let value = &node.value;
        if nullable && matches!(value, Value::Null) {
            return true;
        }
        let int32 = |i: &i64| i32::try_from(*i).is_ok();
        match shape {
            Shape::Str => matches!(value, Value::Str(_)),
            Shape::Bool => matches!(value, Value::Bool(_)),
            Shape::Int32 => matches!(value, Value::Int(i) if int32(i)),
            Shape::Int64 => matches!(value, Value::Int(_)),
            Shape::Float => matches!(value, Value::Int(_) | Value::Float(_)),
            Shape::IntOrString => {
                matches!(value, Value::Str(_)) || matches!(value, Value::Int(i) if int32(i))
            }
            Shape::Quantity => matches!(value, Value::Str(_) | Value::Int(_) | Value::Float(_)),
            Shape::Exactly(text) => matches!(value, Value::Str(s) if s == text),
            Shape::Any => true,
            Shape::Decodes(decodes) => decodes(node),
            Shape::Opaque => false,
            Shape::Seq(item) => match value {
                Value::Seq(items) => items.iter().all(|n| self.fits(item, n, false)),
                _ => false,
            },
            Shape::Map(of) => match value {
                Value::Map(entries) => entries.iter().all(|e| {
                    matches!(e.key.value, Value::Str(_)) && self.fits(of, &e.value, false)
                }),
                _ => false,
            },
            Shape::Struct(i) => {
                let shape = &self.structs[*i];
                let Value::Map(entries) = value else {
                    return false;
                };
                !shape.requires
                    && entries.iter().all(|e| {
                        let Value::Str(key) = &e.key.value else {
                            return false;
                        };
                        shape.field(key).is_some_and(|at| {
                            let (field, nullable) = &shape.types[at];
                            self.fits(field, &e.value, *nullable)
                        })
                    })
            }
        }
    }
}
