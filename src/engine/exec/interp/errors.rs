//! What a task can raise instead of returning: asyncio's `CancelledError`, or one of the
//! program's errors, named and worded as CPython names and words them (the last line of its
//! traceback: `NameError: name 'x' is not defined`).

use std::fmt;
use std::rc::Rc;

/// What a task raised instead of returning: the ways a task can end other than finishing.
#[derive(Clone, Debug, PartialEq)]
pub enum Raised {
    /// `CancelledError`: it was cancelled where it waited.
    Cancelled,
    /// An error of the program's.
    Error(Error),
}

impl From<Error> for Raised {
    fn from(error: Error) -> Raised {
        Raised::Error(error)
    }
}

/// An error of the program's, as Python's exception of the same name.
#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    /// `NameError`: this name is not defined.
    Name(Rc<str>),
    /// `TypeError`, with its message.
    Type(String),
    /// `IndexError`, with its message.
    Index(&'static str),
    /// `KeyError`: the key, as its `repr`.
    Key(String),
    /// `ZeroDivisionError`, with its message.
    ZeroDivision(&'static str),
    /// `ValueError`, with its message.
    Value(String),
    /// `AttributeError`, with its message.
    Attribute(String),
    /// `MemoryError`: a value past what a run may hold.
    Memory(String),
    /// `RuntimeError`, with its message.
    Runtime(&'static str),
    /// The interpreter lost its place in the program: a bug, never a program's fault.
    Lost,
}

impl Error {
    /// The exception's name, as Python has it.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Name(_) => "NameError",
            Error::Type(_) => "TypeError",
            Error::Index(_) => "IndexError",
            Error::Key(_) => "KeyError",
            Error::ZeroDivision(_) => "ZeroDivisionError",
            Error::Value(_) => "ValueError",
            Error::Attribute(_) => "AttributeError",
            Error::Memory(_) => "MemoryError",
            Error::Runtime(_) | Error::Lost => "RuntimeError",
        }
    }
}

impl fmt::Display for Error {
    /// `Kind: message`, the last line of Python's traceback.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.kind())?;
        match self {
            Error::Name(name) => write!(f, "name '{name}' is not defined"),
            Error::Type(m) | Error::Value(m) | Error::Attribute(m) | Error::Memory(m) => {
                f.write_str(m)
            }
            Error::Key(key) => f.write_str(key),
            Error::Index(m) | Error::ZeroDivision(m) | Error::Runtime(m) => f.write_str(m),
            Error::Lost => f.write_str("the interpreter lost its place in the program"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_read_as_the_last_line_of_a_python_traceback() {
        let cases = [
            (
                Error::Name(Rc::from("x")),
                "NameError: name 'x' is not defined",
            ),
            (Error::Key("'b'".into()), "KeyError: 'b'"),
            (
                Error::Index("list index out of range"),
                "IndexError: list index out of range",
            ),
            (
                Error::ZeroDivision("division by zero"),
                "ZeroDivisionError: division by zero",
            ),
            (
                Error::Type("'int' object is not iterable".into()),
                "TypeError: 'int' object is not iterable",
            ),
            (
                Error::Lost,
                "RuntimeError: the interpreter lost its place in the program",
            ),
        ];
        for (e, want) in cases {
            assert_eq!(e.to_string(), want);
        }
    }
}
