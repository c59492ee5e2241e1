//! What a program is: the program model, the values it computes (printed as Python prints
//! them), CPython's random generator, parameters and their parsing, listings, and the catalog
//! of scenarios that build programs from parameters.

pub mod ids;
pub mod listing;
pub mod params;
pub mod program;
pub mod python;
pub mod rng;
pub mod scenarios;
pub mod value;
