//! Just enough JSON to read a saved run back: a strict parser (RFC 8259) that keeps only the
//! members asked for and checks the rest without keeping it, so a large file costs little
//! memory. Bounded: nesting deeper than [`MAX_DEPTH`] is refused, never a stack overflow.

/// A JSON value kept.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Num(f64),
    /// A string.
    Str(String),
    /// An array.
    Arr(Vec<Json>),
    /// An object, its members in order.
    Obj(Vec<(String, Json)>),
}

/// Nesting deeper than this is refused.
pub const MAX_DEPTH: usize = 64;

impl Json {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, if it is one.
    pub fn str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The number, if it is one.
    pub fn num(&self) -> Option<f64> {
        match self {
            Json::Num(n) => Some(*n),
            _ => None,
        }
    }
}

/// Parses `text`, a JSON object, keeping whole only its member `keep` (the others are checked
/// and dropped). Errors say what was wrong and where.
pub fn parse_member(text: &str, keep: &str) -> Result<Option<Json>, String> {
    let mut p = Parser {
        bytes: text.as_bytes(),
        at: 0,
    };
    p.space();
    p.expect(b'{')?;
    let mut kept = None;
    p.space();
    if p.peek() == Some(b'}') {
        p.at += 1;
    } else {
        loop {
            p.space();
            let key = p.string(true)?.unwrap_or_default();
            p.space();
            p.expect(b':')?;
            let value = p.value(key == keep && kept.is_none(), 1)?;
            if value.is_some() {
                kept = value;
            }
            p.space();
            match p.next() {
                Some(b',') => continue,
                Some(b'}') => break,
                _ => return Err(p.error("expected ',' or '}'")),
            }
        }
    }
    p.space();
    if p.at != p.bytes.len() {
        return Err(p.error("unexpected text after the end"));
    }
    Ok(kept)
}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek();
        self.at += usize::from(b.is_some());
        b
    }

    fn error(&self, what: &str) -> String {
        format!("{what} at byte {}", self.at)
    }

    fn expect(&mut self, b: u8) -> Result<(), String> {
        if self.next() == Some(b) {
            Ok(())
        } else {
            Err(self.error(&format!("expected '{}'", b as char)))
        }
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.at += 1;
        }
    }

    fn literal(&mut self, word: &str) -> Result<(), String> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(())
        } else {
            Err(self.error("unexpected text"))
        }
    }

    /// A value at nesting `depth`: kept (`keep`) or only checked.
    fn value(&mut self, keep: bool, depth: usize) -> Result<Option<Json>, String> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.space();
        let v = match self.peek() {
            Some(b'{') => {
                self.at += 1;
                let mut members = Vec::new();
                self.space();
                if self.peek() == Some(b'}') {
                    self.at += 1;
                } else {
                    loop {
                        self.space();
                        let key = self.string(keep)?;
                        self.space();
                        self.expect(b':')?;
                        let v = self.value(keep, depth + 1)?;
                        if let (Some(k), Some(v)) = (key, v) {
                            members.push((k, v));
                        }
                        self.space();
                        match self.next() {
                            Some(b',') => continue,
                            Some(b'}') => break,
                            _ => return Err(self.error("expected ',' or '}'")),
                        }
                    }
                }
                Json::Obj(members)
            }
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                self.space();
                if self.peek() == Some(b']') {
                    self.at += 1;
                } else {
                    loop {
                        if let Some(v) = self.value(keep, depth + 1)? {
                            items.push(v);
                        }
                        self.space();
                        match self.next() {
                            Some(b',') => continue,
                            Some(b']') => break,
                            _ => return Err(self.error("expected ',' or ']'")),
                        }
                    }
                }
                Json::Arr(items)
            }
            Some(b'"') => Json::Str(self.string(keep)?.unwrap_or_default()),
            Some(b't') => self.literal("true").map(|_| Json::Bool(true))?,
            Some(b'f') => self.literal("false").map(|_| Json::Bool(false))?,
            Some(b'n') => self.literal("null").map(|_| Json::Null)?,
            Some(b'-' | b'0'..=b'9') => Json::Num(self.number()?),
            _ => return Err(self.error("expected a value")),
        };
        Ok(keep.then_some(v))
    }

    fn number(&mut self) -> Result<f64, String> {
        let start = self.at;
        let digits = |p: &mut Self| {
            let from = p.at;
            while matches!(p.peek(), Some(b'0'..=b'9')) {
                p.at += 1;
            }
            p.at > from
        };
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        if self.peek() == Some(b'0') {
            // No leading zeros: `0` alone, or `0.5`.
            self.at += 1;
            if matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("a malformed number"));
            }
        } else if !digits(self) {
            return Err(self.error("a malformed number"));
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if !digits(self) {
                return Err(self.error("a malformed number"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if !digits(self) {
                return Err(self.error("a malformed number"));
            }
        }
        std::str::from_utf8(&self.bytes[start..self.at])
            .ok()
            .and_then(|s| s.parse::<f64>().ok())
            .filter(|n| n.is_finite())
            .ok_or_else(|| self.error("a number out of range"))
    }

    /// A string, decoded when kept.
    fn string(&mut self, keep: bool) -> Result<Option<String>, String> {
        self.expect(b'"')?;
        let mut out = Vec::new();
        loop {
            match self.next() {
                None => return Err(self.error("an unfinished string")),
                Some(b'"') => break,
                Some(b'\\') => {
                    let c = match self.next() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let hi = self.hex4()?;
                            let code = if (0xd800..0xdc00).contains(&hi) {
                                self.literal("\\u")?;
                                let lo = self.hex4()?;
                                if !(0xdc00..0xe000).contains(&lo) {
                                    return Err(self.error("a broken surrogate pair"));
                                }
                                0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00)
                            } else {
                                hi
                            };
                            char::from_u32(code).ok_or_else(|| self.error("a lone surrogate"))?
                        }
                        _ => return Err(self.error("an unknown escape")),
                    };
                    if keep {
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    }
                }
                Some(b) if b < 0x20 => return Err(self.error("a control character in a string")),
                Some(b) => {
                    if keep {
                        out.push(b);
                    }
                }
            }
        }
        // The input is a `&str`, and escapes decode to whole characters: the bytes are UTF-8.
        Ok(keep.then(|| String::from_utf8_lossy(&out).into_owned()))
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let mut v = 0;
        for _ in 0..4 {
            let d = self
                .next()
                .and_then(|b| (b as char).to_digit(16))
                .ok_or_else(|| self.error("a malformed \\u escape"))?;
            v = v * 16 + d;
        }
        Ok(v)
    }
}

/// The next state of a small linear congruential generator: inputs for the tests that feed
/// mutated text to a reader (natively: the browser tier does not repeat them).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) fn next_state(state: u64) -> u64 {
    state
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_member_asked_for_and_checks_the_rest() {
        let text = r#"{"a": [1, {"b": "x"}], "keep": {"s": "h\u00e9\ud83d\ude00\n", "n": -1.5e3, "t": true, "z": null}}"#;
        let kept = parse_member(text, "keep").expect("valid").expect("kept");
        assert_eq!(kept.get("s").and_then(Json::str), Some("hé😀\n"));
        assert_eq!(kept.get("n").and_then(Json::num), Some(-1500.0));
        assert_eq!(kept.get("t"), Some(&Json::Bool(true)));
        assert_eq!(kept.get("z"), Some(&Json::Null));
        assert_eq!(parse_member(r#"{"a": 1}"#, "keep"), Ok(None));
    }

    #[test]
    fn refuses_what_is_not_json() {
        for bad in [
            "",
            "[]",
            "{",
            "{\"a\"}",
            "{\"a\":}",
            "{\"a\":1,}",
            "{\"a\":01}",
            "{\"a\":1.}",
            "{\"a\":-}",
            "{\"a\":1e}",
            "{\"a\":\"\\x\"}",
            "{\"a\":\"\\ud800\"}",
            "{\"a\":\"x}",
            "{\"a\":tru}",
            "{\"a\":1} x",
            "{\"a\":1e999}",
            "{\"a\":\"\u{1}\"}",
            "{\"a\":[1 2]}",
        ] {
            assert!(parse_member(bad, "a").is_err(), "{bad:?} was read");
        }
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(100), "]".repeat(100));
        assert!(parse_member(&deep, "a")
            .unwrap_err()
            .contains("nested too deeply"));
        // Deep nesting is refused even when not kept.
        assert!(parse_member(&deep, "b").is_err());
    }

    // Natively only: the browser tier need not repeat it.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn no_input_makes_it_panic() {
        let seed = r#"{"x":[1,-2.5e3,"a\"\\\u00e9",{"y":null,"z":[true,false]}],"k":{"s":"t\tu"}}"#;
        let bytes = seed.as_bytes();
        let mut state = 7u64;
        for _ in 0..50_000 {
            state = next_state(state);
            let cut = (state >> 33) as usize % (bytes.len() + 1);
            let flip = (state >> 13) as usize % bytes.len();
            let mut b = bytes[..cut].to_vec();
            if let Some(x) = b.get_mut(flip) {
                *x = (state >> 40) as u8 & 0x7f;
            }
            let text = String::from_utf8_lossy(&b);
            let _ = parse_member(&text, "k");
            let _ = parse_member(&text, "x");
        }
    }
}
