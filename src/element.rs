//! Mounting the component on a host element: the shadow root and the JS API.

use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ShadowRootInit, ShadowRootMode};

use crate::components::{App, AppProps};

/// What `mount()` returns to JavaScript: a handle to the rendered form.
#[wasm_bindgen]
pub struct FormHandle {
    app: Option<yew::AppHandle<App>>,
}

#[wasm_bindgen]
impl FormHandle {
    /// Removes the form and frees its resources. Calling it twice is harmless.
    pub fn destroy(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
    }
}

/// Renders the form into `element`'s open shadow root (created if missing).
#[wasm_bindgen]
pub fn mount(element: HtmlElement, _config: JsValue) -> Result<FormHandle, JsError> {
    let shadow = match element.shadow_root() {
        Some(root) => root,
        None => element
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .map_err(|_| JsError::new("consent-form: cannot attach a shadow root to this element"))?,
    };
    let document = element
        .owner_document()
        .ok_or_else(|| JsError::new("consent-form: element has no document"))?;
    let host = document
        .create_element("div")
        .map_err(|_| JsError::new("consent-form: cannot create the form's root"))?;
    shadow
        .append_child(&host)
        .map_err(|_| JsError::new("consent-form: cannot attach the form's root"))?;
    let kind = element.get_attribute("kind").unwrap_or_else(|| "contact".into());
    let app = yew::Renderer::<App>::with_root_and_props(host, AppProps { kind: kind.into() }).render();
    Ok(FormHandle { app: Some(app) })
}
