//! Property tests over everything a user or a link can type: the share-link decoder and every
//! parameter parser get a million generated inputs between them. None may panic, and every
//! rejection must come with a message (naming the valid range, for a field).
#![cfg(not(target_arch = "wasm32"))]

use interleave::engine::edges::url::{decode, encode, percent_encode};
use interleave::engine::lang::rng::Rng;
use interleave::engine::lang::scenarios::CATALOG;

const PIECES: &[&str] = &[
    "0",
    "1",
    "2",
    "9",
    "10",
    "60",
    "600",
    "0.5",
    ".",
    "-",
    "+",
    "e",
    "E",
    "5e2",
    "1e308",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "0x1F",
    " ",
    "\t",
    "\n",
    ",",
    ",,",
    "%",
    "%2C",
    "%zz",
    "%E2%82",
    "&",
    "=",
    "?",
    "#",
    "/",
    "\\",
    "'",
    "\"",
    "<script>",
    "</",
    "é",
    "😀",
    "\u{0}",
    "\u{202e}",
    "speed",
    "sleep_s",
    "tasks",
    "durations",
    "mode",
    "gather",
    "autorun",
    "seed",
    "hello-world",
    "cooking",
    "many-tasks",
    "4294967295",
    "4294967296",
    "99999999999999999999",
    "000",
    "1_000",
    "١",
    "  7  ",
    "true",
    "None",
];

fn text(rng: &mut Rng, max_pieces: u64) -> String {
    let n = rng.below(max_pieces + 1);
    let mut s = String::new();
    for _ in 0..n {
        if rng.below(4) == 0 {
            // A random code point now and then, valid or odd.
            let c = char::from_u32(rng.below(0x2_0000) as u32).unwrap_or('?');
            s.push(c);
        } else {
            s.push_str(PIECES[rng.below(PIECES.len() as u64) as usize]);
        }
    }
    s
}

const PARAM_INPUTS: u64 = 600_000;
const LINK_INPUTS: u64 = 400_000;

#[test]
fn a_million_generated_inputs_never_panic_and_every_rejection_is_explained() {
    let mut rng = Rng::new(2026);
    let specs: Vec<_> = CATALOG.iter().flat_map(|s| s.specs()).collect();
    let (mut accepted, mut rejected) = (0u64, 0u64);
    for _ in 0..PARAM_INPUTS {
        let spec = &specs[rng.below(specs.len() as u64) as usize];
        let input = text(&mut rng, 4);
        match spec.parse(&input) {
            Ok(v) => {
                accepted += 1;
                // What is accepted survives a round trip through its canonical text.
                assert_eq!(spec.parse(&v.to_string()), Ok(v), "{} {input:?}", spec.name);
            }
            Err(msg) => {
                rejected += 1;
                assert!(
                    msg.contains(&spec.range()),
                    "{} {input:?}: {msg}",
                    spec.name
                );
            }
        }
    }
    let mut links_with_problems = 0u64;
    for i in 0..LINK_INPUTS {
        let mut link = String::from("#");
        if i % 2 == 0 {
            link.push_str(CATALOG[rng.below(14) as usize].id);
        }
        link.push_str(&text(&mut rng, 8));
        let decoded = decode(&link);
        let (_, errors) = decoded.scenario.parse(|name| {
            decoded
                .texts
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| t.as_str())
        });
        if !decoded.problems.is_empty() || !errors.is_empty() {
            links_with_problems += 1;
        }
        assert!(decoded.problems.iter().all(|p| !p.is_empty()));
        assert!(errors.iter().all(|(_, m)| !m.is_empty()));
        // Whatever was decoded encodes into a link that decodes to the same thing.
        let again = decode(&encode(
            decoded.scenario,
            decoded.texts.iter().map(|(n, t)| (*n, t.as_str())),
            decoded.autorun,
        ));
        assert_eq!(again.scenario, decoded.scenario);
        assert_eq!(again.autorun, decoded.autorun);
        for (name, text) in &decoded.texts {
            if let Some((_, t)) = again.texts.iter().find(|(n, _)| n == name) {
                assert_eq!(t.trim(), text.trim(), "{link:?}");
            }
        }
        let _ = percent_encode(&link);
    }
    println!(
        "{} inputs: {accepted} field values accepted, {rejected} rejected with a message; \
         {LINK_INPUTS} links, {links_with_problems} with problems reported",
        PARAM_INPUTS + LINK_INPUTS
    );
    assert!(
        accepted > 1000 && rejected > 100_000,
        "the generator reaches both sides"
    );
}
