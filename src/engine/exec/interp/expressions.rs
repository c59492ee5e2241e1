//! Expressions: computed at once, never pausing; and the helpers statements share with them.

use std::rc::Rc;

use crate::engine::exec::interp::errors::Error;
use crate::engine::exec::interp::machine::Env;
use crate::engine::exec::interp::{Ctx, MAX_LIST};
use crate::engine::lang::program::{BinOp, Expr};
use crate::engine::lang::value::{seconds, Coroutine, Value};

impl Ctx {
    pub(super) fn eval(&self, env: &mut Env, e: &Expr) -> Result<Value, Error> {
        Ok(match e {
            Expr::Lit(v) => v.clone(),
            Expr::Var(name) => env
                .get(name)
                .cloned()
                .ok_or_else(|| Error::Name(name.clone()))?,
            Expr::Bin(op, a, b) => {
                let v = binary(*op, self.eval(env, a)?, self.eval(env, b)?)?;
                if let Value::List(items) = &v {
                    self.add_work(items.len());
                }
                v
            }
            Expr::List(items) => {
                self.add_work(items.len());
                Value::List(Rc::new(
                    items
                        .iter()
                        .map(|i| self.eval(env, i))
                        .collect::<Result<_, _>>()?,
                ))
            }
            Expr::Dict(entries) => Value::Dict(Rc::new(
                entries
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), self.eval(env, v)?)))
                    .collect::<Result<_, Error>>()?,
            )),
            Expr::Index(a, i) => index(self.eval(env, a)?, self.eval(env, i)?)?,
            Expr::Range(n) => {
                let n = match self.eval(env, n)? {
                    Value::Int(n) => n as f64,
                    other => {
                        return Err(Error::Type(format!(
                            "'{}' object cannot be interpreted as an integer",
                            other.type_name()
                        )))
                    }
                };
                if n > MAX_LIST as f64 {
                    return Err(Error::Memory(format!(
                        "range({n}) is longer than the {MAX_LIST} items a list may hold here"
                    )));
                }
                let n = n.max(0.0) as i64;
                self.add_work(n as usize);
                Value::List(Rc::new((0..n).map(Value::Int).collect()))
            }
            Expr::Comprehension { elem, var, iter } => {
                let items = list(self.eval(env, iter)?)?;
                self.add_work(items.len());
                let saved = env.get(var).cloned();
                let mut out = Vec::with_capacity(items.len());
                for item in items.iter() {
                    env.insert(var.clone(), item.clone());
                    out.push(self.eval(env, elem)?);
                }
                match saved {
                    Some(v) => env.insert(var.clone(), v),
                    None => env.remove(var),
                };
                Value::List(Rc::new(out))
            }
            Expr::Call(name, args) => {
                let func = self
                    .program
                    .function(name)
                    .ok_or_else(|| Error::Name(name.clone()))?;
                let args = args
                    .iter()
                    .map(|a| self.eval(env, a))
                    .collect::<Result<_, _>>()?;
                Value::Coroutine(Rc::new(Coroutine::Call {
                    func,
                    name: name.clone(),
                    args,
                }))
            }
            Expr::Sleep(secs) => {
                let secs = self.eval(env, secs)?;
                // asyncio.sleep compares its delay with 0 first.
                let secs = secs.as_f64().ok_or_else(|| {
                    Error::Type(format!(
                        "'<=' not supported between instances of '{}' and 'int'",
                        secs.type_name()
                    ))
                })?;
                Value::Coroutine(Rc::new(Coroutine::Sleep(secs)))
            }
            Expr::Choice(options) => {
                if options.is_empty() {
                    return Err(Error::Index("Cannot choose from an empty sequence"));
                }
                let k = self.rng.borrow_mut().below(options.len() as u64) as usize;
                self.eval(env, &options[k])?
            }
            Expr::RandInt(lo, hi) => {
                let lo = number(&self.eval(env, lo)?, "randint()")? as i64;
                let hi = number(&self.eval(env, hi)?, "randint()")? as i64;
                if hi < lo {
                    return Err(Error::Value(format!(
                        "empty range in randrange({lo}, {})",
                        hi.saturating_add(1)
                    )));
                }
                let span = (hi - lo) as u64 + 1;
                Value::Int(lo + self.rng.borrow_mut().below(span) as i64)
            }
            Expr::Now => Value::Float(self.rt.now()),
            Expr::Format(parts) => {
                let mut s = String::new();
                for p in parts {
                    s.push_str(&self.eval(env, p)?.to_string());
                }
                Value::Str(Rc::from(s))
            }
        })
    }
}

pub(super) fn assign(env: &mut Env, var: &Option<Rc<str>>, v: Value) {
    if let Some(var) = var {
        env.insert(var.clone(), v);
    }
}

pub(super) fn coro_name(c: &Coroutine) -> String {
    match c {
        Coroutine::Sleep(s) => format!("sleep({})", seconds(*s)),
        Coroutine::Call { name, args, .. } => {
            let args: Vec<String> = args.iter().map(Value::repr).collect();
            format!("{name}({})", args.join(", "))
        }
    }
}

pub(super) fn number(v: &Value, what: &str) -> Result<f64, Error> {
    v.as_f64()
        .ok_or_else(|| Error::Type(format!("{what} needs a number, not '{}'", v.type_name())))
}

pub(super) fn list(v: Value) -> Result<Rc<Vec<Value>>, Error> {
    match v {
        Value::List(items) => Ok(items),
        other => Err(Error::Type(format!(
            "'{}' object is not iterable",
            other.type_name()
        ))),
    }
}

fn index(v: Value, i: Value) -> Result<Value, Error> {
    match (&v, &i) {
        (Value::List(items), Value::Int(k)) => {
            let k = if *k < 0 { items.len() as i64 + k } else { *k };
            usize::try_from(k)
                .ok()
                .and_then(|k| items.get(k).cloned())
                .ok_or(Error::Index("list index out of range"))
        }
        (Value::Dict(entries), Value::Str(key)) => entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| Error::Key(i.repr())),
        (Value::List(_), _) => Err(Error::Type(format!(
            "list indices must be integers or slices, not {}",
            i.type_name()
        ))),
        _ => Err(Error::Type(format!(
            "'{}' object is not subscriptable",
            v.type_name()
        ))),
    }
}

fn binary(op: BinOp, a: Value, b: Value) -> Result<Value, Error> {
    use Value::{Float, Int, Str};
    Ok(match (op, &a, &b) {
        (BinOp::Eq, _, _) => Value::Bool(match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        }),
        (BinOp::Add, Str(x), Str(y)) => Value::Str(Rc::from(format!("{x}{y}"))),
        (BinOp::Add, Value::List(x), Value::List(y)) => {
            Value::List(Rc::new(x.iter().chain(y.iter()).cloned().collect()))
        }
        (BinOp::Add, Int(x), Int(y)) => Int(x.saturating_add(*y)),
        (BinOp::Sub, Int(x), Int(y)) => Int(x.saturating_sub(*y)),
        (BinOp::Mul, Int(x), Int(y)) => Int(x.saturating_mul(*y)),
        _ => {
            let (Some(x), Some(y)) = (a.as_f64(), b.as_f64()) else {
                return Err(operand_error(op, &a, &b));
            };
            match op {
                BinOp::Add => Float(x + y),
                BinOp::Sub => Float(x - y),
                BinOp::Mul => Float(x * y),
                BinOp::Div if y == 0.0 => {
                    return Err(Error::ZeroDivision(match (&a, &b) {
                        (Int(_), Int(_)) => "division by zero",
                        _ => "float division by zero",
                    }))
                }
                BinOp::Div => Float(x / y),
                BinOp::Lt => Value::Bool(x < y),
                BinOp::Eq => Value::Bool(x == y),
            }
        }
    })
}

/// `TypeError` for `a op b` on values that do not support it, worded as CPython words it.
fn operand_error(op: BinOp, a: &Value, b: &Value) -> Error {
    let sym = match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        BinOp::Eq => "==",
        BinOp::Lt => "<",
    };
    match (op, a) {
        (BinOp::Add, Value::Str(_) | Value::List(_)) => Error::Type(format!(
            "can only concatenate {} (not \"{}\") to {}",
            a.type_name(),
            b.type_name(),
            a.type_name()
        )),
        (BinOp::Lt, _) => Error::Type(format!(
            "'<' not supported between instances of '{}' and '{}'",
            a.type_name(),
            b.type_name()
        )),
        _ => Error::Type(format!(
            "unsupported operand type(s) for {sym}: '{}' and '{}'",
            a.type_name(),
            b.type_name()
        )),
    }
}
