//! Values the API server's field validation refuses: enums, ranges, one-of groups and the
//! checks of their own, one row each in `field_table.rs`.
use super::field_table::{is_required, TABLES};
use super::{fields, Context, Rule, Sink};
use crate::model::Object;

pub struct InvalidFieldValue;

impl Rule for InvalidFieldValue {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        fields::check(object, TABLES, |c| !is_required(c), sink);
    }
}
