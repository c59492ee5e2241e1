//! Set-ups shared by the native and the browser test suites.

use interleave::engine::lang::params::{Num, ParamValue};
use interleave::engine::lang::program::Program;
use interleave::engine::lang::scenarios::find;

/// The `coroutine-send` ticker at 0.05 s for a whole hour of scenario time: the receiver waits
/// 1,800 s for each of its two values, without blocking. Those waits are past the page's 60 s
/// ranges, which a test may go beyond (`Values::replace`); a link or a field cannot.
pub fn an_hour_of_ticks() -> Program {
    let s = find("coroutine-send").expect("coroutine-send is in the catalog");
    let (mut values, errors) = s.parse(|n| match n {
        "tick_s" => Some("0.05"),
        "waiting" => Some("non_blocking"),
        _ => None,
    });
    assert!(errors.is_empty(), "{errors:?}");
    assert!(values.replace("first_s", ParamValue::Number(Num::float(1800.0))));
    assert!(values.replace("second_s", ParamValue::Number(Num::float(1800.0))));
    (s.build)(&values)
}
