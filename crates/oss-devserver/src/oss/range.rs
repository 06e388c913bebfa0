//! `Range` semantics: OSS's default behaviour and `x-oss-range-behavior: standard`
//! (spec `oss-api.md` §5.2).

/// What a GET serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RangeOutcome {
    /// 200 with the whole object.
    Full,
    /// 206 with bytes `start..=end`.
    Partial { start: u64, end: u64 },
    /// 416 `InvalidRange`.
    Unsatisfiable,
}

enum Spec {
    FromTo(u64, Option<u64>),
    Suffix(u64),
}

/// Parses one `bytes=a-b`, `bytes=a-` or `bytes=-n`; `None` for anything else.
fn parse(header: &str) -> Option<Spec> {
    let spec = header.trim().strip_prefix("bytes=")?.trim();
    if spec.contains(',') {
        return None;
    }
    let (a, b) = spec.split_once('-')?;
    let num = |s: &str| -> Option<u64> {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match (a.trim().is_empty(), b.trim().is_empty()) {
        (true, false) => Some(Spec::Suffix(num(b)?)),
        (false, true) => Some(Spec::FromTo(num(a)?, None)),
        (false, false) => {
            let (a, b) = (num(a)?, num(b)?);
            (a <= b).then_some(Spec::FromTo(a, Some(b)))
        }
        (true, true) => None,
    }
}

/// Resolves a `Range` header against an object of `size` bytes.
pub(crate) fn resolve(header: Option<&str>, standard: bool, size: u64) -> RangeOutcome {
    use RangeOutcome::{Full, Partial, Unsatisfiable};
    // (what standard behaviour gives, what OSS's default gives)
    let pick = |std: RangeOutcome, default: RangeOutcome| if standard { std } else { default };
    let Some(header) = header else { return Full };
    let Some(spec) = parse(header) else {
        return pick(
            if header.contains(',') {
                Unsatisfiable
            } else {
                Full
            },
            Full,
        );
    };
    if size == 0 {
        return pick(Unsatisfiable, Full);
    }
    let last = size - 1;
    match spec {
        Spec::FromTo(a, _) if a > last => pick(Unsatisfiable, Full),
        Spec::FromTo(a, Some(b)) if b > last => pick(
            Partial {
                start: a,
                end: last,
            },
            Full,
        ),
        Spec::FromTo(a, b) => Partial {
            start: a,
            end: b.unwrap_or(last),
        },
        Spec::Suffix(0) => pick(Unsatisfiable, Full),
        Spec::Suffix(n) if n > size => pick(
            Partial {
                start: 0,
                end: last,
            },
            Full,
        ),
        Spec::Suffix(n) => Partial {
            start: size - n,
            end: last,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::RangeOutcome::{Full, Partial, Unsatisfiable};
    use super::*;

    fn p(start: u64, end: u64) -> RangeOutcome {
        Partial { start, end }
    }

    #[test]
    fn spec_table() {
        // (range, default, standard) for N = 1000, rows of oss-api.md §5.2.
        let rows = [
            ("bytes=0-499", p(0, 499), p(0, 499)),
            ("bytes=500-", p(500, 999), p(500, 999)),
            ("bytes=-100", p(900, 999), p(900, 999)),
            ("bytes=500-2000", Full, p(500, 999)),
            ("bytes=1000-2000", Full, Unsatisfiable),
            ("bytes=1000-", Full, Unsatisfiable),
            ("bytes=-2000", Full, p(0, 999)),
            ("byte=0-499", Full, Full),
            ("bytes=0-1,5-6", Full, Unsatisfiable),
            ("bytes=5-1", Full, Full),
        ];
        for (range, default, standard) in rows {
            assert_eq!(
                resolve(Some(range), false, 1000),
                default,
                "{range} default"
            );
            assert_eq!(
                resolve(Some(range), true, 1000),
                standard,
                "{range} standard"
            );
        }
        assert_eq!(resolve(None, true, 1000), Full);
        assert_eq!(resolve(Some("bytes=0-1"), false, 0), Full);
        assert_eq!(resolve(Some("bytes=0-1"), true, 0), Unsatisfiable);
    }
}
