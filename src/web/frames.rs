//! The page's own frames, as the real run must see them: when one has been drawn (a run starts
//! its clock only then), how long each took (Interleave's own work, shown on the event loop's
//! lane), and the browser's reports of other long work.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_render::{request_animation_frame, AnimationFrame};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

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
