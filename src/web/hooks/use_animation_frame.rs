use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

type FrameCallback = Closure<dyn FnMut()>;

/// While `active`, re-renders the component on every animation frame and returns a frame count.
/// The pending frame is cancelled when `active` turns false or the component goes away.
#[hook]
pub fn use_animation_frame(active: bool) -> u64 {
    let frame = use_state(|| 0u64);
    {
        let frame = frame.clone();
        use_effect_with(active, move |active| {
            let handle: Rc<RefCell<Option<i32>>> = Rc::new(RefCell::new(None));
            let callback: Rc<RefCell<Option<FrameCallback>>> = Rc::new(RefCell::new(None));
            if *active {
                let window = web_sys::window();
                let h = handle.clone();
                let cb = callback.clone();
                let mut count = *frame;
                *callback.borrow_mut() = Some(Closure::<dyn FnMut()>::new(move || {
                    count += 1;
                    frame.set(count);
                    let next = web_sys::window().and_then(|w| {
                        cb.borrow().as_ref().and_then(|c| {
                            w.request_animation_frame(c.as_ref().unchecked_ref()).ok()
                        })
                    });
                    *h.borrow_mut() = next;
                }));
                let first = window.and_then(|w| {
                    callback
                        .borrow()
                        .as_ref()
                        .and_then(|c| w.request_animation_frame(c.as_ref().unchecked_ref()).ok())
                });
                *handle.borrow_mut() = first;
            }
            move || {
                if let (Some(id), Some(w)) = (handle.borrow_mut().take(), web_sys::window()) {
                    let _ = w.cancel_animation_frame(id);
                }
                // Breaks the closure's reference to itself, so it is freed.
                callback.borrow_mut().take();
            }
        });
    }
    *frame
}
