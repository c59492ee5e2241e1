//! `bot-invitations`: inviting friends one by one, or all at once.

use crate::engine::lang::params::{choice_param, number_param, Kind, Spec, Unit, Values, SEED};
use crate::engine::lang::program::build::*;
use crate::engine::lang::program::{Expr, OnMainReturn, Program};

pub(super) const EXPLAIN: &str = "Each friend takes a while to reply, longer when busy. Awaiting \
every invitation before sending the next adds all the delays up; sending them all and gathering \
the replies takes only as long as the slowest. Friends on sick leave, and Pretbot, who is \
already ill, get a get-well message at the end.";

const NAMES: [&str; 5] = [
    "Smart Bot",
    "Volter Bot",
    "Fintech Bot",
    "Pepper Bot",
    "CloudBot",
];

const fn millis(
    name: &'static str,
    label: &'static str,
    default: &'static str,
    max: f64,
    help: &'static str,
) -> Spec {
    number_param(name, label, default, max, Unit::Millis, help)
}

pub(super) const PARAMS: &[Spec] = &[
    Spec {
        name: "bots",
        label: "Friends",
        kind: Kind::Integer {
            min: 1,
            max: 10_000,
            unit: Unit::Count,
        },
        default: "5",
        help: "How many friends are invited.",
    },
    millis(
        "reply_ms",
        "Reply takes",
        "30",
        60_000.0,
        "How long a friend takes to reply.",
    ),
    millis(
        "own_ms",
        "Own work",
        "0.5",
        1000.0,
        "What the inviting bot spends on each invitation.",
    ),
    Spec {
        name: "busy_extra_ms",
        label: "Busy friends add up to",
        kind: Kind::Integer {
            min: 0,
            max: 60_000,
            unit: Unit::Millis,
        },
        default: "5",
        help: "A busy friend replies 1 to this many ms later (0: never later).",
    },
    choice_param(
        "mode",
        "Mode",
        &["one_by_one", "all_at_once"],
        "one_by_one",
        "Await each invitation, or gather them all.",
    ),
    SEED,
];

fn ms(e: Expr) -> Expr {
    div(e, int(1000))
}

pub(super) fn build(v: &Values) -> Program {
    let mut s = Steps::default();
    let bots = v.int("bots") as i64;
    let busy_extra = v.int("busy_extra_ms") as i64;

    let mut invite_body = vec![s.let_("extra", int(0))];
    if busy_extra > 0 {
        let roll = s.let_(
            "extra",
            Expr::RandInt(Box::new(int(1)), Box::new(int(busy_extra))),
        );
        invite_body.push(s.if_(eq(var("status"), text("busy")), vec![roll], vec![]));
    }
    let delay = add(lit(v.number("reply_ms")), var("extra"));
    invite_body.extend([
        s.let_(
            "reply",
            Expr::Choice(vec![text("accept"), text("reject"), text("on sick leave")]),
        ),
        s.sleep(ms(lit(v.number("own_ms")))),
        s.sleep(ms(delay.clone())),
        s.print(vec![fmt(vec![
            var("name"),
            text(": "),
            var("reply"),
            text(" after "),
            delay,
            text(" ms"),
        ])]),
        s.ret(var("reply")),
    ]);
    let invite = func("invite", &["name", "status"], invite_body);

    let first: Vec<Expr> = NAMES.iter().take(bots as usize).map(|n| text(n)).collect();
    let mut names = list(first);
    if bots > 5 {
        names = add(
            names,
            comprehension(
                fmt(vec![text("Bot "), add(var("i"), int(6))]),
                "i",
                range(int(bots - 5)),
            ),
        );
    }
    let invite_i = || {
        call(
            "invite",
            vec![
                index(var("names"), var("i")),
                index(var("statuses"), var("i")),
            ],
        )
    };
    let mark_sick = |s: &mut Steps, reply: Expr| {
        let add_sick = s.let_(
            "sick",
            add(var("sick"), list(vec![index(var("names"), var("i"))])),
        );
        s.if_(eq(reply, text("on sick leave")), vec![add_sick], vec![])
    };
    let mut main_body = vec![
        s.let_("names", names),
        s.let_(
            "statuses",
            comprehension(
                Expr::Choice(vec![text("online"), text("offline"), text("busy")]),
                "_",
                var("names"),
            ),
        ),
        s.let_("sick", list(vec![text("Pretbot")])),
    ];
    if v.choice("mode") == "all_at_once" {
        main_body.push(s.gather(
            Some("replies"),
            comprehension(invite_i(), "i", range(int(bots))),
        ));
        let sick = mark_sick(&mut s, index(var("replies"), var("i")));
        main_body.push(s.for_("i", range(int(bots)), vec![sick]));
    } else {
        let ask = s.await_(Some("reply"), invite_i());
        let sick = mark_sick(&mut s, var("reply"));
        main_body.push(s.for_("i", range(int(bots)), vec![ask, sick]));
    }
    let get_well = s.print(vec![fmt(vec![
        text("Hi "),
        var("name"),
        text(", get well soon!"),
    ])]);
    main_body.push(s.for_("name", var("sick"), vec![get_well]));
    let mut p = program(
        vec![invite, func("main", &[], main_body)],
        OnMainReturn::CancelPending,
    );
    p.seed = Some(v.int("seed"));
    p
}
