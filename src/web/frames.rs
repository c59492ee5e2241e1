//! The page's own frames, as the real run must see them: when one has been drawn (a run starts
//! its clock only then), how long each took (Interleave's own work, shown on the event loop's
//! lane), and the browser's reports of other long work.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_render::{request_animation_frame, AnimationFrame};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::engine::record::stretches::Stretches;

/// `performance.now()`, in milliseconds (0 where there is none).
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Calls a function once the next frame has been drawn: at the next animation frame, a message
/// is posted, and the message is handled after that frame's layout and paint. Dropping it
/// before then calls nothing.
pub struct AfterPaint {
    _frame: Rc<RefCell<Option<AnimationFrame>>>,
    channel: Option<web_sys::MessageChannel>,
    _on_message: Option<Closure<dyn FnMut()>>,
}

impl AfterPaint {
    /// Calls `f(started)` after the next frame is drawn, `started` being when that frame began
    /// (`performance.now()`, ms).
    pub fn new(f: impl FnOnce(f64) + 'static) -> AfterPaint {
        let channel = web_sys::MessageChannel::new().ok();
        let started = Rc::new(RefCell::new(0.0));
        let f = RefCell::new(Some(f));
        let at = started.clone();
        let on_message = Closure::<dyn FnMut()>::new(move || {
            if let Some(f) = f.borrow_mut().take() {
                f(*at.borrow());
            }
        });
        if let Some(ch) = &channel {
            ch.port1()
                .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        }
        let port = channel.as_ref().map(|ch| ch.port2());
        let frame = Rc::new(RefCell::new(None));
        *frame.borrow_mut() = Some(request_animation_frame(move |_| {
            *started.borrow_mut() = now_ms();
            if let Some(port) = &port {
                let _ = port.post_message(&wasm_bindgen::JsValue::NULL);
            }
        }));
        AfterPaint {
            _frame: frame,
            channel,
            _on_message: Some(on_message),
        }
    }
}

impl Drop for AfterPaint {
    fn drop(&mut self) {
        if let Some(ch) = &self.channel {
            ch.port1().set_onmessage(None);
            ch.port1().close();
            ch.port2().close();
        }
    }
}

/// Long work the browser reports while it lives: long animation frames and long tasks (over
/// 50 ms each), as `(start, end, kind)` in `performance.now()` milliseconds. Where the browser
/// has neither entry type, it reports nothing.
pub struct LongWork {
    observers: Vec<web_sys::PerformanceObserver>,
    _callback: Closure<dyn FnMut(web_sys::PerformanceObserverEntryList)>,
}

/// What a long-work report was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LongKind {
    /// A long animation frame.
    Frame,
    /// A long task.
    Task,
}

impl LongWork {
    /// Starts observing; every report goes to `sink`.
    pub fn observe(sink: Rc<dyn Fn(f64, f64, LongKind)>) -> LongWork {
        let callback = Closure::<dyn FnMut(web_sys::PerformanceObserverEntryList)>::new(
            move |list: web_sys::PerformanceObserverEntryList| {
                for entry in list.get_entries().iter() {
                    let Ok(entry) = entry.dyn_into::<web_sys::PerformanceEntry>() else {
                        continue;
                    };
                    let kind = if entry.entry_type() == "longtask" {
                        LongKind::Task
                    } else {
                        LongKind::Frame
                    };
                    let start = entry.start_time();
                    sink(start, start + entry.duration(), kind);
                }
            },
        );
        // Only the entry types this browser has: asking for others logs a warning.
        let supported: Vec<String> = js_sys::Reflect::get(
            &wasm_bindgen::JsValue::from(js_sys::global()),
            &"PerformanceObserver".into(),
        )
        .and_then(|ctor| js_sys::Reflect::get(&ctor, &"supportedEntryTypes".into()))
        .ok()
        .and_then(|v| v.dyn_into::<js_sys::Array>().ok())
        .map(|a| a.iter().filter_map(|v| v.as_string()).collect())
        .unwrap_or_default();
        let types = js_sys::Array::new();
        for kind in ["long-animation-frame", "longtask"] {
            if supported.iter().any(|s| s == kind) {
                types.push(&kind.into());
            }
        }
        let mut observers = Vec::new();
        if types.length() > 0 {
            if let Ok(observer) =
                web_sys::PerformanceObserver::new(callback.as_ref().unchecked_ref())
            {
                observer.observe(&web_sys::PerformanceObserverInit::new(&types));
                observers.push(observer);
            }
        }
        LongWork {
            observers,
            _callback: callback,
        }
    }
}

impl Drop for LongWork {
    fn drop(&mut self) {
        for o in &self.observers {
            o.disconnect();
        }
    }
}

/// Every frame the page draws while it lives, timed from its first animation-frame callback to
/// a message handled after the frame's style, layout and paint: what drawing really cost the
/// main thread, Interleave's callbacks and the browser's rendering alike. Frames cheaper than
/// [`FrameMeter::SMALLEST_MS`] are not kept.
pub struct FrameMeter {
    state: Rc<MeterState>,
}

struct MeterState {
    frame: RefCell<Option<AnimationFrame>>,
    /// When the frame being measured began (`performance.now()`, ms).
    began: Cell<Option<f64>>,
    channel: Option<web_sys::MessageChannel>,
    on_message: RefCell<Option<Closure<dyn FnMut()>>>,
    frames: RefCell<Stretches>,
}

impl FrameMeter {
    /// Frames shorter than this (ms) are not kept.
    pub const SMALLEST_MS: f64 = 0.25;
    /// Frames closer than this (ms) are kept as one stretch.
    const JOIN_MS: f64 = 0.25;
    /// How many stretches are kept at most (joined more coarsely past that).
    const MOST: usize = 1_024;

    /// Starts measuring the page's frames, on the next one.
    pub fn start() -> FrameMeter {
        let state = Rc::new(MeterState {
            frame: RefCell::new(None),
            began: Cell::new(None),
            channel: web_sys::MessageChannel::new().ok(),
            on_message: RefCell::new(None),
            frames: RefCell::new(Stretches::new(to_ns(Self::JOIN_MS), Self::MOST)),
        });
        let weak = Rc::downgrade(&state);
        let on_message = Closure::<dyn FnMut()>::new(move || {
            let Some(s) = weak.upgrade() else { return };
            if let Some(from) = s.began.take() {
                let to = now_ms();
                if to - from >= Self::SMALLEST_MS {
                    s.frames.borrow_mut().add(to_ns(from), to_ns(to));
                }
            }
        });
        if let Some(ch) = &state.channel {
            ch.port1()
                .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        }
        *state.on_message.borrow_mut() = Some(on_message);
        next_frame(&state);
        FrameMeter { state }
    }

    /// The frames measured so far, as `(from, to)` in `performance.now()` milliseconds.
    pub fn frames(&self) -> Vec<(f64, f64)> {
        self.state
            .frames
            .borrow()
            .spans()
            .iter()
            .map(|&(a, b)| (a as f64 / 1e6, b as f64 / 1e6))
            .collect()
    }
}

/// Milliseconds as whole nanoseconds.
fn to_ns(ms: f64) -> u64 {
    (ms.max(0.0) * 1e6) as u64
}

/// Asks for the next frame; on it, notes when it began and posts the message that ends it.
fn next_frame(state: &Rc<MeterState>) {
    let weak = Rc::downgrade(state);
    let handle = request_animation_frame(move |_| {
        let Some(s) = weak.upgrade() else { return };
        // A frame whose message has not come yet is still being measured.
        if s.began.get().is_none() {
            let posted = s.channel.as_ref().is_some_and(|ch| {
                ch.port2()
                    .post_message(&wasm_bindgen::JsValue::NULL)
                    .is_ok()
            });
            if posted {
                s.began.set(Some(now_ms()));
            }
        }
        next_frame(&s);
    });
    *state.frame.borrow_mut() = Some(handle);
}

impl Drop for FrameMeter {
    fn drop(&mut self) {
        self.state.frame.borrow_mut().take();
        if let Some(ch) = &self.state.channel {
            ch.port1().set_onmessage(None);
            ch.port1().close();
            ch.port2().close();
        }
        self.state.on_message.borrow_mut().take();
    }
}
