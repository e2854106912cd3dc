//! Learns a kind's [`Schema`] from its k8s-openapi `Deserialize` impl: a deserializer that
//! offers every declared field of every struct once and records what each field's type asks
//! for. Leaf types are told by their Rust type name; a type this does not know makes the
//! trace fail, and the kind is then always decoded in full (slower, never wrong).

use super::shape::{decodes, Schema, Shape, StructShape};
use crate::yaml::{Entry, Node, Value};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, Time};
use k8s_openapi::ByteString;
use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use std::any::type_name;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

/// `resources`: the `(apiVersion, kind)` of every resource type, which a resource's decode
/// compares wherever it is embedded (a StatefulSet's claim templates are PersistentVolumeClaims).
pub fn schema_of<T: DeserializeOwned + k8s_openapi::Resource>(
    resources: &'static [(&'static str, &'static str)],
) -> Option<Schema> {
    let state = RefCell::new(State {
        resources,
        ..State::default()
    });
    let slot = RefCell::new(None);
    let tracer = Tracer {
        state: &state,
        slot: &slot,
        path: Vec::new(),
    };
    T::deserialize(tracer).ok()?;
    let State { structs, paths, .. } = state.into_inner();
    if !matches!(slot.into_inner(), Some(Shape::Struct(0))) {
        return None;
    }
    let mut schema = Schema { structs };
    // Which structs need a field: decode the kind with an empty mapping where each struct is
    // first met. The generated code checks each required field on its own, so a struct whose
    // empty mapping decodes requires none.
    for (shape, path) in schema.structs.iter_mut().zip(&paths) {
        shape.requires = !decodes::<T>(&probe_object(T::API_VERSION, T::KIND, path));
    }
    Some(schema)
}

#[derive(Clone, Copy, Debug)]
enum Step {
    Field(&'static str),
    Item,
    Value,
}

#[derive(Default)]
struct State {
    structs: Vec<StructShape>,
    /// Where each struct was first met, from the kind's root.
    paths: Vec<Vec<Step>>,
    /// Struct index by the type name of its visitor (unique per Rust type).
    index: HashMap<&'static str, usize>,
    /// `(apiVersion, kind)` of each resource type: a struct named as a kind is that resource
    /// (the traced kind itself, or one embedded in it).
    resources: &'static [(&'static str, &'static str)],
}

#[derive(Debug)]
struct TraceError;

impl fmt::Display for TraceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cannot trace this type")
    }
}

impl std::error::Error for TraceError {}

impl de::Error for TraceError {
    fn custom<T: fmt::Display>(_: T) -> Self {
        TraceError
    }
}

const TIME: &str = "1970-01-01T00:00:00Z";

/// How a leaf type is checked, and a value its decode accepts (to finish the trace).
fn leaf(name: &str) -> Option<(Shape, Sample)> {
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    let is = |t: &str| name == t;
    Some(if is(type_name::<String>()) {
        (Shape::Str, Sample::Str(""))
    } else if is(type_name::<bool>()) {
        (Shape::Bool, Sample::Bool)
    } else if is(type_name::<i32>()) {
        (Shape::Int32, Sample::Int)
    } else if is(type_name::<i64>()) {
        (Shape::Int64, Sample::Int)
    } else if is(type_name::<f64>()) {
        (Shape::Float, Sample::Float)
    } else if is(type_name::<serde_json::Value>()) {
        (Shape::Any, Sample::Unit)
    } else if is(type_name::<IntOrString>()) {
        (Shape::IntOrString, Sample::Str(""))
    } else if is(type_name::<Quantity>()) {
        (Shape::Quantity, Sample::Str("0"))
    } else if is(type_name::<Time>()) {
        (Shape::Decodes(decodes::<Time>), Sample::Str(TIME))
    } else if is(type_name::<MicroTime>()) {
        (Shape::Decodes(decodes::<MicroTime>), Sample::Str(TIME))
    } else if is(type_name::<ByteString>()) {
        (Shape::Decodes(decodes::<ByteString>), Sample::Str(""))
    } else {
        return None;
    })
}

/// The `T` of a `PhantomData<T>` seed, and whether it was `Option<T>`.
fn seed_type<S>() -> (&'static str, bool) {
    let name = type_name::<S>();
    let inner = name
        .strip_prefix("core::marker::PhantomData<")
        .and_then(|n| n.strip_suffix('>'))
        .unwrap_or(name);
    match inner
        .strip_prefix("core::option::Option<")
        .and_then(|n| n.strip_suffix('>'))
    {
        Some(t) => (t, true),
        None => (inner, false),
    }
}

struct Tracer<'a> {
    state: &'a RefCell<State>,
    /// Where the traced type's shape is written.
    slot: &'a RefCell<Option<Shape>>,
    path: Vec<Step>,
}

impl<'a> Tracer<'a> {
    fn child(&self, slot: &'a RefCell<Option<Shape>>, step: Step) -> Tracer<'a> {
        let mut path = self.path.clone();
        path.push(step);
        Tracer {
            state: self.state,
            slot,
            path,
        }
    }

    fn one<'t>(&'t self, shape: &'t RefCell<Option<Shape>>) -> One<'t, 'a> {
        One {
            tracer: self,
            shape,
            done: false,
        }
    }

    /// Traces a value whose seed is `S`: a leaf is recorded and given a sample, anything else
    /// is traced.
    fn value<'de, S: DeserializeSeed<'de>>(
        &self,
        seed: S,
        step: Step,
    ) -> Result<(S::Value, Shape), TraceError> {
        let (name, _) = seed_type::<S>();
        if let Some((shape, sample)) = leaf(name) {
            return Ok((seed.deserialize(SampleDe(sample))?, shape));
        }
        let slot = RefCell::new(None);
        let value = seed.deserialize(self.child(&slot, step))?;
        let shape = slot.into_inner().ok_or(TraceError)?;
        Ok((value, shape))
    }
}

impl<'de> de::Deserializer<'de> for Tracer<'_> {
    type Error = TraceError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TraceError> {
        // A newtype around JSON (`FieldsV1`, `RawExtension`): anything decodes.
        if type_name::<V>().starts_with("serde_json::value::") {
            *self.slot.borrow_mut() = Some(Shape::Any);
            return visitor.visit_unit();
        }
        Err(TraceError)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TraceError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, TraceError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TraceError> {
        let key = type_name::<V>();
        let known = self.state.borrow().index.get(key).copied();
        if let Some(at) = known {
            // Met before (or being traced: a recursive type): every field is optional, so an
            // empty mapping decodes.
            *self.slot.borrow_mut() = Some(Shape::Struct(at));
            return visitor.visit_map(Fields {
                tracer: &self,
                fields: &[],
                at,
                next: 0,
                resource: None,
            });
        }
        let resource = self
            .state
            .borrow()
            .resources
            .iter()
            .find(|r| r.1 == name)
            .copied();
        let at = {
            let mut state = self.state.borrow_mut();
            let at = state.structs.len();
            state.structs.push(StructShape::new(fields));
            state.paths.push(self.path.clone());
            state.index.insert(key, at);
            at
        };
        let value = visitor.visit_map(Fields {
            tracer: &self,
            fields,
            at,
            next: 0,
            resource,
        })?;
        *self.slot.borrow_mut() = Some(Shape::Struct(at));
        Ok(value)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TraceError> {
        let item = RefCell::new(None);
        let value = visitor.visit_seq(self.one(&item))?;
        let item = item.into_inner().ok_or(TraceError)?;
        *self.slot.borrow_mut() = Some(Shape::Seq(Box::new(item)));
        Ok(value)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TraceError> {
        let of = RefCell::new(None);
        let value = visitor.visit_map(self.one(&of))?;
        let of = of.into_inner().ok_or(TraceError)?;
        *self.slot.borrow_mut() = Some(Shape::Map(Box::new(of)));
        Ok(value)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct tuple tuple_struct enum identifier ignored_any
    }
}

/// Every declared field of a struct, once.
struct Fields<'t, 'a> {
    tracer: &'t Tracer<'a>,
    fields: &'static [&'static str],
    at: usize,
    next: usize,
    /// A resource's `apiVersion` and `kind`, which its decode compares.
    resource: Option<(&'static str, &'static str)>,
}

impl<'de> MapAccess<'de> for Fields<'_, '_> {
    type Error = TraceError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, TraceError> {
        let Some(&field) = self.fields.get(self.next) else {
            return Ok(None);
        };
        self.next += 1;
        seed.deserialize(BorrowedStrDeserializer::new(field))
            .map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<S::Value, TraceError> {
        let field = self.fields[self.next - 1];
        let (_, nullable) = seed_type::<S>();
        let constant = match (self.resource, field) {
            (Some((api_version, _)), "apiVersion") => Some(api_version),
            (Some((_, kind)), "kind") => Some(kind),
            _ => None,
        };
        let (value, shape) = match constant {
            Some(text) if !nullable => (
                seed.deserialize(SampleDe(Sample::Str(text)))?,
                Shape::Exactly(text),
            ),
            _ => self.tracer.value(seed, Step::Field(field))?,
        };
        let mut state = self.tracer.state.borrow_mut();
        let shape_of = &mut state.structs[self.at];
        shape_of.types[self.next - 1] = (shape, nullable);
        if !nullable && constant.is_none() {
            // A field that is not an `Option`: `null` is an error, and perhaps a value is
            // compared; only the typed decode can tell.
            shape_of.requires = true;
        }
        Ok(value)
    }
}

/// One item of a list or one entry of a `BTreeMap<String, _>`, to learn its type.
struct One<'t, 'a> {
    tracer: &'t Tracer<'a>,
    shape: &'t RefCell<Option<Shape>>,
    done: bool,
}

impl One<'_, '_> {
    fn first(&mut self) -> bool {
        !std::mem::replace(&mut self.done, true)
    }

    fn trace<'de, S: DeserializeSeed<'de>>(
        &self,
        seed: S,
        step: Step,
    ) -> Result<S::Value, TraceError> {
        let (value, shape) = self.tracer.value(seed, step)?;
        *self.shape.borrow_mut() = Some(shape);
        Ok(value)
    }
}

impl<'de> SeqAccess<'de> for One<'_, '_> {
    type Error = TraceError;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, TraceError> {
        if !self.first() {
            return Ok(None);
        }
        self.trace(seed, Step::Item).map(Some)
    }
}

impl<'de> MapAccess<'de> for One<'_, '_> {
    type Error = TraceError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, TraceError> {
        if !self.first() {
            return Ok(None);
        }
        seed.deserialize(BorrowedStrDeserializer::new("k"))
            .map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<S::Value, TraceError> {
        self.trace(seed, Step::Value)
    }
}

#[derive(Clone, Copy)]
enum Sample {
    Str(&'static str),
    Bool,
    Int,
    Float,
    Unit,
}

/// A value for a leaf, which the leaf's decode accepts.
struct SampleDe(Sample);

impl<'de> de::Deserializer<'de> for SampleDe {
    type Error = TraceError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TraceError> {
        match self.0 {
            Sample::Str(text) => visitor.visit_borrowed_str(text),
            Sample::Bool => visitor.visit_bool(false),
            Sample::Int => visitor.visit_i64(0),
            Sample::Float => visitor.visit_f64(0.0),
            Sample::Unit => visitor.visit_unit(),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TraceError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, TraceError> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

/// `{apiVersion, kind}` with an empty mapping at `path`.
fn probe_object(api_version: &str, kind: &str, path: &[Step]) -> Node {
    let node = |value| Node { value, span: 0..0 };
    let text = |s: &str| node(Value::Str(s.into()));
    let entry = |key: &str, value| Entry {
        key: text(key),
        value,
    };
    let mut inner = node(Value::Map(Vec::new()));
    for step in path.iter().rev() {
        inner = match step {
            Step::Field(key) => node(Value::Map(vec![entry(key, inner)])),
            Step::Value => node(Value::Map(vec![entry("k", inner)])),
            Step::Item => node(Value::Seq(vec![inner])),
        };
    }
    // The root's own fields come first on every path: `inner` is a mapping.
    let mut entries = match inner.value {
        Value::Map(entries) => entries,
        _ => Vec::new(),
    };
    entries.push(entry("apiVersion", text(api_version)));
    entries.push(entry("kind", text(kind)));
    node(Value::Map(entries))
}
