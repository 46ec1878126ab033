//! Elements that hold only a text: built by one function, not by `html!` at each
//! place (each element `html!` writes is its own code in the wasm).

use yew::prelude::*;
use yew::virtual_dom::listeners::Listeners;
use yew::virtual_dom::{AttributeOrProperty, Attributes, VNode, VTag, VText};

/// `<tag …attributes>text</tag>`, the same element `html!` makes of
/// `<tag …attributes>{ text }</tag>` with literal attributes.
#[inline(never)]
pub fn text_tag(
    tag: &'static str,
    attributes: &'static [(&'static str, AttributeOrProperty)],
    text: &str,
) -> Html {
    VNode::from(VTag::__new_other(
        AttrValue::Static(tag),
        NodeRef::default(),
        None,
        Attributes::Static(attributes),
        Listeners::None,
        VNode::from(VText::new(text.to_owned())),
    ))
}

/// An attribute for [`text_tag`]: `attr("class", "cf-hint")`.
pub const fn attr(name: &'static str, value: &'static str) -> (&'static str, AttributeOrProperty) {
    (name, AttributeOrProperty::Static(value))
}
