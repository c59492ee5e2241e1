//! The share-link codec: a scenario, its values and the speed in the URL fragment,
//! `#<scenario-id>?<param>=<value>&...&speed=<x>[&autorun=1]`, names from the catalog.
//!
//! A link is untrusted input: decoding never panics, keeps what it understands, and reports
//! everything else so the page can say it next to the right field.

use crate::engine::lang::params::Values;
use crate::engine::lang::scenarios::{find, ScenarioInfo, CATALOG};
use crate::engine::view::app::Opened;

/// Links longer than this are refused outright.
pub const MAX_LINK: usize = 64 * 1024;

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes `%XX` escapes and `+` as a space; invalid escapes are kept as they are, and invalid
/// UTF-8 becomes U+FFFD.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Escapes everything but unreserved characters and `,` (lists stay readable).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b',') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Shortens untrusted text for a message.
fn shown(s: &str) -> String {
    let mut t: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        t.push('…');
    }
    crate::engine::lang::value::rust_quote(&t)
}

/// Decodes a fragment (with or without the leading `#`) into what it asks for: the scenario
/// (the first one if the id is missing or unknown), the raw text of each known parameter it
/// sets, its flags, and what it got wrong that is not about a field.
pub fn decode(fragment: &str) -> Opened {
    let mut link = Opened {
        scenario: &CATALOG[0],
        texts: Vec::new(),
        autorun: false,
        at: None,
        embed: false,
        compare: None,
        problems: Vec::new(),
    };
    if fragment.len() > MAX_LINK {
        link.problems.push(format!(
            "The link is longer than {MAX_LINK} characters and was ignored."
        ));
        return link;
    }
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.is_empty() {
        return link;
    }
    let (id, query) = fragment.split_once('?').unwrap_or((fragment, ""));
    let id = percent_decode(id);
    match find(&id) {
        Some(s) => link.scenario = s,
        // A program of code mode's: the studio reads it (see `code_link`).
        None if id == "code" => return link,
        None => {
            link.problems.push(format!(
                "The link names no known scenario ({}); showing {} instead.",
                shown(&id),
                CATALOG[0].id
            ));
            return link;
        }
    }
    let specs = link.scenario.specs();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = percent_decode(name);
        let value = percent_decode(value);
        if name == "autorun" || name == "embed" {
            let flag = match value.as_str() {
                "1" | "true" | "yes" => true,
                "0" | "false" | "no" => false,
                _ => {
                    link.problems
                        .push(format!("{name} takes 1 or 0, not {}.", shown(&value)));
                    continue;
                }
            };
            if name == "embed" {
                link.embed = flag;
            } else {
                link.autorun = flag;
            }
            continue;
        }
        if name == "compare" {
            link.compare = Some(value);
            continue;
        }
        if name == "t" {
            match value.parse::<f64>() {
                Ok(t) if t.is_finite() && t >= 0.0 => link.at = Some(t),
                _ => link.problems.push(format!(
                    "t takes a time in seconds from the start, not {}.",
                    shown(&value)
                )),
            }
            continue;
        }
        match specs.iter().find(|s| s.name == name) {
            Some(spec) => match link.texts.iter_mut().find(|(n, _)| *n == spec.name) {
                Some(entry) => entry.1 = value,
                None => link.texts.push((spec.name, value)),
            },
            None => link.problems.push(format!(
                "{} has no parameter {}; it was ignored.",
                link.scenario.id,
                shown(&name)
            )),
        }
    }
    link
}

/// Encodes a scenario and its field texts (as typed, valid or not) into a fragment, without `#`.
/// Values equal to their default are left out, except `speed`, which is always there.
pub fn encode<'a>(
    scenario: &ScenarioInfo,
    texts: impl IntoIterator<Item = (&'a str, &'a str)>,
    autorun: bool,
) -> String {
    let specs = scenario.specs();
    let mut parts = Vec::new();
    for (name, text) in texts {
        let Some(spec) = specs.iter().find(|s| s.name == name) else {
            continue;
        };
        if text.trim() == spec.default && name != "speed" {
            continue;
        }
        parts.push(format!("{}={}", name, percent_encode(text.trim())));
    }
    if autorun {
        parts.push("autorun=1".into());
    }
    if parts.is_empty() {
        scenario.id.to_string()
    } else {
        format!("{}?{}", scenario.id, parts.join("&"))
    }
}

/// `link` with the time cursor at `at` (scenario seconds, to the millisecond).
pub fn with_cursor(link: &str, at: f64) -> String {
    with(
        link,
        &format!("t={}", crate::engine::lang::value::seconds_ms(at)),
    )
}

/// `link` with one more `name=value` pair.
pub fn with(link: &str, pair: &str) -> String {
    let sep = if link.contains('?') { '&' } else { '?' };
    format!("{link}{sep}{pair}")
}

/// Encodes valid values (canonical texts).
pub fn encode_values(scenario: &ScenarioInfo, values: &Values, autorun: bool) -> String {
    let texts: Vec<(&str, String)> = values.iter().map(|(n, v)| (n, v.to_string())).collect();
    encode(
        scenario,
        texts.iter().map(|(n, t)| (*n, t.as_str())),
        autorun,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_carries_the_cursor() {
        let link = decode("#fetch-and-count?speed=10&t=2.5&autorun=1");
        assert_eq!(link.at, Some(2.5));
        assert!(link.problems.is_empty());
        for bad in ["-1", "x", "inf", "NaN", ""] {
            let link = decode(&format!("fetch-and-count?t={bad}"));
            assert_eq!(link.at, None);
            assert_eq!(link.problems.len(), 1, "{bad}");
        }
        assert_eq!(with_cursor("cooking", 1.25), "cooking?t=1.25");
        assert_eq!(
            with_cursor("cooking?mode=gather", 2.0),
            "cooking?mode=gather&t=2"
        );
        assert_eq!(decode(&with_cursor("cooking", 1.0 / 3.0)).at, Some(0.333));
    }

    #[test]
    fn a_link_carries_a_run_to_compare_with() {
        let other = "cooking?mode=one_after_another&speed=20";
        let link = decode(&with(
            "cooking?mode=gather&speed=20",
            &format!("compare={}", percent_encode(other)),
        ));
        assert_eq!(link.compare.as_deref(), Some(other));
        assert_eq!(
            link.texts,
            [("mode", "gather".into()), ("speed", "20".into())]
        );
        assert!(link.problems.is_empty());
        assert_eq!(decode("cooking").compare, None);
    }

    #[test]
    fn a_link_can_ask_for_the_embed_view() {
        assert!(decode("cooking?embed=1").embed);
        assert!(!decode("cooking?embed=0").embed);
        assert!(!decode("cooking").embed);
        let bad = decode("cooking?embed=maybe");
        assert_eq!(bad.problems, ["embed takes 1 or 0, not \"maybe\"."]);
    }

    #[test]
    fn a_link_round_trips() {
        let s = find("fetch-and-count").unwrap();
        let (values, errors) = s.parse(|n| match n {
            "count" => Some("3"),
            "speed" => Some("10"),
            _ => None,
        });
        assert!(errors.is_empty());
        let frag = encode_values(s, &values, true);
        assert_eq!(frag, "fetch-and-count?count=3&speed=10&autorun=1");
        let link = decode(&format!("#{frag}"));
        assert_eq!(link.scenario.id, "fetch-and-count");
        assert!(link.autorun);
        assert!(link.problems.is_empty());
        let (back, errors) = s.parse(|n| {
            link.texts
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| v.as_str())
        });
        assert!(errors.is_empty());
        assert_eq!(back, values);
    }

    #[test]
    fn lists_and_escapes_survive() {
        let s = find("cooking").unwrap();
        let frag = encode(s, [("durations", "1, 2.5,3"), ("mode", "gather")], false);
        assert_eq!(
            frag,
            "cooking?durations=1%2C%202.5%2C3&mode=gather".replace("%2C", ",")
        );
        let link = decode(&frag);
        assert_eq!(link.texts[0], ("durations", "1, 2.5,3".to_string()));
    }

    #[test]
    fn bad_links_are_explained_not_obeyed() {
        let link = decode("#no-such-thing?x=1");
        assert_eq!(link.scenario.id, "hello-world");
        assert!(link.problems[0].contains("no known scenario"));

        let link = decode("#hello-world?sleep_s=-4&bogus=1&autorun=maybe");
        assert_eq!(link.texts, [("sleep_s", "-4".to_string())]);
        assert!(!link.autorun);
        assert_eq!(link.problems.len(), 2, "{:?}", link.problems);
        let (_, errors) = link.scenario.parse(|n| {
            link.texts
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| v.as_str())
        });
        assert_eq!(errors[0].0, "sleep_s");

        for weird in [
            "",
            "#",
            "#?",
            "#%",
            "#%zz?%",
            "#hello-world?=&&=&%",
            "#hello-world?sleep_s=%E2%82",
        ] {
            let _ = decode(weird);
        }
        let huge = "#hello-world?".to_string() + &"a".repeat(MAX_LINK);
        assert!(decode(&huge).problems[0].contains("longer"));
    }

    #[test]
    fn percent_coding() {
        assert_eq!(percent_decode("a%20b+c%2"), "a b c%2");
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("%4"), "%4");
        assert_eq!(percent_decode("%41"), "A");
        assert_eq!(percent_encode("<script>"), "%3Cscript%3E");
        assert_eq!(percent_decode(&percent_encode("é <x> & =")), "é <x> & =");
    }
}

/// The longest link a program is shared by, in characters: RFC 9110 asks every sender and
/// recipient of a URI to handle at least 8,000 octets, and chat and course tools cut longer ones.
/// A program whose link would be longer is shared as a file instead.
pub const MAX_SHARED_LINK: usize = 8_000;

/// The most bytes a link's program may unpack to: the longest program the editor takes, in
/// characters of at most four bytes each.
const MAX_PROGRAM_BYTES: usize = 4 * crate::engine::lang::python::parser::MAX_SOURCE;

/// The link fragment of a code mode program at `speed`: `code?z=<base64url of the UTF-8
/// source, DEFLATE-compressed>&speed=<speed>`.
pub fn code_link(source: &str, speed: f64) -> String {
    let packed = crate::engine::edges::deflate::compress(source.as_bytes());
    format!(
        "code?z={}&speed={}",
        base64url(&packed),
        crate::engine::lang::value::seconds(speed)
    )
}

/// What a code mode link (`code?z=...&speed=...&autorun=1`) holds.
#[derive(Debug, Default, PartialEq)]
pub struct CodeLink {
    /// Its program, or why it cannot be read; `None` if it has none.
    pub source: Option<Result<String, String>>,
    /// Its speed, as written.
    pub speed: Option<String>,
    /// It asks to run at once.
    pub autorun: bool,
}

/// Reads a code mode link (with or without its `#`). `z` holds the program compressed (see
/// [`code_link`]); `src`, as the first links had it, uncompressed.
pub fn code_link_parts(link: &str) -> CodeLink {
    let query = link
        .trim_start_matches('#')
        .strip_prefix("code")
        .unwrap_or("")
        .trim_start_matches('?');
    let damaged = || "the program in the link is damaged".to_string();
    let mut out = CodeLink::default();
    for pair in query.split('&') {
        match pair.split_once('=').unwrap_or((pair, "")) {
            ("z", z) => {
                out.source = Some(
                    unbase64url(z)
                        .ok_or_else(damaged)
                        .and_then(|packed| {
                            crate::engine::edges::deflate::decompress(&packed, MAX_PROGRAM_BYTES)
                                .map_err(|why| {
                                    format!("the program in the link cannot be unpacked: {why}")
                                })
                        })
                        .and_then(|bytes| String::from_utf8(bytes).map_err(|_| damaged())),
                )
            }
            ("src", src) => {
                out.source = Some(
                    unbase64url(src)
                        .and_then(|bytes| String::from_utf8(bytes).ok())
                        .ok_or_else(damaged),
                )
            }
            ("speed", speed) => out.speed = Some(percent_decode(speed)),
            ("autorun", flag) => out.autorun = matches!(flag, "1" | "true" | "yes"),
            _ => {}
        }
    }
    out
}

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Bytes in base64url, without padding.
fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 3);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(BASE64URL[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

/// The bytes of base64url text (padding allowed), or `None` if it is not.
fn unbase64url(text: &str) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in text.trim_end_matches('=').bytes() {
        let v = BASE64URL.iter().position(|a| *a == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((acc >> bits) as u8);
        }
    }
    Some(bytes)
}

#[cfg(test)]
mod code_link_tests {
    use super::*;

    #[test]
    fn a_program_goes_through_a_link_and_back() {
        for src in ["", "a", "ab", "import asyncio\nprint('héllo ✓')\n"] {
            let link = code_link(src, 2.0);
            assert!(
                link.starts_with("code?z=") && link.ends_with("&speed=2"),
                "{link}"
            );
            let parts = code_link_parts(&format!("#{link}&autorun=1"));
            assert_eq!(parts.source, Some(Ok(src.to_string())));
            assert_eq!(parts.speed.as_deref(), Some("2"));
            assert!(parts.autorun);
        }
        // The first links held the program uncompressed.
        let old = code_link_parts("code?src=cHJpbnQoMSkK&speed=1");
        assert_eq!(old.source, Some(Ok("print(1)\n".to_string())));
        assert!(!old.autorun);
    }

    #[test]
    fn a_damaged_program_is_told_not_read() {
        let bad = |link: &str| match code_link_parts(link).source {
            Some(Err(why)) => why,
            other => panic!("{link}: {other:?}"),
        };
        assert_eq!(bad("code?src=a$b"), "the program in the link is damaged");
        assert_eq!(bad("code?z=a$b"), "the program in the link is damaged");
        assert_eq!(
            bad("code?z=AAAA"),
            "the program in the link cannot be unpacked: it is cut short"
        );
        assert_eq!(code_link_parts("code?speed=3").source, None);
    }

    #[test]
    fn a_long_program_packs_into_a_short_link() {
        let program = std::fs::read_to_string("tests/programs/code/queue_workers.py")
            .unwrap_or_else(|_| "import asyncio\n".repeat(200));
        let link = code_link(&program, 1.0);
        assert!(
            link.len() * 2 < program.len(),
            "{} for {}",
            link.len(),
            program.len()
        );
    }
}
