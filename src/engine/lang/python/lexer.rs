//! Python source into tokens, as CPython's tokenizer makes them for the subset Interleave reads:
//! names, numbers, strings (f-strings kept whole for the parser to open), operators, and the
//! layout tokens (NEWLINE, INDENT, DEDENT) of logical lines. Lines inside brackets join; comments
//! and blank lines make no token.

use super::error::SyntaxError;

/// A token.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    /// A name or a keyword.
    Name(String),
    /// An integer literal, its value (arbitrary size is not needed; too large is an error).
    Int(i64),
    /// A float literal.
    Float(f64),
    /// A string literal, its escapes undone; `f` when it is an f-string (then the text is raw:
    /// its braces are opened by the parser).
    Str {
        /// The text.
        text: String,
        /// Whether it is an f-string.
        f: bool,
        /// Whether it is raw (`r'...'`), so an f-string's escapes stay as written.
        raw: bool,
    },
    /// An operator or a delimiter (`+`, `**=`, `(`, `->`, `:=`...).
    Op(&'static str),
    /// The end of a logical line.
    Newline,
    /// One more level of indentation.
    Indent,
    /// One level less.
    Dedent,
    /// The end of the source.
    End,
    /// What the source cannot be read past: the error is the parser's to raise when it gets
    /// there, as CPython's tokenizer raises it only when its parser asks for that token (so a
    /// parse error earlier in the source is the one reported).
    Fail(SyntaxError),
}

/// A token and where it starts: line from 1, column from 0 (in characters).
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    /// What it is.
    pub tok: Tok,
    /// Its line.
    pub line: usize,
    /// Its column.
    pub col: usize,
}

/// Operators, longest first so that the longest match wins.
const OPS: [&str; 47] = [
    "**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "==", "!=", "<=", ">=", "+=", "-=",
    "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>", "+", "-", "*", "/", "%", "@", "<", ">", "=",
    ".", ",", ":", ";", "(", ")", "[", "]", "{", "}", "&", "|", "^", "~", "!",
];

/// The most characters a source may have, and the deepest nesting of brackets.
pub const MAX_SOURCE: usize = 200_000;
const MAX_BRACKETS: usize = 100;

/// Splits `source` into tokens; where it cannot go on, the last token is a [`Tok::Fail`].
pub fn tokens(source: &str) -> Vec<Token> {
    let mut out = Vec::new();
    if let Err(e) = scan(source, &mut out) {
        let (line, col) = (e.line, e.col);
        out.push(Token {
            tok: Tok::Fail(e),
            line,
            col,
        });
    }
    out
}

fn scan(source: &str, out: &mut Vec<Token>) -> Result<(), SyntaxError> {
    if source.chars().count() > MAX_SOURCE {
        return Err(SyntaxError::new(
            1,
            0,
            format!("the program is longer than {MAX_SOURCE} characters"),
        ));
    }
    let lines: Vec<Vec<char>> = source.lines().map(|l| l.chars().collect()).collect();
    let mut indents = vec![0usize];
    let mut brackets: Vec<(char, usize, usize)> = Vec::new();
    let mut row = 0;
    // Whether the line before ended with a backslash: this one goes on with it.
    let mut joined = false;
    // A string running over lines (triple-quoted): its pieces so far.
    while row < lines.len() {
        let line = &lines[row];
        let mut col = 0;
        if brackets.is_empty() && !joined {
            // The start of a logical line: its indentation, unless it is blank or a comment.
            let mut width = 0;
            while col < line.len() && (line[col] == ' ' || line[col] == '\t' || line[col] == '\x0c')
            {
                width = match line[col] {
                    '\t' => (width / 8 + 1) * 8,
                    '\x0c' => 0,
                    _ => width + 1,
                };
                col += 1;
            }
            if col == line.len() || line[col] == '#' || line[col] == '\\' && col + 1 == line.len() {
                row += 1;
                continue;
            }
            let here = *indents.last().unwrap_or(&0);
            if width > here {
                indents.push(width);
                out.push(Token {
                    tok: Tok::Indent,
                    line: row + 1,
                    col,
                });
            } else if width < here {
                while indents.last().is_some_and(|&w| w > width) {
                    indents.pop();
                    out.push(Token {
                        tok: Tok::Dedent,
                        line: row + 1,
                        col,
                    });
                }
                if indents.last() != Some(&width) {
                    return Err(SyntaxError::new(
                        row + 1,
                        col,
                        "unindent does not match any outer indentation level".into(),
                    )
                    .kind("IndentationError"));
                }
            }
        }
        let mut continued = false;
        // A string may have ended on a later line than it began: the line is read afresh.
        while col < lines[row].len() {
            let line = &lines[row];
            let c = line[col];
            if c == ' ' || c == '\t' || c == '\x0c' {
                col += 1;
                continue;
            }
            if c == '#' {
                break;
            }
            if c == '\\' {
                if col + 1 == line.len() {
                    continued = true;
                    break;
                }
                return Err(SyntaxError::new(
                    row + 1,
                    col + 1,
                    "unexpected character after line continuation character".into(),
                ));
            }
            let start = col;
            // A string, after its prefix if it has one.
            if let Some((prefix, f, raw)) = string_start(line, col) {
                if prefix.contains('b') {
                    return Err(SyntaxError::unsupported(
                        row + 1,
                        start,
                        "bytes literals are",
                    ));
                }
                let (tok, next_row, next_col) = string(&lines, row, col + prefix.len(), f, raw)?;
                out.push(Token {
                    tok,
                    line: row + 1,
                    col: start,
                });
                row = next_row;
                col = next_col;
                if row >= lines.len() {
                    break;
                }
                continue;
            }
            if c.is_alphabetic() || c == '_' {
                while col < line.len() && (line[col].is_alphanumeric() || line[col] == '_') {
                    col += 1;
                }
                out.push(Token {
                    tok: Tok::Name(line[start..col].iter().collect()),
                    line: row + 1,
                    col: start,
                });
                continue;
            }
            if c.is_ascii_digit() || c == '.' && line.get(col + 1).is_some_and(char::is_ascii_digit)
            {
                let (tok, end) = number(line, col, row)?;
                out.push(Token {
                    tok,
                    line: row + 1,
                    col: start,
                });
                col = end;
                continue;
            }
            let rest: String = line[col..line.len().min(col + 3)].iter().collect();
            let Some(op) = OPS.iter().find(|op| rest.starts_with(**op)) else {
                return Err(SyntaxError::new(
                    row + 1,
                    col,
                    format!("invalid character '{c}' (U+{:04X})", c as u32),
                ));
            };
            match *op {
                "(" | "[" | "{" => {
                    if brackets.len() >= MAX_BRACKETS {
                        return Err(SyntaxError::new(
                            row + 1,
                            col,
                            "too many nested parentheses".into(),
                        ));
                    }
                    brackets.push((c, row + 1, col));
                }
                ")" | "]" | "}" => {
                    let open = match c {
                        ')' => '(',
                        ']' => '[',
                        _ => '{',
                    };
                    match brackets.pop() {
                        Some((o, _, _)) if o == open => {}
                        Some((o, l, oc)) => {
                            let msg = if l == row + 1 {
                                format!("closing parenthesis '{c}' does not match opening parenthesis '{o}'")
                            } else {
                                format!("closing parenthesis '{c}' does not match opening parenthesis '{o}' on line {l}")
                            };
                            let _ = oc;
                            return Err(SyntaxError::new(row + 1, col, msg));
                        }
                        None => {
                            return Err(SyntaxError::new(row + 1, col, format!("unmatched '{c}'")));
                        }
                    }
                }
                _ => {}
            }
            out.push(Token {
                tok: Tok::Op(op),
                line: row + 1,
                col,
            });
            col += op.chars().count();
        }
        if row >= lines.len() {
            break;
        }
        joined = continued;
        if brackets.is_empty()
            && !continued
            && out.last().is_some_and(|t| {
                t.tok != Tok::Newline && t.tok != Tok::Indent && t.tok != Tok::Dedent
            })
        {
            out.push(Token {
                tok: Tok::Newline,
                line: row + 1,
                col: lines[row].len(),
            });
        }
        row += 1;
    }
    if let Some((o, l, c)) = brackets.pop() {
        return Err(SyntaxError::new(l, c, format!("'{o}' was never closed")));
    }
    let end_line = lines.len() + 1;
    if out
        .last()
        .is_some_and(|t| t.tok != Tok::Newline && t.tok != Tok::Dedent)
    {
        out.push(Token {
            tok: Tok::Newline,
            line: end_line - 1,
            col: 0,
        });
    }
    for _ in 1..indents.len() {
        out.push(Token {
            tok: Tok::Dedent,
            line: end_line,
            col: 0,
        });
    }
    out.push(Token {
        tok: Tok::End,
        line: end_line,
        col: 0,
    });
    Ok(())
}

/// Whether a string starts at `col`: its prefix (lower case: `r`, `f`, `rf`, `b`...), and
/// whether it is an f-string and whether raw.
fn string_start(line: &[char], col: usize) -> Option<(String, bool, bool)> {
    (0..=2).find_map(|k| {
        let quote = line.get(col + k).is_some_and(|c| *c == '\'' || *c == '"');
        let prefix: String = line
            .get(col..col + k)?
            .iter()
            .collect::<String>()
            .to_ascii_lowercase();
        let valid = matches!(
            prefix.as_str(),
            "" | "r" | "f" | "rf" | "fr" | "b" | "br" | "rb" | "u"
        );
        // A prefix must not be the end of a longer name (`elif'...` is not one).
        let alone = col == 0
            || !line
                .get(col - 1)
                .is_some_and(|c| c.is_alphanumeric() || *c == '_');
        (quote && valid && (k == 0 || alone)).then(|| {
            let (f, raw) = (prefix.contains('f'), prefix.contains('r'));
            (prefix, f, raw)
        })
    })
}

/// A number starting at `col`: the token and where it ends.
fn number(line: &[char], col: usize, row: usize) -> Result<(Tok, usize), SyntaxError> {
    let mut end = col;
    let radix = if line[col] == '0' {
        match line.get(col + 1).map(|c| c.to_ascii_lowercase()) {
            Some('x') => 16,
            Some('o') => 8,
            Some('b') => 2,
            _ => 10,
        }
    } else {
        10
    };
    let bad = |msg: &str| SyntaxError::new(row + 1, col, msg.to_string());
    if radix != 10 {
        end += 2;
        let from = end;
        while end < line.len() && (line[end].is_digit(radix) || line[end] == '_') {
            end += 1;
        }
        let digits: String = line[from..end].iter().filter(|c| **c != '_').collect();
        let v = i64::from_str_radix(&digits, radix)
            .map_err(|_| bad("this integer is too large for Interleave (it keeps 64 bits)"))?;
        return Ok((Tok::Int(v), end));
    }
    let mut float = false;
    while end < line.len() {
        let c = line[end];
        if c.is_ascii_digit() || c == '_' {
            end += 1;
        } else if c == '.' && !float {
            float = true;
            end += 1;
        } else if (c == 'e' || c == 'E')
            && (line.get(end + 1).is_some_and(char::is_ascii_digit)
                || matches!(line.get(end + 1), Some('+' | '-'))
                    && line.get(end + 2).is_some_and(char::is_ascii_digit))
        {
            float = true;
            end += 2;
        } else {
            break;
        }
    }
    if line.get(end).is_some_and(|c| *c == 'j' || *c == 'J') {
        return Err(SyntaxError::unsupported(
            row + 1,
            col,
            "complex numbers are",
        ));
    }
    if line
        .get(end)
        .is_some_and(|c| c.is_alphanumeric() || *c == '_')
    {
        return Err(SyntaxError::new(
            row + 1,
            col,
            "invalid decimal literal".into(),
        ));
    }
    let text: String = line[col..end].iter().filter(|c| **c != '_').collect();
    if float {
        let v: f64 = text.parse().map_err(|_| bad("invalid decimal literal"))?;
        Ok((Tok::Float(v), end))
    } else {
        if text.len() > 1 && text.starts_with('0') && text.chars().any(|c| c != '0') {
            return Err(bad(
                "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
            ));
        }
        let v: i64 = text
            .parse()
            .map_err(|_| bad("this integer is too large for Interleave (it keeps 64 bits)"))?;
        Ok((Tok::Int(v), end))
    }
}

/// A string literal whose quote is at `lines[row][col]`: the token, and the row and column just
/// after it (a triple-quoted string may end on a later line).
fn string(
    lines: &[Vec<char>],
    row: usize,
    col: usize,
    f: bool,
    raw: bool,
) -> Result<(Tok, usize, usize), SyntaxError> {
    let q = lines[row][col];
    let triple = lines[row].get(col + 1) == Some(&q) && lines[row].get(col + 2) == Some(&q);
    let (mut r, mut c) = (row, col + if triple { 3 } else { 1 });
    let mut text = String::new();
    let unterminated = || {
        SyntaxError::new(
            row + 1,
            col,
            format!("unterminated string literal (detected at line {})", row + 1),
        )
    };
    loop {
        let line = &lines[r];
        if c >= line.len() {
            if !triple {
                return Err(unterminated());
            }
            r += 1;
            c = 0;
            if r >= lines.len() {
                return Err(SyntaxError::new(
                    row + 1,
                    col,
                    format!(
                        "unterminated triple-quoted string literal (detected at line {})",
                        lines.len()
                    ),
                ));
            }
            text.push('\n');
            continue;
        }
        let ch = line[c];
        if ch == q && (!triple || line.get(c + 1) == Some(&q) && line.get(c + 2) == Some(&q)) {
            c += if triple { 3 } else { 1 };
            break;
        }
        if ch == '\\' {
            if c + 1 >= line.len() {
                // A backslash at the end of a line joins the next one.
                if raw || f {
                    text.push('\\');
                    text.push('\n');
                }
                r += 1;
                c = 0;
                if r >= lines.len() {
                    return Err(unterminated());
                }
                continue;
            }
            if raw || f {
                // Kept as written: raw strings keep it, f-strings undo it with their parts.
                text.push('\\');
                text.push(line[c + 1]);
                c += 2;
                continue;
            }
            let (decoded, used) = escape(line, c).map_err(|msg| SyntaxError::new(r + 1, c, msg))?;
            text.push_str(&decoded);
            c += used;
            continue;
        }
        text.push(ch);
        c += 1;
    }
    Ok((Tok::Str { text, f, raw }, r, c))
}

/// The escape at `line[at]` (a backslash): what it stands for and how many characters it took.
pub fn escape(line: &[char], at: usize) -> Result<(String, usize), String> {
    let next = line.get(at + 1).copied().unwrap_or('\\');
    let simple = match next {
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        '\\' => Some('\\'),
        '\'' => Some('\''),
        '"' => Some('"'),
        '0' if !line.get(at + 2).is_some_and(|c| c.is_digit(8)) => Some('\0'),
        'a' => Some('\x07'),
        'b' => Some('\x08'),
        'f' => Some('\x0c'),
        'v' => Some('\x0b'),
        _ => None,
    };
    if let Some(ch) = simple {
        return Ok((ch.to_string(), 2));
    }
    let hex = |n: usize| -> Result<(String, usize), String> {
        let digits: String = line.get(at + 2..at + 2 + n).unwrap_or(&[]).iter().collect();
        let v = u32::from_str_radix(&digits, 16)
            .ok()
            .filter(|_| digits.len() == n)
            .ok_or_else(|| format!("(unicode error) 'unicodeescape' codec can't decode bytes: truncated \\{}{} escape", next, "X".repeat(n)))?;
        let ch = char::from_u32(v).ok_or("(unicode error) illegal Unicode character")?;
        Ok((ch.to_string(), 2 + n))
    };
    match next {
        'x' => hex(2),
        'u' => hex(4),
        'U' => hex(8),
        '0'..='7' => {
            let mut n = 1;
            while n < 3 && line.get(at + 1 + n).is_some_and(|c| c.is_digit(8)) {
                n += 1;
            }
            let digits: String = line[at + 1..at + 1 + n].iter().collect();
            let v = u32::from_str_radix(&digits, 8).unwrap_or(0);
            Ok((char::from_u32(v).unwrap_or('\u{fffd}').to_string(), 1 + n))
        }
        // Unknown escapes stay as written (CPython warns).
        other => Ok(format!("\\{other}")
            .chars()
            .collect::<String>()
            .chars()
            .take(2)
            .collect::<String>())
        .map(|s| (s, 2)),
    }
}
