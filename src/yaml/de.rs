//! `serde::Deserializer` over a [`Node`], so typed Kubernetes structs decode straight from the
//! tree with the values Kubernetes would see. It records unknown struct fields (the typed
//! structs silently ignore them) and puts the span of the offending node on every error.

use super::node::{Entry, Node, Value};
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use std::cell::RefCell;
use std::fmt;
use std::ops::Range;

#[derive(Debug)]
pub struct DeError {
    pub message: String,
    /// The innermost node the error was raised for.
    pub span: Option<Range<usize>>,
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            message: msg.to_string(),
            span: None,
        }
    }
}

/// A mapping key that the target struct does not declare.
#[derive(Debug, Clone)]
pub struct UnknownField {
    pub key: String,
    pub span: Range<usize>,
    pub expected: &'static [&'static str],
}

/// Decodes as the API server decodes JSON: `null` is the zero value (absent for a field; `""`,
/// `0` or empty in a list or map), and an embedded resource's `apiVersion` and `kind` strings
/// are not read (a claim template's never are).
#[derive(Clone, Copy)]
pub struct NodeDe<'a> {
    node: &'a Node,
    unknown: &'a RefCell<Vec<UnknownField>>,
    /// The node the decode started at: a resource below it is embedded.
    root: bool,
}

impl<'a> NodeDe<'a> {
    pub fn new(node: &'a Node, unknown: &'a RefCell<Vec<UnknownField>>) -> NodeDe<'a> {
        NodeDe {
            node,
            unknown,
            root: true,
        }
    }

    fn child(self, node: &'a Node) -> NodeDe<'a> {
        NodeDe {
            node,
            root: false,
            ..self
        }
    }
}

fn locate<T>(result: Result<T, DeError>, node: &Node) -> Result<T, DeError> {
    result.map_err(|mut e| {
        e.span.get_or_insert_with(|| node.span.clone());
        e
    })
}

impl<'de> de::Deserializer<'de> for NodeDe<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let result = match &self.node.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Int(i) => visitor.visit_i64(*i),
            // sigs.k8s.io/yaml turns YAML into JSON, where `3.0` is written `3` and decodes
            // into an integer field: whole floats are integers to Kubernetes.
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 => {
                visitor.visit_i64(*f as i64)
            }
            Value::Float(f) => visitor.visit_f64(*f),
            Value::Str(s) => visitor.visit_borrowed_str(s),
            Value::Seq(items) => visitor.visit_seq(Items {
                iter: items.iter(),
                de: self,
            }),
            Value::Map(entries) => visitor.visit_map(Entries {
                iter: entries.iter(),
                value: None,
                de: self,
                type_meta: false,
            }),
        };
        locate(result, self.node)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node.value {
            Value::Null => visitor.visit_borrowed_str(""),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node.value {
            Value::Null => visitor.visit_bool(false),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node.value {
            Value::Null => visitor.visit_i32(0),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node.value {
            Value::Null => visitor.visit_i64(0),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node.value {
            Value::Null => visitor.visit_f64(0.0),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node.value {
            Value::Null => visitor.visit_seq(Items {
                iter: [].iter(),
                de: self,
            }),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node.value {
            Value::Null => visitor.visit_map(Entries {
                iter: [].iter(),
                value: None,
                de: self,
                type_meta: false,
            }),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.node.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let mut unknown = self.unknown.borrow_mut();
        for entry in self.node.entries() {
            let key = entry.key.key_text().unwrap_or_default();
            if !fields.contains(&key.as_ref()) {
                unknown.push(UnknownField {
                    key: key.into_owned(),
                    span: entry.key.span.clone(),
                    expected: fields,
                });
            }
        }
        drop(unknown);
        let embedded = !self.root && fields.contains(&"apiVersion") && fields.contains(&"kind");
        match &self.node.value {
            Value::Map(entries) => locate(
                visitor.visit_map(Entries {
                    iter: entries.iter(),
                    value: None,
                    de: self,
                    type_meta: embedded,
                }),
                self.node,
            ),
            _ => self.deserialize_map(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i128 u8 u16 u32 u64 u128 f32 char
        bytes byte_buf unit unit_struct tuple
        tuple_struct enum identifier ignored_any
    }
}

struct Items<'a> {
    iter: std::slice::Iter<'a, Node>,
    de: NodeDe<'a>,
}

impl<'de> SeqAccess<'de> for Items<'de> {
    type Error = DeError;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.iter.next() {
            None => Ok(None),
            Some(node) => locate(seed.deserialize(self.de.child(node)), node).map(Some),
        }
    }
}

struct Entries<'a> {
    iter: std::slice::Iter<'a, Entry>,
    value: Option<&'a Node>,
    de: NodeDe<'a>,
    /// An embedded resource: its `apiVersion` and `kind` strings are not read.
    type_meta: bool,
}

impl<'de> MapAccess<'de> for Entries<'de> {
    type Error = DeError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        // `null` is absent, as for the API server's JSON decoding.
        let type_meta = self.type_meta;
        let unread = |e: &Entry| {
            let embedded_type = type_meta
                && matches!(e.value.value, Value::Str(_))
                && matches!(e.key.key_text().as_deref(), Some("apiVersion" | "kind"));
            e.value.is_null() || embedded_type
        };
        let Some(entry) = self.iter.find(|e| !unread(e)) else {
            return Ok(None);
        };
        self.value = Some(&entry.value);
        let key = entry.key.key_text().unwrap_or_default().into_owned();
        locate(seed.deserialize(key.into_deserializer()), &entry.key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let value = self
            .value
            .take()
            .ok_or_else(|| de::Error::custom("value before key"))?;
        locate(seed.deserialize(self.de.child(value)), value)
    }
}
