//! Which forms are alive in other tabs, through the Web Locks API: each form holds a
//! lock named for its origin while it is mounted, so that another tab lists a request
//! held by that form only once the lock is free (the tab closed, crashed or navigated
//! away, or the form left its page). Without `navigator.locks` (an old browser, a page
//! not served over HTTPS, some WebViews) every lock reads as free: such a request is
//! listed at once, as before, never hidden.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// `navigator.locks`.
    type LockManager;
    /// `locks.request(name, callback)`: the promise settles once `callback`'s result has.
    #[wasm_bindgen(method, catch)]
    fn request(
        this: &LockManager,
        name: &str,
        callback: &JsValue,
    ) -> Result<js_sys::Promise, JsValue>;
}

fn manager() -> Option<LockManager> {
    let navigator = web_sys::window()?.navigator();
    let locks = js_sys::Reflect::get(&navigator, &"locks".into()).ok()?;
    locks.is_object().then(|| locks.unchecked_into())
}

/// The lock a form of `origin` holds.
fn name(origin: &str) -> String {
    ["consent-form:form:", origin].concat()
}

/// Holds the lock of `origin` until dropped (or the page goes). `None` without Web Locks.
pub fn hold(origin: &str) -> Option<Hold> {
    let locks = manager()?;
    let mut release = None;
    let held = js_sys::Promise::new(&mut |resolve, _| release = Some(resolve));
    let granted = Closure::once_into_js(move |_: JsValue| held);
    let promise = locks.request(&name(origin), &granted).ok()?;
    // Awaited so that a refusal (an opaque origin) is handled, not reported as uncaught.
    wasm_bindgen_futures::spawn_local(async move {
        let _ = JsFuture::from(promise).await;
    });
    release.map(Hold)
}

/// A lock held by this page: dropping it releases it.
pub struct Hold(js_sys::Function);

impl Drop for Hold {
    fn drop(&mut self) {
        let _ = self.0.call0(&JsValue::NULL);
    }
}

/// Resolves once no form of `origin` is alive in any tab: at once when none is (or
/// without Web Locks, or if the browser refuses the request), else when it goes.
pub async fn free(origin: &str) {
    let Some(locks) = manager() else { return };
    let granted = Closure::once_into_js(|_: JsValue| JsValue::UNDEFINED);
    if let Ok(promise) = locks.request(&name(origin), &granted) {
        let _ = JsFuture::from(promise).await;
    }
}
