//! Work that follows the text but is too slow for every keystroke on a long one: saving the
//! session, counting NLTK tokens, loose verification, back-translation. One rule for all of them:
//! while the watched text is short the work runs on every change; once it is long, it runs when
//! the changes pause (and at once when asked to, e.g. when the page is hidden), so that typing
//! stays smooth and the result catches up as soon as the person stops.

use std::rc::Rc;
use std::time::Duration;

use leptos::leptos_dom::helpers::{set_timeout_with_handle, TimeoutHandle};
use leptos::prelude::*;

/// A debounced piece of work (see the module docs). Cheap to copy: every field is a handle.
#[derive(Clone, Copy)]
pub struct Debounced {
    timer: StoredValue<Option<TimeoutHandle>>,
    work: StoredValue<Rc<dyn Fn()>, LocalStorage>,
    pending: RwSignal<bool>,
}

impl Debounced {
    /// Runs `work` after every change of what `size` reads (tracked): immediately when `size`
    /// returns at most `immediate`, else once the changes pause for `delay`.
    pub fn new(
        size: impl Fn() -> usize + 'static,
        immediate: usize,
        delay: Duration,
        work: impl Fn() + 'static,
    ) -> Debounced {
        let this = Debounced {
            timer: StoredValue::new(None),
            work: StoredValue::new_local(Rc::new(work)),
            pending: RwSignal::new(false),
        };
        // Scheduling work for later is a side effect (a timer), hence an Effect.
        Effect::new(move |_| {
            let size = size();
            this.cancel();
            if size <= immediate {
                this.run();
            } else {
                this.pending.set(true);
                let handle = set_timeout_with_handle(move || this.run(), delay);
                this.timer.set_value(handle.ok());
            }
        });
        // A timer must not outlive its owner (a closed panel, a removed strip).
        on_cleanup(move || this.cancel());
        this
    }

    /// Whether work is waiting for a pause (tracked).
    pub fn pending(&self) -> bool {
        self.pending.get()
    }

    /// Runs waiting work now, if any (the page is being hidden or closed).
    pub fn flush(&self) {
        if self.timer.try_get_value().flatten().is_some() {
            self.cancel();
            self.run();
        }
    }

    fn cancel(&self) {
        if let Some(handle) = self.timer.try_get_value().flatten() {
            handle.clear();
            let _ = self.timer.try_set_value(None);
        }
    }

    fn run(&self) {
        let _ = self.timer.try_set_value(None);
        // The owner may be gone by the time a timer fires (the panel was closed).
        if let Some(work) = self.work.try_get_value() {
            work();
            let _ = self.pending.try_set(false);
        }
    }
}
