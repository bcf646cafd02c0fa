//! Which lanes and consumer cards are on screen: one `IntersectionObserver` for the page.
//!
//! Under load a lane redraws its cells, cursors and lags many times a second; off screen
//! that is wasted work (the browser skips painting them: `content-visibility: auto`). The
//! browser's own signal for `content-visibility` counts an element near the viewport (up to
//! half a screen away) as shown, which kept some twenty of the stress scenario's 32 lanes
//! busy with eight in view; the observer here has no margin, so only what is in view works.
//! A lane scrolled into view catches up on the next frame.

use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry};

struct Watch {
    observer: IntersectionObserver,
    /// Each watched element, by id, and the flag it sets.
    watched: Vec<(u64, Element, RwSignal<bool>)>,
    next_id: u64,
}

thread_local! {
    static WATCH: RefCell<Option<Watch>> = const { RefCell::new(None) };
}

fn observer() -> Option<IntersectionObserver> {
    WATCH.with(|w| {
        let mut w = w.borrow_mut();
        if w.is_none() {
            let callback = Closure::<dyn FnMut(js_sys::Array)>::new(|entries: js_sys::Array| {
                // Collected first: setting a flag runs effects, which may watch or unwatch.
                let changes: Vec<(RwSignal<bool>, bool)> = WATCH.with(|w| {
                    let w = w.borrow();
                    let Some(w) = w.as_ref() else {
                        return Vec::new();
                    };
                    entries
                        .iter()
                        .filter_map(|e| e.dyn_into::<IntersectionObserverEntry>().ok())
                        .filter_map(|e| {
                            let target = e.target();
                            w.watched
                                .iter()
                                .find(|(_, el, _)| *el == target)
                                .map(|(_, _, shown)| (*shown, e.is_intersecting()))
                        })
                        .collect()
                });
                for (shown, on) in changes {
                    shown.set(on);
                }
            });
            let observer = IntersectionObserver::new(callback.as_ref().unchecked_ref()).ok()?;
            // One observer for the page's lifetime.
            callback.forget();
            *w = Some(Watch {
                observer,
                watched: Vec::new(),
                next_id: 0,
            });
        }
        w.as_ref().map(|w| w.observer.clone())
    })
}

/// Sets `shown` whenever `el` enters or leaves the viewport, until the calling component is
/// cleaned up. Where there is no `IntersectionObserver`, `shown` stays as it is.
pub fn watch(el: Element, shown: RwSignal<bool>) {
    let Some(observer) = observer() else {
        return;
    };
    observer.observe(&el);
    let id = WATCH.with(|w| {
        let mut w = w.borrow_mut();
        let w = w.as_mut()?;
        let id = w.next_id;
        w.next_id += 1;
        w.watched.push((id, el, shown));
        Some(id)
    });
    // The cleanup holds only the id (it must be Send; the element is looked up by it).
    if let Some(id) = id {
        on_cleanup(move || {
            WATCH.with(|w| {
                if let Some(w) = w.borrow_mut().as_mut() {
                    if let Some(i) = w.watched.iter().position(|(x, _, _)| *x == id) {
                        let (_, el, _) = w.watched.swap_remove(i);
                        w.observer.unobserve(&el);
                    }
                }
            });
        });
    }
}
