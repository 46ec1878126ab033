//! Which forms are alive in other tabs, through the Web Locks API: each form holds a
//! lock named for its origin while it is mounted and its page shown, so that another
//! tab lists a request held by that form only once the lock is free (the tab closed,
//! crashed or went elsewhere, or the form left its page). Without `navigator.locks`
//! (an old browser, a page not served over HTTPS, some WebViews) every lock reads as
//! free: such a request is listed at once, as before, never hidden.
//!
//! Each page also holds a lock named for its tab's id ([`tab`]): a page whose tab the
//! browser copied from a live one ("Duplicate tab", `window.open`) finds it held and
//! takes a new id.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// `navigator.locks`.
    #[derive(Clone)]
    type LockManager;
    /// `locks.request(name, callback)`: the lock is released once what `callback`
    /// returns has settled, and so is the promise returned.
    #[wasm_bindgen(method, catch)]
    fn request(
        this: &LockManager,
        name: &str,
        callback: &js_sys::Function,
    ) -> Result<Request, JsValue>;
    /// `locks.request(name, options, callback)`.
    #[wasm_bindgen(method, catch, js_name = request)]
    fn request_with(
        this: &LockManager,
        name: &str,
        options: &js_sys::Object,
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

/// Asks for lock `name`; the function returned releases it (granted or not yet). Once
/// the request is granted or waits, the other tabs hear of it (see [`BACK`]).
fn take(locks: &LockManager, name: &str) -> Option<js_sys::Function> {
    let mut release = None;
    let held = js_sys::Promise::new(&mut |resolve, _| release = Some(resolve));
    let granted = after(&held)?;
    // Its refusal (an opaque origin) is handled, not reported as uncaught.
    let _ = locks.request(name, &granted).ok()?.or_else(&granted);
    let (locks, name) = (locks.clone(), name.to_owned());
    wasm_bindgen_futures::spawn_local(async move {
        // Answered after the request above (one queue): granted by then, if free.
        available(&locks, &name).await;
        if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok()?) {
            let _ = storage.set_item(BACK, "");
            let _ = storage.remove_item(BACK);
        }
    });
    release
}

/// The `localStorage` key written (and removed at once) when a page takes a lock: a
/// `storage` event in the other tabs, whose lists then look at once at the locks of the
/// held requests they list ([`nap`]) — a form back (a page shown again from the
/// back/forward cache, a slow reload) takes its request out of their lists at once.
const BACK: &str = "consent-form:back";

/// Waits [`GRACE_MS`], or less: until a `storage` event (a lock taken in another tab, or
/// any change to the outbox).
pub async fn nap() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let mut wake = None;
    let woken = js_sys::Promise::new(&mut |resolve, _| wake = Some(resolve));
    let Some(wake) = wake else { return };
    // Left to run out when woken sooner: resolving a settled promise does nothing.
    // (The same calls as elsewhere in the crate and in gloo: no new imports.)
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_1(
        &wake,
        GRACE_MS as i32,
        &JsValue::NULL,
    );
    let _ = window.add_event_listener_with_callback_and_add_event_listener_options(
        "storage",
        &wake,
        &web_sys::AddEventListenerOptions::new(),
    );
    let _ = JsFuture::from(woken).await;
    let _ = window.remove_event_listener_with_callback_and_bool("storage", &wake, false);
}

/// Holds the lock of `origin` until dropped, except while the page is hidden away
/// (`pagehide`: closed, or kept in the back/forward cache, which would keep its locks
/// — the visitor may never come back to it); taken again when it shows (`pageshow`).
/// `None` without Web Locks.
pub fn hold(origin: &str) -> Option<Hold> {
    let locks = manager()?;
    let name = name(origin);
    let release = take(&locks, &name);
    holding(locks, name, release)
}

/// Keeps lock `name`, which `release` releases, as [`hold`] says.
fn holding(locks: LockManager, name: String, release: Option<js_sys::Function>) -> Option<Hold> {
    let window = web_sys::window()?;
    let release = Rc::new(RefCell::new(release));
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

/// How long a page waits for the lock of the tab id it found in `sessionStorage`: the
/// page it reloads lets go of it at `pagehide`, which may reach the browser a moment
/// after this page asks.
pub const TAB_WAIT_MS: u32 = 1_000;

/// Takes the lock of tab `id` (`consent-form:tab:<id>`) for the rest of this page's
/// life, let go of while the page is hidden away, as a form's [`hold`]: `false` if
/// another page keeps it for [`TAB_WAIT_MS`] — the tab this one was duplicated from, or
/// opened from (`window.open` copies `sessionStorage`), which is alive and has that id.
/// `true` without Web Locks, or if the browser refuses the request: the id is kept, as
/// before.
pub async fn tab(id: &str) -> bool {
    let Some(locks) = manager() else { return true };
    let name = ["consent-form:tab:", id].concat();
    // Measured, not counted: a page opened in the background has its timers slowed to
    // one a second.
    let asked = js_sys::Date::now();
    loop {
        if available(&locks, &name).await {
            let release = take(&locks, &name);
            // Held for the page's life: never dropped.
            std::mem::forget(holding(locks, name, release));
            return true;
        }
        if js_sys::Date::now() - asked >= f64::from(TAB_WAIT_MS) {
            return false;
        }
        gloo::timers::future::TimeoutFuture::new(100).await;
    }
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

/// How long a lock let go of must stay free before its form counts as gone: a
/// reloaded page lets go at `pagehide` and takes it again once its form is back.
pub const GRACE_MS: u32 = 5_000;

/// Resolves once no form of `origin` is alive in any tab: at once when none is (or
/// without Web Locks, or if the browser refuses a request); else once it goes and has
/// not come back [`GRACE_MS`] later (as a reload of its tab does).
pub async fn gone(origin: &str) {
    let Some(locks) = manager() else { return };
    let name = name(origin);
    // Shared: forms asking about the same lock do not hold each other up; only the
    // form's own (exclusive) hold does.
    let shared = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&shared, &"mode".into(), &"shared".into());
    while !available(&locks, &name).await {
        let Some(granted) = after(&js_sys::Promise::resolve(&JsValue::UNDEFINED)) else {
            return;
        };
        let Ok(promise) = locks.request_with(&name, &shared, &granted) else {
            return;
        };
        let _ = JsFuture::from(js_sys::Promise::from(promise)).await;
        gloo::timers::future::TimeoutFuture::new(GRACE_MS).await;
    }
}

/// Whether a form of `origin` is alive in some tab now (its lock is held): a form
/// back after its request was listed elsewhere (a page back from the back/forward
/// cache, a reload slower than [`GRACE_MS`]). `false` without Web Locks.
pub async fn alive(origin: &str) -> bool {
    match manager() {
        Some(locks) => !available(&locks, &name(origin)).await,
        None => false,
    }
}

/// Whether no form holds lock `name` now: asked `ifAvailable` (and shared), the
/// callback is given `null` when it is held, which `Boolean` (the constructor of
/// `true`) turns into the answer. A refused request answers `true`: what is listed
/// then is never hidden.
async fn available(locks: &LockManager, name: &str) -> bool {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"mode".into(), &"shared".into());
    let _ = js_sys::Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
    let boolean = JsValue::TRUE
        .unchecked_ref::<js_sys::Object>()
        .constructor();
    match locks.request_with(name, &options, &boolean) {
        Ok(promise) => JsFuture::from(js_sys::Promise::from(promise))
            .await
            .map_or(true, |free| free.as_bool() != Some(false)),
        Err(_) => true,
    }
}
