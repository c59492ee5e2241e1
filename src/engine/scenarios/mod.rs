//! The scenario catalog: the programs that the seed documents describe, one entry each.
//!
//! Ids are the public contract (share links and tests use them), so they never change.

use std::fmt;

/// The seed document a scenario comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Seed {
    /// 000: a bot inviting friends, one by one or all at once.
    BotParty,
    /// 001: asyncio's `await`, `create_task`, and a dinner date.
    AsyncioBasics,
    /// 002: a hand-written polling scheduler and generator chains.
    PollingInDepth,
    /// 003: coroutines that block, and `gather`.
    Coroutines,
    /// 004: cooking while the water boils.
    Kitchen,
}

impl Seed {
    /// The seed's number, as the catalog writes it (`000` to `004`).
    pub fn number(self) -> &'static str {
        match self {
            Seed::BotParty => "000",
            Seed::AsyncioBasics => "001",
            Seed::PollingInDepth => "002",
            Seed::Coroutines => "003",
            Seed::Kitchen => "004",
        }
    }

    /// A short title for the seed document.
    pub fn title(self) -> &'static str {
        match self {
            Seed::BotParty => "Invitations to a bot party",
            Seed::AsyncioBasics => "asyncio: await, tasks and a dinner date",
            Seed::PollingInDepth => "Under the hood: polling and generators",
            Seed::Coroutines => "Coroutines, blocking sleeps and gather",
            Seed::Kitchen => "Cooking while the water boils",
        }
    }
}

impl fmt::Display for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "seed {}", self.number())
    }
}

/// What the catalog says about one scenario, independent of its parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScenarioInfo {
    /// The stable id used in share links and tests, e.g. `fetch-and-count`.
    pub id: &'static str,
    /// A short human title.
    pub title: &'static str,
    /// One line on what the scenario shows.
    pub summary: &'static str,
    /// The seed documents it comes from (most have one).
    pub seeds: &'static [Seed],
}

/// Every scenario, in catalog order.
pub const CATALOG: [ScenarioInfo; 14] = [
    ScenarioInfo {
        id: "hello-world",
        title: "Hello, pause, World",
        summary: "One coroutine prints, yields to the loop for a sleep, and prints again.",
        seeds: &[Seed::AsyncioBasics],
    },
    ScenarioInfo {
        id: "main-and-foo",
        title: "await vs create_task",
        summary: "Awaiting a coroutine runs it in line; a task runs only once main lets go.",
        seeds: &[Seed::AsyncioBasics],
    },
    ScenarioInfo {
        id: "fetch-and-count",
        title: "Two tasks interleaving",
        summary: "A slow fetch and a fast counter share one thread, turn by turn.",
        seeds: &[Seed::AsyncioBasics],
    },
    ScenarioInfo {
        id: "restaurant",
        title: "Waiting for an order, three ways",
        summary: "Wait at the table, eat while the kitchen cooks, or never wait at all.",
        seeds: &[Seed::AsyncioBasics],
    },
    ScenarioInfo {
        id: "bot-invitations",
        title: "Invitations: one by one vs all at once",
        summary: "The sum of every reply delay against the longest single one.",
        seeds: &[Seed::BotParty],
    },
    ScenarioInfo {
        id: "polling-scheduler",
        title: "What an event loop does underneath",
        summary: "A hand-made scheduler: spin, poll once per turn, or wait to be woken.",
        seeds: &[Seed::PollingInDepth],
    },
    ScenarioInfo {
        id: "generator-chain",
        title: "Nested awaits",
        summary: "foo awaits bar awaits a sleep: chains cost nothing extra in time.",
        seeds: &[Seed::PollingInDepth],
    },
    ScenarioInfo {
        id: "coroutine-send",
        title: "A coroutine that blocks",
        summary: "A blocking wait inside a coroutine freezes the ticker beside it.",
        seeds: &[Seed::Coroutines],
    },
    ScenarioInfo {
        id: "gather-countdown",
        title: "gather, finishing in reverse",
        summary: "Started in order, the shortest sleep comes back first.",
        seeds: &[Seed::Coroutines],
    },
    ScenarioInfo {
        id: "cooking",
        title: "One after another vs gathered",
        summary: "Two dishes take the sum of their times in turn, the longest when gathered.",
        seeds: &[Seed::Kitchen],
    },
    ScenarioInfo {
        id: "forgot-await",
        title: "A sleep that never happens",
        summary: "Call a sleep without awaiting it and nothing waits at all.",
        seeds: &[Seed::Kitchen],
    },
    ScenarioInfo {
        id: "cpu-vs-io",
        title: "Boiling water, chopping salad",
        summary: "Waiting overlaps with work; work never overlaps with work.",
        seeds: &[Seed::Kitchen],
    },
    ScenarioInfo {
        id: "blocking-sleep",
        title: "The wrong sleep",
        summary: "A blocking sleep makes every other task wait its turn.",
        seeds: &[Seed::Coroutines, Seed::Kitchen],
    },
    ScenarioInfo {
        id: "many-tasks",
        title: "Threads vs coroutines, at scale",
        summary: "Thousands of sleeping tasks at once, and what each one costs.",
        seeds: &[Seed::BotParty, Seed::PollingInDepth, Seed::Coroutines],
    },
];

/// Looks a scenario up by its catalog id.
pub fn find(id: &str) -> Option<&'static ScenarioInfo> {
    CATALOG.iter().find(|s| s.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_ids_are_unique_and_in_contract_order() {
        let ids: Vec<&str> = CATALOG.iter().map(|s| s.id).collect();
        assert_eq!(
            ids,
            [
                "hello-world",
                "main-and-foo",
                "fetch-and-count",
                "restaurant",
                "bot-invitations",
                "polling-scheduler",
                "generator-chain",
                "coroutine-send",
                "gather-countdown",
                "cooking",
                "forgot-await",
                "cpu-vs-io",
                "blocking-sleep",
                "many-tasks",
            ]
        );
    }

    #[test]
    fn every_scenario_names_a_seed_and_a_one_line_summary() {
        for s in &CATALOG {
            assert!(!s.seeds.is_empty(), "{} has no seed", s.id);
            assert!(!s.summary.contains('\n'), "{} summary spans lines", s.id);
            assert!(s.summary.len() <= 90, "{} summary too long", s.id);
        }
    }

    #[test]
    fn find_knows_every_id_and_nothing_else() {
        for s in &CATALOG {
            assert_eq!(find(s.id), Some(s));
        }
        assert_eq!(find("nope"), None);
        assert_eq!(find(""), None);
    }
}
