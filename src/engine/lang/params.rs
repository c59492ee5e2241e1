//! Parameter schemas, and parsing of their values from text (form fields and share links).
//!
//! Every value a user or a link gives is untrusted: parsing never panics, and every rejection
//! comes with a message that names the valid range.

use std::fmt;

use crate::engine::lang::value::seconds;

/// The unit a number is in, shown beside its field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Seconds of scenario time.
    Seconds,
    /// Milliseconds of scenario time.
    Millis,
    /// A count of things (tasks, bots, salads).
    Count,
    /// A multiplier (the speed).
    Times,
    /// No unit.
    None,
}

impl Unit {
    /// The short suffix shown after a value: `s`, `ms`, `x`.
    pub fn suffix(self) -> &'static str {
        match self {
            Unit::Seconds => "s",
            Unit::Millis => "ms",
            Unit::Times => "x",
            Unit::Count | Unit::None => "",
        }
    }
}

/// What kind of value a parameter takes, with its valid range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// A number from `min` to `max`, both included.
    Number {
        /// Smallest valid value.
        min: f64,
        /// Largest valid value.
        max: f64,
        /// Its unit.
        unit: Unit,
    },
    /// A whole number from `min` to `max`, both included.
    Integer {
        /// Smallest valid value.
        min: u64,
        /// Largest valid value.
        max: u64,
        /// Its unit.
        unit: Unit,
    },
    /// One of a fixed set of words.
    Choice(&'static [&'static str]),
    /// A comma-separated list of numbers.
    NumberList {
        /// Fewest entries.
        min_len: usize,
        /// Most entries.
        max_len: usize,
        /// Smallest valid entry.
        min: f64,
        /// Largest valid entry.
        max: f64,
        /// Unit of each entry.
        unit: Unit,
    },
}

/// One parameter of a scenario.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spec {
    /// Its name in share links and tests, e.g. `sleep_s`.
    pub name: &'static str,
    /// A label for its field.
    pub label: &'static str,
    /// What it takes.
    pub kind: Kind,
    /// Its default, as text.
    pub default: &'static str,
    /// One line of help.
    pub help: &'static str,
}

/// A number as it was typed: its value, and whether it was written without a decimal point
/// (`3`), which makes it an `int` in a Python listing, or with one (`3.0`), a `float`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Num {
    /// The value.
    pub value: f64,
    /// Written without a decimal point: an `int` in Python.
    pub int: bool,
}

impl Num {
    /// A float value.
    pub fn float(value: f64) -> Num {
        Num { value, int: false }
    }
}

impl fmt::Display for Num {
    /// The shortest text that reads back as the same number and the same type: `3`, `3.0`,
    /// `0.25` (never an exponent: the fields do not take one).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.value.to_string();
        if self.int || text.contains('.') || !self.value.is_finite() {
            f.write_str(&text)
        } else {
            write!(f, "{text}.0")
        }
    }
}

/// A parsed, valid parameter value.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamValue {
    /// A number.
    Number(Num),
    /// A whole number.
    Integer(u64),
    /// A choice, as the word.
    Choice(&'static str),
    /// A list of numbers.
    List(Vec<Num>),
}

impl fmt::Display for ParamValue {
    /// The canonical text of a value, as a share link carries it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Number(x) => write!(f, "{x}"),
            ParamValue::Integer(i) => write!(f, "{i}"),
            ParamValue::Choice(c) => f.write_str(c),
            ParamValue::List(xs) => {
                let parts: Vec<String> = xs.iter().map(|x| x.to_string()).collect();
                f.write_str(&parts.join(","))
            }
        }
    }
}

fn range_text(min: f64, max: f64, unit: Unit) -> String {
    let u = match unit {
        Unit::Seconds => " seconds",
        Unit::Millis => " ms",
        Unit::Times => "x",
        Unit::Count | Unit::None => "",
    };
    format!("{} to {}{u}", seconds(min), seconds(max))
}

/// A number as typed in a field (see [`Num`]).
fn parse_num(text: &str) -> Option<Num> {
    let value = parse_number(text)?;
    Some(Num {
        value,
        int: !text.contains('.'),
    })
}

fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim();
    // Only plain decimal numbers: no `inf`, `nan`, hex or exponents sneaking in.
    let ok = !t.is_empty()
        && t.len() <= 32
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+')
        && t.chars().any(|c| c.is_ascii_digit());
    if !ok {
        return None;
    }
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

impl Spec {
    /// The valid range in words, e.g. `0 to 60 seconds`, or the choices.
    pub fn range(&self) -> String {
        match self.kind {
            Kind::Number { min, max, unit } => range_text(min, max, unit),
            Kind::Integer { min, max, unit } => range_text(min as f64, max as f64, unit),
            Kind::Choice(options) => options.join(", "),
            Kind::NumberList {
                min_len,
                max_len,
                min,
                max,
                unit,
            } => format!(
                "{min_len} to {max_len} numbers separated by commas, each {}",
                range_text(min, max, unit)
            ),
        }
    }

    /// Parses `text` as this parameter's value, or says why it is not valid.
    pub fn parse(&self, text: &str) -> Result<ParamValue, String> {
        let t = text.trim();
        match self.kind {
            Kind::Number { min, max, .. } => {
                if t.is_empty() {
                    return Err(format!("Enter a number from {}.", self.range()));
                }
                match parse_num(t) {
                    Some(x) if x.value >= min && x.value <= max => Ok(ParamValue::Number(x)),
                    Some(x) if x.value < 0.0 && min >= 0.0 => Err(format!(
                        "Must not be negative: use a number from {}.",
                        self.range()
                    )),
                    Some(_) => Err(format!("Out of range: use a number from {}.", self.range())),
                    None => Err(format!("Not a number: use a number from {}.", self.range())),
                }
            }
            Kind::Integer { min, max, .. } => {
                if t.is_empty() {
                    return Err(format!("Enter a whole number from {}.", self.range()));
                }
                match parse_number(t) {
                    Some(x) if x.fract() != 0.0 => {
                        Err(format!("Must be a whole number from {}.", self.range()))
                    }
                    Some(x) if x >= min as f64 && x <= max as f64 => {
                        Ok(ParamValue::Integer(x as u64))
                    }
                    Some(x) if x < 0.0 => Err(format!(
                        "Must not be negative: use a whole number from {}.",
                        self.range()
                    )),
                    Some(_) => Err(format!(
                        "Out of range: use a whole number from {}.",
                        self.range()
                    )),
                    None => Err(format!(
                        "Not a whole number: use one from {}.",
                        self.range()
                    )),
                }
            }
            Kind::Choice(options) => options
                .iter()
                .find(|o| **o == t)
                .map(|o| ParamValue::Choice(o))
                .ok_or_else(|| format!("Choose one of: {}.", self.range())),
            Kind::NumberList {
                min_len,
                max_len,
                min,
                max,
                ..
            } => {
                if t.is_empty() {
                    return Err(format!("Enter {}.", self.range()));
                }
                let parts: Vec<&str> = t.split(',').collect();
                if parts.len() < min_len || parts.len() > max_len {
                    return Err(format!("{} entries: use {}.", parts.len(), self.range()));
                }
                let mut out = Vec::with_capacity(parts.len());
                for (i, p) in parts.iter().enumerate() {
                    match parse_num(p.trim()) {
                        Some(x) if x.value >= min && x.value <= max => out.push(x),
                        _ => {
                            return Err(format!(
                                "Entry {} ({}) is not valid: use {}.",
                                i + 1,
                                crate::engine::lang::value::rust_quote(
                                    &p.trim().chars().take(20).collect::<String>()
                                ),
                                self.range()
                            ))
                        }
                    }
                }
                Ok(ParamValue::List(out))
            }
        }
    }
}

/// A full set of valid values for one scenario, by name.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Values {
    entries: Vec<(&'static str, ParamValue)>,
}

impl Values {
    /// Parses every spec's default. The defaults are valid by construction (a test checks it).
    pub fn defaults(specs: &[Spec]) -> Values {
        let (values, _) = Values::parse(specs, |_| None);
        values
    }

    /// Parses a value for every spec from `text_of(name)` (the default when it gives none).
    /// Returns the values (defaults where invalid) and one message per invalid field.
    pub fn parse<'a>(
        specs: &[Spec],
        text_of: impl Fn(&str) -> Option<&'a str>,
    ) -> (Values, Vec<(&'static str, String)>) {
        let mut values = Values::default();
        let mut errors = Vec::new();
        for spec in specs {
            let text = text_of(spec.name).unwrap_or(spec.default);
            let value = match spec.parse(text) {
                Ok(v) => v,
                Err(msg) => {
                    errors.push((spec.name, msg));
                    match spec.parse(spec.default) {
                        Ok(v) => v,
                        Err(_) => continue,
                    }
                }
            };
            values.entries.push((spec.name, value));
        }
        (values, errors)
    }

    /// Sets one value (already valid).
    pub fn set(&mut self, name: &'static str, value: ParamValue) {
        match self.entries.iter_mut().find(|(n, _)| *n == name) {
            Some(e) => e.1 = value,
            None => self.entries.push((name, value)),
        }
    }

    /// The value of `name`, if it is set.
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.entries
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    /// Replaces a value that is there, unchecked: for engine tests that go past what the page
    /// accepts (a ticker running for an hour, say). False if there is no such value.
    pub fn replace(&mut self, name: &str, value: ParamValue) -> bool {
        match self.entries.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => {
                *v = value;
                true
            }
            None => false,
        }
    }

    /// A number (or whole number) by name; 0 if absent.
    pub fn num(&self, name: &str) -> f64 {
        match self.get(name) {
            Some(ParamValue::Number(x)) => x.value,
            Some(ParamValue::Integer(i)) => *i as f64,
            _ => 0.0,
        }
    }

    /// A number by name as it was typed (an integer field's value is an `int`); 0 if absent.
    pub fn number(&self, name: &str) -> Num {
        match self.get(name) {
            Some(ParamValue::Number(x)) => *x,
            Some(ParamValue::Integer(i)) => Num {
                value: *i as f64,
                int: true,
            },
            _ => Num {
                value: 0.0,
                int: true,
            },
        }
    }

    /// A whole number by name; 0 if absent.
    pub fn int(&self, name: &str) -> u64 {
        match self.get(name) {
            Some(ParamValue::Integer(i)) => *i,
            Some(ParamValue::Number(x)) => x.value as u64,
            _ => 0,
        }
    }

    /// A choice by name; empty if absent.
    pub fn choice(&self, name: &str) -> &'static str {
        match self.get(name) {
            Some(ParamValue::Choice(c)) => c,
            _ => "",
        }
    }

    /// A list by name; empty if absent.
    pub fn list(&self, name: &str) -> &[Num] {
        match self.get(name) {
            Some(ParamValue::List(xs)) => xs,
            _ => &[],
        }
    }

    /// Every value, in schema order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &ParamValue)> {
        self.entries.iter().map(|(n, v)| (*n, v))
    }
}

/// Shorthand for a number from 0 to `max` in `unit`.
pub const fn number_param(
    name: &'static str,
    label: &'static str,
    default: &'static str,
    max: f64,
    unit: Unit,
    help: &'static str,
) -> Spec {
    Spec {
        name,
        label,
        kind: Kind::Number {
            min: 0.0,
            max,
            unit,
        },
        default,
        help,
    }
}

/// Shorthand for a number of seconds from 0 to `max`.
pub const fn seconds_param(
    name: &'static str,
    label: &'static str,
    default: &'static str,
    max: f64,
    help: &'static str,
) -> Spec {
    number_param(name, label, default, max, Unit::Seconds, help)
}

/// Shorthand for a whole-number count.
pub const fn count_param(
    name: &'static str,
    label: &'static str,
    default: &'static str,
    min: u64,
    max: u64,
    help: &'static str,
) -> Spec {
    Spec {
        name,
        label,
        kind: Kind::Integer {
            min,
            max,
            unit: Unit::Count,
        },
        default,
        help,
    }
}

/// Shorthand for a choice.
pub const fn choice_param(
    name: &'static str,
    label: &'static str,
    options: &'static [&'static str],
    default: &'static str,
    help: &'static str,
) -> Spec {
    Spec {
        name,
        label,
        kind: Kind::Choice(options),
        default,
        help,
    }
}

/// `speed`: every scenario has it.
pub const SPEED: Spec = Spec {
    name: "speed",
    label: "Speed",
    kind: Kind::Number {
        min: 0.1,
        max: 100.0,
        unit: Unit::Times,
    },
    default: "1",
    help: "How fast scenario time runs: at 10x one scenario second takes 0.1 s.",
};

/// `on_main_return`: what happens to unfinished tasks when main returns.
pub const ON_MAIN_RETURN: Spec = choice_param(
    "on_main_return",
    "When main returns",
    &["keep_running", "cancel_pending"],
    "keep_running",
    "keep_running: other tasks go on, as on the browser's loop. cancel_pending: they are cancelled, as asyncio.run does.",
);

/// `seed`: the random generator's seed.
pub const SEED: Spec = Spec {
    name: "seed",
    label: "Random seed",
    kind: Kind::Integer {
        min: 0,
        max: u32::MAX as u64,
        unit: Unit::None,
    },
    default: "1",
    help: "The same seed gives the same random choices, so a run can be shared.",
};

#[cfg(test)]
mod tests {
    use super::*;

    const SLEEP: Spec = seconds_param("sleep_s", "Sleep", "2", 60.0, "");
    const TASKS: Spec = count_param("tasks", "Tasks", "3", 1, 100, "");
    const LIST: Spec = Spec {
        name: "durations",
        label: "Durations",
        kind: Kind::NumberList {
            min_len: 1,
            max_len: 3,
            min: 0.0,
            max: 600.0,
            unit: Unit::Seconds,
        },
        default: "3,6",
        help: "",
    };

    #[test]
    fn valid_numbers_parse() {
        let int = |value| Num { value, int: true };
        assert_eq!(SLEEP.parse("2"), Ok(ParamValue::Number(int(2.0))));
        assert_eq!(
            SLEEP.parse(" 0.25 "),
            Ok(ParamValue::Number(Num::float(0.25)))
        );
        assert_eq!(SLEEP.parse("60"), Ok(ParamValue::Number(int(60.0))));
        assert_eq!(SLEEP.parse("0"), Ok(ParamValue::Number(int(0.0))));
        assert_eq!(SLEEP.parse("2.0"), Ok(ParamValue::Number(Num::float(2.0))));
        assert_eq!(TASKS.parse("100"), Ok(ParamValue::Integer(100)));
        assert_eq!(
            LIST.parse("3, 6."),
            Ok(ParamValue::List(vec![int(3.0), Num::float(6.0)]))
        );
    }

    #[test]
    fn every_kind_of_bad_number_gets_a_message_naming_the_range() {
        for bad in [
            "", "  ", "abc", "NaN", "nan", "inf", "-1", "60.5", "1e3", "0x10", "2s", "--2", "1.2.3",
        ] {
            let err = SLEEP.parse(bad).expect_err(bad);
            assert!(err.contains("0 to 60 seconds"), "{bad:?}: {err}");
        }
        assert!(SLEEP
            .parse("-1")
            .unwrap_err()
            .starts_with("Must not be negative"));
        assert!(SLEEP.parse("61").unwrap_err().starts_with("Out of range"));
        for bad in ["0", "101", "2.5", "-3", "x"] {
            let err = TASKS.parse(bad).expect_err(bad);
            assert!(err.contains("1 to 100"), "{bad:?}: {err}");
        }
        let err = LIST.parse("3,,6").unwrap_err();
        assert!(err.contains("Entry 2"), "{err}");
        assert!(LIST.parse("1,2,3,4").unwrap_err().contains("4 entries"));
        assert!(LIST.parse("700").unwrap_err().contains("0 to 600 seconds"));
    }

    #[test]
    fn choices_accept_only_their_words() {
        assert_eq!(
            ON_MAIN_RETURN.parse("cancel_pending"),
            Ok(ParamValue::Choice("cancel_pending"))
        );
        let err = ON_MAIN_RETURN.parse("CANCEL").unwrap_err();
        assert!(err.contains("keep_running, cancel_pending"), "{err}");
    }

    #[test]
    fn values_fall_back_to_defaults_and_report_each_bad_field() {
        let specs = [SLEEP, TASKS];
        let (values, errors) = Values::parse(&specs, |n| (n == "tasks").then_some("lots"));
        assert_eq!(values.num("sleep_s"), 2.0);
        assert_eq!(values.int("tasks"), 3);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, "tasks");
    }

    #[test]
    fn canonical_text_round_trips() {
        for (spec, text) in [
            (SLEEP, "0.25"),
            (SLEEP, "2"),
            (SLEEP, "2.0"),
            (SLEEP, "0.00001"),
            (TASKS, "7"),
            (LIST, "3,6.0,0.5"),
        ] {
            let v = spec.parse(text).unwrap();
            assert_eq!(v.to_string(), text);
            assert_eq!(spec.parse(&v.to_string()), Ok(v));
        }
    }
}
