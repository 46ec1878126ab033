//! Which forms are alive in other tabs, through the Web Locks API: each form holds a
//! lock named for its origin while it is mounted and its page shown, so that another
//! tab lists a request held by that form only once the lock is free (the tab closed,
//! crashed or went elsewhere, or the form left its page). Without `navigator.locks`
//! (an old browser, a page not served over HTTPS, some WebViews) every lock reads as
//! free: such a request is listed at once, as before, never hidden.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// `navigator.locks`.
    type LockManager;
    /// `locks.request(name, callback)`: the lock is released once what `callback`
    /// returns has settled, and so is the promise returned.
    #[wasm_bindgen(method, catch)]
    fn request(
        this: &LockManager,
        name: &str,
        callback: &js_sys::Function,
    ) -> Result<Request, JsValue>;
    /// The promise a lock request returns.
    #[wasm_bindgen(extends = js_sys::Promise)]
    type Request;
    /// `promise.catch(callback)`, with a plain function (no Rust closure).
    #[wasm_bindgen(method, js_name = catch)]
    fn or_else(this: &Request, callback: &js_sys::Function) -> js_sys::Promise;
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

/// A function that returns a promise settling when `promise` does: its own `then`,
/// bound to it (so that no Rust closure is kept for a callback).
fn after(promise: &js_sys::Promise) -> Option<js_sys::Function> {
    let then = js_sys::Reflect::get(promise, &"then".into()).ok()?;
    Some(then.dyn_into::<js_sys::Function>().ok()?.bind0(promise))
}

/// Asks for lock `name`; the function returned releases it (granted or not yet).
fn take(locks: &LockManager, name: &str) -> Option<js_sys::Function> {
    let mut release = None;
    let held = js_sys::Promise::new(&mut |resolve, _| release = Some(resolve));
    let granted = after(&held)?;
    // Its refusal (an opaque origin) is handled, not reported as uncaught.
    let _ = locks.request(name, &granted).ok()?.or_else(&granted);
    release
}

/// Holds the lock of `origin` until dropped, except while the page is hidden away
/// (`pagehide`: closed, or kept in the back/forward cache, which would keep its locks
/// — the visitor may never come back to it); taken again when it shows (`pageshow`).
/// `None` without Web Locks.
pub fn hold(origin: &str) -> Option<Hold> {
    let locks = manager()?;
    let window = web_sys::window()?;
    let name = name(origin);
    let release = Rc::new(RefCell::new(take(&locks, &name)));
    let hide = {
        let release = release.clone();
        EventListener::new(&window, "pagehide", move |_| let_go(&release))
    };
    let show = {
        let release = release.clone();
        EventListener::new(&window, "pageshow", move |_| {
            let mut release = release.borrow_mut();
            if release.is_none() {
                *release = take(&locks, &name);
            }
        })
    };
    Some(Hold {
        release,
        _listening: [hide, show],
    })
}

/// Releases the lock `release` holds, if any.
fn let_go(release: &RefCell<Option<js_sys::Function>>) {
    if let Some(release) = release.borrow_mut().take() {
        let _ = release.call0(&JsValue::NULL);
    }
}

/// A lock held by this page's form: dropping it releases it.
pub struct Hold {
    release: Rc<RefCell<Option<js_sys::Function>>>,
    _listening: [EventListener; 2],
}

impl Drop for Hold {
    fn drop(&mut self) {
        let_go(&self.release);
    }
}

/// Resolves once no form of `origin` is alive in any tab: at once when none is (or
/// without Web Locks, or if the browser refuses the request), else when it goes.
pub async fn free(origin: &str) {
    let Some(locks) = manager() else { return };
    let Some(granted) = after(&js_sys::Promise::resolve(&JsValue::UNDEFINED)) else {
        return;
    };
    if let Ok(promise) = locks.request(&name(origin), &granted) {
        let _ = JsFuture::from(js_sys::Promise::from(promise)).await;
    }
}
