//! The browser's file and clipboard doors, shared by the session menu and the back-translate
//! panel: download a text as a file, read a picked file, copy text to the clipboard.
//!
//! Each returns a message for people instead of failing silently or panicking: browsers refuse
//! clipboard access, block downloads, or hand over unreadable files, and the person must know.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Offers `text` as a download named `filename` with the MIME type `mime`.
pub fn download(filename: &str, mime: &str, text: &str) -> Result<(), String> {
    let fail = |what: &str| format!("The download could not be started ({what}).");
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| fail("no blob"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| fail("no URL"))?;
    let document = leptos::prelude::document();
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| fail("no link"))?
        .dyn_into()
        .map_err(|_| fail("no link"))?;
    anchor.set_href(&url);
    anchor.set_download(filename);
    anchor.set_hidden(true);
    let body = document.body().ok_or_else(|| fail("no page body"))?;
    let _ = body.append_child(&anchor);
    anchor.click();
    anchor.remove();
    // The click has started the download; the URL can go once the event loop has moved on.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    if let Some(window) = web_sys::window() {
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 1_000);
    }
    Ok(())
}

/// The text of the first file picked in `input` (an `<input type=file>`), with its name.
/// `Ok(None)` when nothing is picked.
pub async fn read_picked(
    input: &web_sys::HtmlInputElement,
) -> Result<Option<(String, String)>, String> {
    let Some(file) = input.files().and_then(|list| list.get(0)) else {
        return Ok(None);
    };
    let name = file.name();
    let text = JsFuture::from(file.text())
        .await
        .map_err(|_| format!("The file \"{name}\" could not be read."))?;
    let text = text.as_string().ok_or_else(|| format!("The file \"{name}\" is not text."))?;
    Ok(Some((name, text)))
}

/// Handles a `change` event of an `<input type=file>`: reads the picked file (see
/// [`read_picked`]), clears the input so that picking the same file again fires `change` again,
/// and hands the result to `handle`.
pub fn on_picked(
    ev: &leptos::ev::Event,
    handle: impl FnOnce(Result<Option<(String, String)>, String>) + 'static,
) {
    use wasm_bindgen::JsCast;
    let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    leptos::task::spawn_local(async move {
        let picked = read_picked(&input).await;
        input.set_value("");
        handle(picked);
    });
}

/// Copies `text` to the clipboard. The error says what to do instead (the browser may deny
/// access, or have no clipboard API on an insecure page).
pub async fn copy(text: &str) -> Result<(), String> {
    let denied = "The clipboard is not available here: select the text and copy it by hand.";
    let window = web_sys::window().ok_or_else(|| denied.to_owned())?;
    let clipboard = window.navigator().clipboard();
    // Older browsers and insecure pages have no `navigator.clipboard`.
    if clipboard.is_undefined() {
        return Err(denied.to_owned());
    }
    JsFuture::from(clipboard.write_text(text)).await.map(|_| ()).map_err(|_| denied.to_owned())
}
