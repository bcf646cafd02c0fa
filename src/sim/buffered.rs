//! A JSON value held as it was read: numbers as `u64` / `i64` / `f64`, map entries in their
//! order with duplicates kept. It is what serde itself buffers (privately, as `Content`) to
//! read an internally tagged enum whose tag may come after the fields; the scenario reader
//! buffers one timed command this way, finds its `type`, then reads the fields it names.
//!
//! Reading a type back out of a [`Buffered`] gives the same values and the same error
//! messages as serde's own buffer: both hand the value to the type's visitor the same way
//! and build every error with the caller's error type (`serde_json::Error`), which adds
//! the place in the file.

use serde::de::value::{MapDeserializer, SeqDeserializer, StringDeserializer};
use serde::de::{
    self, Deserialize, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess,
    SeqAccess, Unexpected, VariantAccess, Visitor,
};
use std::fmt;
use std::marker::PhantomData;

/// One JSON value, as read.
#[derive(Clone, Debug, PartialEq)]
pub enum Buffered {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(String),
    Seq(Vec<Buffered>),
    Map(Vec<(String, Buffered)>),
}

impl Buffered {
    /// What the value is, for "invalid type: …" messages.
    pub fn unexpected(&self) -> Unexpected<'_> {
        match self {
            Buffered::Null => Unexpected::Unit,
            Buffered::Bool(b) => Unexpected::Bool(*b),
            Buffered::U64(n) => Unexpected::Unsigned(*n),
            Buffered::I64(n) => Unexpected::Signed(*n),
            Buffered::F64(x) => Unexpected::Float(*x),
            Buffered::Str(s) => Unexpected::Str(s),
            Buffered::Seq(_) => Unexpected::Seq,
            Buffered::Map(_) => Unexpected::Map,
        }
    }

    /// Reads a `T` out of this value, with errors of type `E`.
    pub fn read<'de, T: Deserialize<'de>, E: de::Error>(self) -> Result<T, E> {
        T::deserialize(BufferedDe::<E>::new(self))
    }
}

impl<'de> Deserialize<'de> for Buffered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(BufferedVisitor)
    }
}

struct BufferedVisitor;

impl<'de> Visitor<'de> for BufferedVisitor {
    type Value = Buffered;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Buffered, E> {
        Ok(Buffered::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Buffered, E> {
        Ok(Buffered::I64(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Buffered, E> {
        Ok(Buffered::U64(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Buffered, E> {
        Ok(Buffered::F64(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Buffered, E> {
        Ok(Buffered::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Buffered, E> {
        Ok(Buffered::Str(v))
    }
    fn visit_unit<E>(self) -> Result<Buffered, E> {
        Ok(Buffered::Null)
    }
    fn visit_none<E>(self) -> Result<Buffered, E> {
        Ok(Buffered::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Buffered, D::Error> {
        Buffered::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Buffered, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Buffered::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Buffered, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Buffered::Map(entries))
    }
}

/// Reads types out of a [`Buffered`] value; errors are `E`s.
pub struct BufferedDe<E> {
    value: Buffered,
    error: PhantomData<E>,
}

impl<E> BufferedDe<E> {
    pub fn new(value: Buffered) -> Self {
        BufferedDe {
            value,
            error: PhantomData,
        }
    }
}

impl<E: de::Error> IntoDeserializer<'_, E> for Buffered {
    type Deserializer = BufferedDe<E>;

    fn into_deserializer(self) -> BufferedDe<E> {
        BufferedDe::new(self)
    }
}

impl<'de, E: de::Error> Deserializer<'de> for BufferedDe<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.value {
            Buffered::Null => visitor.visit_unit(),
            Buffered::Bool(b) => visitor.visit_bool(b),
            Buffered::U64(n) => visitor.visit_u64(n),
            Buffered::I64(n) => visitor.visit_i64(n),
            Buffered::F64(x) => visitor.visit_f64(x),
            Buffered::Str(s) => visitor.visit_string(s),
            Buffered::Seq(items) => {
                let mut seq = SeqDeserializer::new(items.into_iter());
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Buffered::Map(entries) => {
                let mut map = MapDeserializer::new(entries.into_iter());
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.value {
            Buffered::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, E> {
        visitor.visit_newtype_struct(self)
    }

    /// An externally tagged enum: `"variant"` or `{"variant": value}`.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        match self.value {
            Buffered::Str(name) => visitor.visit_enum(Variant::<E>::new(name, None)),
            Buffered::Map(mut entries) if entries.len() == 1 => {
                let (name, value) = entries.pop().expect("one entry");
                visitor.visit_enum(Variant::<E>::new(name, Some(value)))
            }
            Buffered::Map(_) => Err(E::invalid_value(Unexpected::Map, &"map with a single key")),
            other => Err(E::invalid_type(other.unexpected(), &"string or map")),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// The variant of an externally tagged enum, and its value if it has one.
struct Variant<E> {
    name: String,
    value: VariantValue<E>,
}

impl<E> Variant<E> {
    fn new(name: String, value: Option<Buffered>) -> Self {
        Variant {
            name,
            value: VariantValue {
                value,
                error: PhantomData,
            },
        }
    }
}

impl<'de, E: de::Error> EnumAccess<'de> for Variant<E> {
    type Error = E;
    type Variant = VariantValue<E>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, VariantValue<E>), E> {
        let variant = seed.deserialize(StringDeserializer::<E>::new(self.name))?;
        Ok((variant, self.value))
    }
}

struct VariantValue<E> {
    value: Option<Buffered>,
    error: PhantomData<E>,
}

impl<'de, E: de::Error> VariantAccess<'de> for VariantValue<E> {
    type Error = E;

    fn unit_variant(self) -> Result<(), E> {
        match self.value {
            Some(value) => value.read(),
            None => Ok(()),
        }
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, E> {
        match self.value {
            Some(value) => seed.deserialize(BufferedDe::new(value)),
            None => Err(E::invalid_type(Unexpected::UnitVariant, &"newtype variant")),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, E> {
        match self.value {
            Some(value @ Buffered::Seq(_)) => BufferedDe::new(value).deserialize_any(visitor),
            Some(other) => Err(E::invalid_type(other.unexpected(), &"tuple variant")),
            None => Err(E::invalid_type(Unexpected::UnitVariant, &"tuple variant")),
        }
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        match self.value {
            Some(value @ (Buffered::Map(_) | Buffered::Seq(_))) => {
                BufferedDe::new(value).deserialize_any(visitor)
            }
            Some(other) => Err(E::invalid_type(other.unexpected(), &"struct variant")),
            None => Err(E::invalid_type(Unexpected::UnitVariant, &"struct variant")),
        }
    }
}
