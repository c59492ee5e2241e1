use std::cell::RefCell;
use std::rc::Rc;

use gloo_render::{request_animation_frame, AnimationFrame};
use yew::prelude::*;

/// While `active`, re-renders the component on every animation frame and returns a frame count.
/// The pending frame is cancelled (dropped) when `active` turns false or the component goes away.
#[hook]
pub fn use_animation_frame(active: bool) -> u64 {
    let frame = use_state(|| 0u64);
    {
        let frame = frame.clone();
        use_effect_with(active, move |active| {
            let pending: Rc<RefCell<Option<AnimationFrame>>> = Rc::new(RefCell::new(None));
            if *active {
                schedule(pending.clone(), frame, 0);
            }
            move || drop(pending.borrow_mut().take())
        });
    }
    *frame
}

/// Asks for the next frame; on it, counts it and asks again.
fn schedule(pending: Rc<RefCell<Option<AnimationFrame>>>, frame: UseStateHandle<u64>, count: u64) {
    let next = pending.clone();
    let handle = request_animation_frame(move |_| {
        frame.set(count + 1);
        schedule(next, frame, count + 1);
    });
    *pending.borrow_mut() = Some(handle);
}
