use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_render::{request_animation_frame, AnimationFrame};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::web::frames::now_ms;

/// A frame redraws at most once per this many milliseconds while a run goes on...
const MIN_GAP_MS: f64 = 50.0;
/// ...and waits after a frame at least this many times what that frame cost, so the page's own
/// work stays within about a sixth of the main thread, out of the run's way.
const COST_FACTOR: f64 = 5.0;
/// The first redraw of a run comes this long after it starts: the page was just drawn for it,
/// and a short run (a burst of replies in 35 ms, say) then runs with nothing in its way.
const FIRST_GAP_MS: f64 = 100.0;
/// A redraw waits for a gap in the run's work (no timer due before the redraw would be done),
/// but not longer than this.
const MAX_WAIT_MS: f64 = 1000.0;
/// What a redraw is expected to cost before one is measured.
const FIRST_COST_MS: f64 = 20.0;

/// While `active`, re-renders the component on animation frames, but only as often as it can
/// afford and where it is out of the run's way: each redraw is timed from its animation frame to
/// a message handled after the frame's layout and paint (what it really cost the thread); the
/// next one waits [`MIN_GAP_MS`] or [`COST_FACTOR`] times that cost,
/// whichever is longer, and then for a frame where `idle` (how long the run's loop has nothing
/// to do, in ms) leaves room for a redraw, up to [`MAX_WAIT_MS`]. Returns a count of redraws.
/// Everything pending is cancelled when `active` turns false or the component goes.
#[hook]
pub fn use_animation_frame(active: bool, idle: Rc<dyn Fn() -> f64>) -> u64 {
    let frame = use_state(|| 0u64);
    let idle_now = use_mut_ref(|| idle.clone());
    *idle_now.borrow_mut() = idle;
    {
        let frame = frame.clone();
        use_effect_with(active, move |active| {
            let governor = Rc::new(Governor {
                pending: RefCell::new(None),
                next_at: Cell::new(now_ms() + FIRST_GAP_MS),
                cost: Cell::new(FIRST_COST_MS),
                idle: idle_now.clone(),
                drawn_from: Cell::new(None),
                channel: web_sys::MessageChannel::new().ok(),
                on_message: RefCell::new(None),
            });
            if *active {
                let weak = Rc::downgrade(&governor);
                let on_message = Closure::<dyn FnMut()>::new(move || {
                    let Some(g) = weak.upgrade() else { return };
                    if let Some(from) = g.drawn_from.take() {
                        let to = now_ms();
                        g.cost.set(to - from);
                        g.next_at
                            .set(to + MIN_GAP_MS.max(COST_FACTOR * (to - from)));
                    }
                });
                if let Some(ch) = &governor.channel {
                    ch.port1()
                        .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
                }
                *governor.on_message.borrow_mut() = Some(on_message);
                schedule(governor.clone(), frame, 0);
            }
            move || governor.stop()
        });
    }
    *frame
}

/// The redraws of one activity: the pending animation frame, when the next redraw may come,
/// and the channel that reports when a redraw has been drawn.
struct Governor {
    pending: RefCell<Option<AnimationFrame>>,
    next_at: Cell<f64>,
    /// What the last redraw cost (ms).
    cost: Cell<f64>,
    /// How long the run's loop has nothing to do (ms).
    idle: Rc<RefCell<Rc<dyn Fn() -> f64>>>,
    drawn_from: Cell<Option<f64>>,
    channel: Option<web_sys::MessageChannel>,
    on_message: RefCell<Option<Closure<dyn FnMut()>>>,
}

impl Governor {
    fn stop(&self) {
        self.pending.borrow_mut().take();
        if let Some(ch) = &self.channel {
            ch.port1().set_onmessage(None);
            ch.port1().close();
        }
        self.on_message.borrow_mut().take();
    }
}

/// Asks for the next animation frame; on it, redraws if it is time (and times the redraw), then
/// asks again.
fn schedule(g: Rc<Governor>, frame: UseStateHandle<u64>, count: u64) {
    let next = g.clone();
    let handle = request_animation_frame(move |_| {
        let now = now_ms();
        let mut count = count;
        let due = next.next_at.get();
        // Room for a redraw before the loop's next deadline, or waited long enough.
        let room = || (next.idle.borrow())() >= 1.5 * next.cost.get() + 2.0;
        if now >= due && next.drawn_from.get().is_none() && (now >= due + MAX_WAIT_MS || room()) {
            count += 1;
            frame.set(count);
            let posted = next.channel.as_ref().is_some_and(|ch| {
                ch.port2()
                    .post_message(&wasm_bindgen::JsValue::NULL)
                    .is_ok()
            });
            if posted {
                // Until the message says how long it took, no other redraw.
                next.drawn_from.set(Some(now));
                next.next_at.set(f64::INFINITY);
            } else {
                next.next_at.set(now + MIN_GAP_MS);
            }
        }
        schedule(next, frame, count);
    });
    *g.pending.borrow_mut() = Some(handle);
}
