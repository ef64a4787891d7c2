//! DOM helpers shared by the component tests (`tests/browser*.rs`), which include this file with
//! `#[path = "support/dom.rs"] mod dom;`. Each test crate uses a different subset.

#![allow(dead_code, reason = "each test crate uses a different subset of the helpers")]

use wasm_bindgen::JsCast;
use web_sys::{Event, EventInit, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

/// The page's document.
pub(crate) fn document() -> web_sys::Document {
    web_sys::window().expect("window").document().expect("document")
}

/// A new empty `<div>` at the end of the body, to mount a component into.
pub(crate) fn fresh_root() -> HtmlElement {
    let root: HtmlElement = document().create_element("div").expect("div").unchecked_into();
    document().body().expect("body").append_child(&root).expect("append");
    root
}

/// The page's localStorage.
pub(crate) fn storage() -> web_sys::Storage {
    web_sys::window().expect("window").local_storage().expect("storage").expect("localStorage")
}

/// Empties localStorage, so that a mounted app starts from a blank session.
pub(crate) fn clear_storage() {
    storage().clear().expect("clear localStorage");
}

/// The first element under `root` matching `selector`; panics (failing the test) if none does.
pub(crate) fn find(root: &HtmlElement, selector: &str) -> HtmlElement {
    root.query_selector(selector)
        .expect("selector is valid")
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .unchecked_into()
}

/// Every element under `root` matching `selector`, in document order.
pub(crate) fn all(root: &HtmlElement, selector: &str) -> Vec<HtmlElement> {
    let list = root.query_selector_all(selector).expect("selector is valid");
    (0..list.length()).filter_map(|i| list.item(i)).map(|n| n.unchecked_into()).collect()
}

/// How many elements under `root` match `selector`.
pub(crate) fn count(root: &HtmlElement, selector: &str) -> usize {
    all(root, selector).len()
}

/// The text content of the first element under `root` matching `selector`.
pub(crate) fn text(root: &HtmlElement, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
}

/// Dispatches a bubbling `input` event on `el`, as typing does.
pub(crate) fn input_event(el: &HtmlElement) {
    let init = EventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&Event::new_with_event_init_dict("input", &init).expect("event"))
        .expect("dispatch");
}

/// Sets the value of the `<textarea>` or `<input>` matching `selector` and fires `input`.
pub(crate) fn type_into(root: &HtmlElement, selector: &str, value: &str) {
    let el = find(root, selector);
    if let Some(area) = el.dyn_ref::<HtmlTextAreaElement>() {
        area.set_value(value);
    } else {
        el.unchecked_ref::<HtmlInputElement>().set_value(value);
    }
    input_event(&el);
}

/// Replaces the response editor's text, as a paste does.
pub(crate) fn type_response(root: &HtmlElement, value: &str) {
    type_into(root, "[data-testid=response]", value);
}

/// The response editor's text.
pub(crate) fn response_text(root: &HtmlElement) -> String {
    find(root, "[data-testid=response]").unchecked_into::<HtmlTextAreaElement>().value()
}
