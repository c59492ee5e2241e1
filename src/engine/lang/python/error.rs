//! A program Interleave cannot read: CPython's words where CPython would refuse it too
//! (`SyntaxError: expected ':'`), and a sentence naming the construct where Interleave reads less
//! than CPython ("classes are not supported in Interleave yet"), both with the line and column.

use std::fmt;

/// Why a source cannot be read, and where.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    /// `SyntaxError`, `IndentationError`, or `NotSupported` for what Interleave does not read.
    pub kind: &'static str,
    /// The line, from 1.
    pub line: usize,
    /// The column, from 0 (the caret goes under column + 1).
    pub col: usize,
    /// What is wrong, in CPython's words where it has some.
    pub message: String,
}

impl SyntaxError {
    /// A `SyntaxError` at `line`, `col`.
    pub fn new(line: usize, col: usize, message: String) -> SyntaxError {
        SyntaxError {
            kind: "SyntaxError",
            line,
            col,
            message,
        }
    }

    /// The same error, of another kind.
    pub fn kind(mut self, kind: &'static str) -> SyntaxError {
        self.kind = kind;
        self
    }

    /// What Interleave does not read yet: `what` (a plural noun phrase) at `line`, `col`.
    pub fn unsupported(line: usize, col: usize, what: &str) -> SyntaxError {
        SyntaxError {
            kind: "NotSupported",
            line,
            col,
            message: format!("{what} not supported in Interleave yet"),
        }
    }

    /// As CPython prints it under a traceback: the line of source, a caret, and the message.
    pub fn report(&self, source: &str) -> String {
        let text = source
            .lines()
            .nth(self.line.saturating_sub(1))
            .unwrap_or("");
        let indent = text.len() - text.trim_start().len();
        let caret = " ".repeat(self.col.saturating_sub(indent) + 4);
        format!(
            "  File \"<program>\", line {}\n    {}\n{caret}^\n{self}",
            self.line,
            text.trim()
        )
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.kind == "NotSupported" {
            // Not CPython's: a sentence of Interleave's.
            let mut m = self.message.chars();
            let first = m
                .next()
                .map(|c| c.to_uppercase().collect::<String>())
                .unwrap_or_default();
            write!(f, "{first}{} (line {}).", m.as_str(), self.line)
        } else {
            write!(f, "{}: {}", self.kind, self.message)
        }
    }
}
