//! Tier 1: properties over generated inputs, with shrinking (proptest): numbers print as Python
//! prints them and read back, typed values survive their share-link text, merged lanes cover
//! what they merged, CPython's random stays in range.
#![cfg(not(target_arch = "wasm32"))]

use interleave::engine::lang::params::{Kind, Spec, Unit};
use interleave::engine::lang::rng::Rng;
use interleave::engine::lang::value::python_float;
use interleave::engine::record::fold::decimate;
use interleave::engine::record::trace::{Segment, SegmentKind};
use proptest::prelude::*;

const SECONDS: Spec = Spec {
    name: "s",
    label: "S",
    kind: Kind::Number {
        min: 0.0,
        max: 1e9,
        unit: Unit::Seconds,
    },
    default: "1",
    help: "",
};

proptest! {
    #[test]
    fn a_float_prints_as_text_python_reads_back_the_same(x in any::<f64>().prop_filter("finite", |x| x.is_finite())) {
        let text = python_float(x);
        // Python's float() reads what repr() writes; Rust's parser reads the same grammar here.
        let back: f64 = text.parse().expect("a number");
        prop_assert_eq!(back.to_bits(), x.to_bits(), "{}", text);
        let exp = text.contains('e');
        prop_assert_eq!(exp, x != 0.0 && !(1e-4..1e16).contains(&x.abs()), "{}", text);
        prop_assert!(exp || text.contains('.'), "{}", text);
    }

    #[test]
    fn a_typed_number_survives_its_link_text(int in 0u64..1_000_000_000, frac in proptest::option::of(0u32..1_000_000)) {
        let typed = match frac {
            Some(f) => format!("{int}.{f:06}"),
            None => int.to_string(),
        };
        let v = SECONDS.parse(&typed).expect("valid");
        let again = SECONDS.parse(&v.to_string()).expect("its text is valid");
        prop_assert_eq!(again, v);
    }

    #[test]
    fn merged_lanes_cover_what_they_merged(lengths in proptest::collection::vec(0.0001f64..3.0, 1..200), res in 0.0f64..2.0) {
        let mut at = 0.0;
        let segments: Vec<Segment> = lengths.iter().enumerate().map(|(i, d)| {
            let s = Segment { from: at, to: at + d, kind: if i % 2 == 0 { SegmentKind::Running } else { SegmentKind::Ready } };
            at += d;
            s
        }).collect();
        let merged = decimate(segments.clone(), res);
        prop_assert!(merged.len() <= segments.len());
        prop_assert_eq!(merged.first().map(|s| s.from), Some(0.0));
        prop_assert_eq!(merged.last().map(|s| s.to), segments.last().map(|s| s.to));
        for w in merged.windows(2) {
            prop_assert_eq!(w[0].to, w[1].from);
        }
    }

    #[test]
    fn cpython_draws_stay_in_range(seed in any::<u64>(), n in 1u64..u64::MAX, lo in -1000i64..1000, span in 0i64..1000) {
        let mut r = Rng::new(seed);
        prop_assert!(r.below(n) < n);
        let x = r.randint(lo, lo + span);
        prop_assert!((lo..=lo + span).contains(&x));
        let f = r.random();
        prop_assert!((0.0..1.0).contains(&f));
    }
}
