//! The README's compatibility table, checked against the interop run.
//!
//! Table cells name the steps that prove them as `` `driver/step` `` in backticks, where `step`
//! may be a glob (`gov1/our_rsa_*_read_by_go_v1`). After a run, every citation of a driver that
//! ran must match at least one step it passed, and every passed step that reads another
//! writer's objects (`*read_by_*`, `*readable_by_*`) must be cited by some cell: the table can
//! neither claim a step that did not pass nor leave a proven pair out.

use std::collections::BTreeMap;

use anyhow::{Context, bail};
use globset::{Glob, GlobMatcher};

/// The heading that opens the table's section of the README.
const SECTION: &str = "## Compatibility";

/// One `driver/step-glob` citation of a table cell.
#[derive(Debug)]
pub(crate) struct Citation {
    driver: String,
    glob: GlobMatcher,
}

/// What the check covered, for the closing report.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Coverage {
    pub(crate) citations: usize,
    pub(crate) cross_steps: usize,
}

/// The citations of the compatibility table in `readme`; a citation naming a driver not in
/// `drivers` is an error (a typo would otherwise never be checked).
pub(crate) fn citations(readme: &str, drivers: &[String]) -> anyhow::Result<Vec<Citation>> {
    let section = readme
        .split_once(SECTION)
        .map(|(_, rest)| rest)
        .context("README has no compatibility section")?;
    let section = section.split("\n## ").next().unwrap_or(section);
    let mut out = Vec::new();
    for row in section.lines().filter(|l| l.starts_with('|')) {
        for span in row.split('`').skip(1).step_by(2) {
            let Some((driver, step)) = span.split_once('/').filter(|_| looks_like_citation(span))
            else {
                continue;
            };
            if !drivers.iter().any(|d| d == driver) {
                bail!("compatibility table cites `{span}`, but there is no driver `{driver}`");
            }
            let glob = Glob::new(step)
                .with_context(|| format!("bad step pattern `{span}`"))?
                .compile_matcher();
            out.push(Citation {
                driver: driver.to_owned(),
                glob,
            });
        }
    }
    if out.is_empty() {
        bail!("the compatibility table cites no interop step");
    }
    Ok(out)
}

/// `driver/step-glob`: lower-case names, digits, `_` and the glob's `*` (not a path or URL).
fn looks_like_citation(span: &str) -> bool {
    span.split_once('/').is_some_and(|(driver, step)| {
        let name = |t: &str, extra: char| {
            !t.is_empty()
                && t.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == extra)
        };
        name(driver, '_') && name(step, '*')
    })
}

/// Whether a step proves that one side reads another side's objects.
fn is_cross_step(step: &str) -> bool {
    step.contains("read_by_") || step.contains("readable_by_")
}

/// Checks the citations against `passed`: the steps each driver that ran passed.
pub(crate) fn check(
    citations: &[Citation],
    passed: &BTreeMap<String, Vec<String>>,
) -> anyhow::Result<Coverage> {
    let mut problems = Vec::new();
    for citation in citations {
        let Some(steps) = passed.get(&citation.driver) else {
            continue;
        };
        if !steps.iter().any(|s| citation.glob.is_match(s)) {
            problems.push(format!(
                "`{}/{}` matches no step that passed",
                citation.driver,
                citation.glob.glob()
            ));
        }
    }
    let mut cross_steps = 0;
    for (driver, steps) in passed {
        for step in steps.iter().filter(|s| is_cross_step(s)) {
            cross_steps += 1;
            let cited = citations
                .iter()
                .any(|c| &c.driver == driver && c.glob.is_match(step));
            if !cited {
                problems.push(format!(
                    "step `{driver}/{step}` passed but no cell cites it"
                ));
            }
        }
    }
    if !problems.is_empty() {
        bail!(
            "the README compatibility table does not match this run:\n  {}",
            problems.join("\n  ")
        );
    }
    let ran = citations
        .iter()
        .filter(|c| passed.contains_key(&c.driver))
        .count();
    Ok(Coverage {
        citations: ran,
        cross_steps,
    })
}

/// The step name of a `PASS name (1.2s)` line.
pub(crate) fn passed_step(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("PASS ")?;
    rest.split_whitespace().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    const README: &str = "# x\n\n## Compatibility\n\n| a | b |\n|---|---|\n\
        | `gov1/our_*_read_by_go_v1` | `java/java_put_1_read_by_us` and `xtask` `~/.x/y.json` |\n\n\
        `gov1/not_in_a_table_row`\n\n## Next\n\n| `nope/zzz` |\n";

    fn drivers() -> Vec<String> {
        ["gov1", "java"].map(String::from).to_vec()
    }

    fn run(steps: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        steps
            .iter()
            .map(|(d, s)| ((*d).to_owned(), s.iter().map(|x| (*x).to_owned()).collect()))
            .collect()
    }

    #[test]
    fn reads_citations_of_table_rows_in_the_section_only() {
        let found = citations(README, &drivers()).unwrap();
        let names: Vec<String> = found
            .iter()
            .map(|c| format!("{}/{}", c.driver, c.glob.glob()))
            .collect();
        assert_eq!(
            names,
            ["gov1/our_*_read_by_go_v1", "java/java_put_1_read_by_us"]
        );
        let typo = README.replace("java/java_put", "jvaa/java_put");
        assert!(citations(&typo, &drivers()).is_err());
        assert!(citations("## Compatibility\n\n| none |\n", &drivers()).is_err());
    }

    #[test]
    fn passes_when_every_cross_step_is_cited_and_every_citation_passed() {
        let found = citations(README, &drivers()).unwrap();
        let passed = run(&[
            ("gov1", &["create_bucket", "our_put_0_read_by_go_v1"]),
            ("java", &["java_put_1_read_by_us"]),
        ]);
        assert_eq!(
            check(&found, &passed).unwrap(),
            Coverage {
                citations: 2,
                cross_steps: 2
            }
        );
        // A driver that did not run is not held to its citations.
        let only_gov1 = run(&[("gov1", &["our_put_0_read_by_go_v1"])]);
        assert_eq!(check(&found, &only_gov1).unwrap().citations, 1);
    }

    #[test]
    fn fails_on_an_uncited_step_or_a_citation_without_a_passed_step() {
        let found = citations(README, &drivers()).unwrap();
        let uncited = run(&[
            (
                "gov1",
                &["our_put_0_read_by_go_v1", "go_v1_put_0_read_by_us"],
            ),
            ("java", &["java_put_1_read_by_us"]),
        ]);
        let err = check(&found, &uncited).unwrap_err().to_string();
        assert!(err.contains("gov1/go_v1_put_0_read_by_us"), "{err}");
        let missing = run(&[("gov1", &["our_put_0_read_by_go_v1"]), ("java", &[])]);
        let err = check(&found, &missing).unwrap_err().to_string();
        assert!(err.contains("java/java_put_1_read_by_us"), "{err}");
    }

    #[test]
    fn parses_pass_lines() {
        assert_eq!(
            passed_step("PASS our_put_0_read_by_go_v1 (0.1s)"),
            Some("our_put_0_read_by_go_v1")
        );
        assert_eq!(
            passed_step("PASS resumable_both_ways"),
            Some("resumable_both_ways")
        );
        assert_eq!(passed_step("FAIL x: y"), None);
        assert_eq!(passed_step("go_v1: 3 passed, 0 failed"), None);
    }
}
