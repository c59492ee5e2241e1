//! The `random` module: CPython 3.12's functions over its Mersenne Twister (`lang::rng`), each
//! drawing exactly the numbers CPython draws, so a seeded program prints what CPython prints.

use std::rc::Rc;

use super::builtins::{arg, int_arg, kw};
use super::methods::no_attr;
use super::object::{ExcKind, Exception, Obj};
use super::ops::{self, as_f64, type_error, value_error, Res};
use super::Vm;
use crate::engine::lang::python::code::BinOp;
use crate::engine::lang::rng::Rng;

impl Vm {
    /// `random.<name>(args)`.
    pub(super) fn call_random(
        &self,
        name: &str,
        args: Vec<Obj>,
        kwargs: Vec<(Rc<str>, Obj)>,
    ) -> Res {
        let a0 = arg(&args, 0);
        match name {
            "seed" => {
                let seed = match a0 {
                    Obj::Int(i) => i.unsigned_abs(),
                    Obj::None => 0,
                    other => {
                        return Err(type_error(format!(
                            "Interleave seeds random with an int, not {}",
                            other.type_name()
                        )))
                    }
                };
                *self.rng.borrow_mut() = Rng::new(seed);
                Ok(Obj::None)
            }
            "random" => Ok(Obj::Float(self.rng.borrow_mut().random())),
            "uniform" => {
                // CPython's `a + (b - a) * random()`: its operators say what is wrong.
                let b = arg(&args, 1);
                ops::binary(BinOp::Sub, &b, &a0)?;
                let (a, b) = (as_f64(&a0).unwrap_or(0.0), as_f64(&b).unwrap_or(0.0));
                Ok(Obj::Float(self.rng.borrow_mut().uniform(a, b)))
            }
            "randint" => {
                let a = int_arg(&a0)?;
                let b = int_arg(&arg(&args, 1))?;
                if b < a {
                    return Err(value_error(format!(
                        "empty range in randrange({a}, {})",
                        b + 1
                    )));
                }
                Ok(Obj::Int(self.rng.borrow_mut().randint(a, b)))
            }
            "randrange" => self.randrange(&args),
            "choice" => {
                let items = self.items(&a0)?;
                if items.is_empty() {
                    return Err(Exception::msg(
                        ExcKind::IndexError,
                        "Cannot choose from an empty sequence",
                    ));
                }
                let i = self.rng.borrow_mut().below(items.len() as u64) as usize;
                Ok(items[i].clone())
            }
            "choices" => self.choices(&args, &kwargs),
            "sample" => self.sample(&args, &kwargs),
            "shuffle" => {
                let Obj::List(l) = a0 else {
                    return Err(type_error("shuffle() needs a list"));
                };
                self.rng.borrow_mut().shuffle(&mut l.borrow_mut());
                Ok(Obj::None)
            }
            _ => Err(no_attr(&Obj::Module("random"), &Rc::from(name))),
        }
    }

    /// `random.randrange(start, stop, step)`, as CPython 3.12 draws it.
    fn randrange(&self, args: &[Obj]) -> Res {
        let start = int_arg(&arg(args, 0))?;
        let below = |n: i64| self.rng.borrow_mut().below(n as u64) as i64;
        let Some(stop) = args.get(1).filter(|s| !matches!(s, Obj::None)) else {
            if args.len() > 2 {
                return Err(type_error("Missing a non-None stop argument"));
            }
            if start > 0 {
                return Ok(Obj::Int(below(start)));
            }
            return Err(value_error("empty range for randrange()"));
        };
        let stop = int_arg(stop)?;
        let width = stop.checked_sub(start).ok_or_else(ops::overflow)?;
        let step = match args.get(2) {
            Some(s) => int_arg(s)?,
            None => 1,
        };
        if step == 1 {
            if width > 0 {
                return Ok(Obj::Int(start + below(width)));
            }
            return Err(value_error(format!(
                "empty range in randrange({start}, {stop})"
            )));
        }
        let n = match step {
            0 => return Err(value_error("zero step for randrange()")),
            s if s > 0 => (width + s - 1).div_euclid(s),
            s => (width + s + 1).div_euclid(s),
        };
        if n <= 0 {
            return Err(value_error(format!(
                "empty range in randrange({start}, {stop}, {step})"
            )));
        }
        Ok(Obj::Int(start + step * below(n)))
    }

    /// `random.choices(population, weights=None, *, cum_weights=None, k=1)`.
    fn choices(&self, args: &[Obj], kwargs: &[(Rc<str>, Obj)]) -> Res {
        let population = self.items(&arg(args, 0))?;
        let n = population.len();
        let k = match kw(kwargs, "k") {
            Some(k) => int_arg(k)?.max(0) as usize,
            None => 1,
        };
        let weights = args.get(1).or_else(|| kw(kwargs, "weights")).cloned();
        let weights = weights.filter(|w| !matches!(w, Obj::None));
        let cum = kw(kwargs, "cum_weights").filter(|w| !matches!(w, Obj::None));
        let cum: Vec<f64> = match (weights, cum) {
            (None, None) => {
                // Unweighted: `population[floor(random() * n)]`, k times.
                let mut rng = self.rng.borrow_mut();
                let picks = (0..k).map(|_| {
                    let i = (rng.random() * n as f64).floor() as usize;
                    population.get(i).cloned().ok_or_else(|| {
                        Exception::msg(ExcKind::IndexError, "list index out of range")
                    })
                });
                return Ok(Obj::list(picks.collect::<Res<Vec<_>>>()?));
            }
            (Some(_), Some(_)) => {
                return Err(type_error(
                    "Cannot specify both weights and cumulative weights",
                ))
            }
            (Some(Obj::Int(k)), None) => {
                return Err(type_error(format!(
                    "The number of choices must be a keyword argument: k={k}"
                )))
            }
            (Some(w), None) => {
                let mut total = Obj::Int(0);
                let mut cum = Vec::new();
                for x in self.items(&w)? {
                    total = ops::binary(BinOp::Add, &total, &x)?;
                    cum.push(number_of(&total)?);
                }
                cum
            }
            (None, Some(c)) => self
                .items(c)?
                .iter()
                .map(number_of)
                .collect::<Res<Vec<f64>>>()?,
        };
        if cum.len() != n {
            return Err(value_error(
                "The number of weights does not match the population",
            ));
        }
        let total = cum.last().copied().unwrap_or(0.0);
        if total <= 0.0 {
            return Err(value_error("Total of weights must be greater than zero"));
        }
        if !total.is_finite() {
            return Err(value_error("Total of weights must be finite"));
        }
        let mut rng = self.rng.borrow_mut();
        let picks = (0..k).map(|_| {
            // `bisect(cum_weights, random() * total, 0, n - 1)`.
            let x = rng.random() * total;
            let i = cum[..n - 1].partition_point(|&c| c <= x);
            population[i].clone()
        });
        Ok(Obj::list(picks.collect()))
    }

    /// `random.sample(population, k)`: without repeats, by CPython's pool or set method.
    fn sample(&self, args: &[Obj], kwargs: &[(Rc<str>, Obj)]) -> Res {
        let population = arg(args, 0);
        if !matches!(
            population,
            Obj::List(_) | Obj::Tuple(_) | Obj::Str(_) | Obj::Range(..)
        ) {
            return Err(type_error(
                "Population must be a sequence.  For dicts or sets, use sorted(d).",
            ));
        }
        let items = self.items(&population)?;
        let n = items.len();
        let k = match args.get(1).or_else(|| kw(kwargs, "k")) {
            Some(k) => int_arg(k)?,
            None => {
                return Err(type_error(
                    "Random.sample() missing 1 required positional argument: 'k'",
                ))
            }
        };
        if k < 0 || k as usize > n {
            return Err(value_error("Sample larger than population or is negative"));
        }
        let k = k as usize;
        let mut rng = self.rng.borrow_mut();
        let mut setsize = 21usize;
        if k > 5 {
            let log4 = ((k * 3) as f64).ln() / 4f64.ln();
            setsize += 4usize.pow(log4.ceil() as u32);
        }
        let mut out = Vec::with_capacity(k);
        if n <= setsize {
            // The pool method: each pick is moved out of a copy of the population.
            let mut pool = items;
            for i in 0..k {
                let j = rng.below((n - i) as u64) as usize;
                out.push(pool[j].clone());
                pool[j] = pool[n - i - 1].clone();
            }
        } else {
            let mut selected = std::collections::HashSet::new();
            for _ in 0..k {
                let mut j = rng.below(n as u64) as usize;
                while !selected.insert(j) {
                    j = rng.below(n as u64) as usize;
                }
                out.push(items[j].clone());
            }
        }
        Ok(Obj::list(out))
    }
}

/// A weight as a float (`w + 0.0`, as CPython makes the total one: its `TypeError` if not a
/// number).
fn number_of(x: &Obj) -> Res<f64> {
    let f = ops::binary(BinOp::Add, x, &Obj::Float(0.0))?;
    Ok(as_f64(&f).unwrap_or(0.0))
}
