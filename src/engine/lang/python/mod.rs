//! Python source read into a tree: the subset of Python that Interleave's code mode runs,
//! parsed by hand (a tokenizer, then recursive descent over CPython's grammar), checked node by
//! node against CPython's own `ast` (see `tests/python_parser.rs`). What CPython refuses gets
//! CPython's words; what CPython reads but Interleave does not gets a sentence naming it.

pub mod ast;
pub mod code;
pub mod compile;
pub mod dump;
pub mod error;
mod expr;
pub mod highlight;
pub mod lexer;
pub mod lint;
pub mod modules;
pub mod parser;
mod signature;
pub mod suggest;
mod symbols;

pub use error::SyntaxError;
pub use parser::{parse, parse_program};
