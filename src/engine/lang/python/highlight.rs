//! Python's words coloured by kind, line by line, for the code editor: keywords, builtins,
//! strings (and f-strings), numbers, comments, definitions' names. A scan of its own rather than
//! the tokenizer: it must colour a half-typed line (an unclosed string, a stray bracket) the way
//! it reads, where the tokenizer would stop at the first error.

/// What a piece of a line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tint {
    /// Anything else: names, operators, spaces.
    Plain,
    /// `def`, `async`, `await`, `if`, ...
    Keyword,
    /// `print`, `len`, `asyncio`, `True`, ...
    Builtin,
    /// A string literal.
    Text,
    /// A number.
    Number,
    /// A comment.
    Comment,
    /// The name a `def` defines.
    Name,
}

impl Tint {
    /// Its CSS class.
    pub fn class(self) -> &'static str {
        match self {
            Tint::Plain => "",
            Tint::Keyword => "tk-kw",
            Tint::Builtin => "tk-bi",
            Tint::Text => "tk-str",
            Tint::Number => "tk-num",
            Tint::Comment => "tk-com",
            Tint::Name => "tk-def",
        }
    }
}

const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "async", "await", "break", "continue", "def", "elif",
    "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
    "not", "or", "pass", "raise", "return", "try", "while", "with",
];

const BUILTINS: &[&str] = &[
    "print",
    "len",
    "range",
    "enumerate",
    "zip",
    "sum",
    "min",
    "max",
    "sorted",
    "abs",
    "round",
    "str",
    "repr",
    "int",
    "float",
    "list",
    "dict",
    "set",
    "tuple",
    "bool",
    "isinstance",
    "any",
    "all",
    "asyncio",
    "time",
    "random",
    "type",
    "Exception",
    "ValueError",
    "KeyError",
    "IndexError",
    "RuntimeError",
    "ZeroDivisionError",
    "TypeError",
    "TimeoutError",
];

/// The pieces of `line`, in order, each with its tint; their texts join to the line.
/// `in_string` carries a triple-quoted string across lines: its quote, or `None`.
pub fn tint_line(line: &str, open: &mut Option<&'static str>) -> Vec<(Tint, String)> {
    let chars: Vec<char> = line.chars().collect();
    let mut out: Vec<(Tint, String)> = Vec::new();
    let mut push = |t: Tint, s: String| {
        if s.is_empty() {
            return;
        }
        match out.last_mut() {
            Some((last, text)) if *last == t => text.push_str(&s),
            _ => out.push((t, s)),
        }
    };
    let mut i = 0;
    if let Some(q) = *open {
        let rest: String = chars.iter().collect();
        match rest.find(q) {
            Some(end) => {
                let end_chars = rest[..end].chars().count() + q.len();
                push(Tint::Text, chars[..end_chars].iter().collect());
                i = end_chars;
                *open = None;
            }
            None => {
                push(Tint::Text, rest);
                return out;
            }
        }
    }
    let mut after_def = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '#' {
            push(Tint::Comment, chars[i..].iter().collect());
            break;
        }
        let prefix_len = chars[i..]
            .iter()
            .take_while(|c| matches!(c, 'f' | 'r' | 'b' | 'F' | 'R' | 'B'))
            .count();
        let q_at = i + prefix_len;
        if prefix_len <= 2 && q_at < chars.len() && matches!(chars[q_at], '\'' | '"') {
            let starts_word = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
            if starts_word || prefix_len == 0 {
                let q = chars[q_at];
                let triple = chars.get(q_at + 1) == Some(&q) && chars.get(q_at + 2) == Some(&q);
                if triple {
                    let quote: &'static str = if q == '"' { "\"\"\"" } else { "'''" };
                    let body: String = chars[q_at + 3..].iter().collect();
                    match body.find(quote) {
                        Some(end) => {
                            let stop = q_at + 3 + body[..end].chars().count() + 3;
                            push(Tint::Text, chars[i..stop].iter().collect());
                            i = stop;
                        }
                        None => {
                            push(Tint::Text, chars[i..].iter().collect());
                            *open = Some(quote);
                            break;
                        }
                    }
                    continue;
                }
                let mut j = q_at + 1;
                while j < chars.len() && chars[j] != q {
                    if chars[j] == '\\' {
                        j += 1;
                    }
                    j += 1;
                }
                let stop = (j + 1).min(chars.len());
                push(Tint::Text, chars[i..stop].iter().collect());
                i = stop;
                continue;
            }
        }
        if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let starts_word = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
            if starts_word {
                let mut j = i;
                while j < chars.len()
                    && (chars[j].is_alphanumeric() || chars[j] == '.' || chars[j] == '_')
                {
                    j += 1;
                }
                push(Tint::Number, chars[i..j].iter().collect());
                i = j;
                continue;
            }
        }
        if c.is_alphabetic() || c == '_' {
            let mut j = i;
            while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            let word: String = chars[i..j].iter().collect();
            let after_dot = i > 0 && chars[i - 1] == '.';
            let tint = if after_def {
                after_def = false;
                Tint::Name
            } else if KEYWORDS.contains(&word.as_str()) {
                Tint::Keyword
            } else if !after_dot && BUILTINS.contains(&word.as_str()) {
                Tint::Builtin
            } else {
                Tint::Plain
            };
            if word == "def" {
                after_def = true;
            }
            push(tint, word);
            i = j;
            continue;
        }
        push(Tint::Plain, c.to_string());
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tints(src: &str) -> Vec<Vec<(Tint, String)>> {
        let mut open = None;
        src.lines().map(|l| tint_line(l, &mut open)).collect()
    }

    #[test]
    fn every_piece_is_kept_and_tinted_by_kind() {
        let lines = tints("async def main(n=3):  # go\n    print(f'{n}s', 1.5, x.print)\n");
        for (line, src) in lines.iter().zip([
            "async def main(n=3):  # go",
            "    print(f'{n}s', 1.5, x.print)",
        ]) {
            let joined: String = line.iter().map(|(_, s)| s.as_str()).collect();
            assert_eq!(joined, src);
        }
        assert_eq!(lines[0][0], (Tint::Keyword, "async".into()));
        assert!(lines[0].contains(&(Tint::Name, "main".into())));
        assert!(lines[0].contains(&(Tint::Number, "3".into())));
        assert!(lines[0].contains(&(Tint::Comment, "# go".into())));
        assert!(lines[1].contains(&(Tint::Builtin, "print".into())));
        assert!(lines[1].contains(&(Tint::Text, "f'{n}s'".into())));
        let builtins = lines[1].iter().filter(|(t, _)| *t == Tint::Builtin).count();
        assert_eq!(builtins, 1, "x.print is a method, not the builtin");
    }

    #[test]
    fn half_typed_lines_and_long_strings_colour_as_they_read() {
        let lines = tints("x = 'open\ns = \"\"\"one\ntwo\"\"\" + y\n");
        assert_eq!(lines[0].last(), Some(&(Tint::Text, "'open".into())));
        assert_eq!(lines[2][0], (Tint::Text, "two\"\"\"".into()));
        assert_eq!(lines[2].last(), Some(&(Tint::Plain, " + y".into())));
    }
}
