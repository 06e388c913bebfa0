//! Fault injection: per-operation rules that make the server fail on purpose, deterministically.
//!
//! A rule names an operation (`"PutObject"`, `"GetObject"`, `"UploadPart"`, …, or a KMS action
//! such as `"kms:GenerateDataKey"`; `"*"` matches every operation), a trigger (always, every Nth
//! matching request, the next N matching requests, or a probability drawn from a seeded RNG)
//! and an action (an error status, KMS throttling, a connection reset after K body bytes, one
//! corrupted body byte at offset K, a delay, or a hostile rewrite of the response: headers
//! stripped, altered or duplicated, 200 for 206, a shifted `Content-Range`, a slow-drip body,
//! a corrupted byte under a recomputed CRC, a garbage body, or another object served).
//!
//! Rules are evaluated in order; every matching rule counts the request, and the first rule
//! that fires decides the action. With the same seed and the same request sequence the same
//! requests fail.
//!
//! Rules can be written as text (the binary's `--fault` flag):
//! `op=GetObject,every=3,status=503` or `op=kms:Decrypt,p=0.25,throttle` or
//! `op=PutObject,next=1,reset=1024` or `op=GetObject,corrupt=100` or `op=*,delay=200ms` or
//! `op=HeadObject,strip=x-oss-meta-` or `op=GetObject,nth=3,serve=other-key`.

mod parse;

use core::time::Duration;
use std::sync::{Arc, Mutex, PoisonError};

pub use parse::ParseFaultError;

/// Which requests of an operation a rule applies to.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Trigger {
    /// Every matching request.
    Always,
    /// Every Nth matching request (the Nth, 2Nth, …); `n = 0` never fires.
    EveryNth(u64),
    /// The next N matching requests, then never again.
    NextN(u64),
    /// Each matching request independently with this probability (0.0 to 1.0), from the
    /// injector's seeded RNG.
    Probability(f64),
    /// Only the Nth matching request (counting from 1).
    Nth(u64),
}

/// What happens to a request a rule fires on.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultAction {
    /// Answer with this HTTP status and OSS error code instead of handling the request.
    Status {
        /// HTTP status (typically 500 or 503).
        status: u16,
        /// Error code written into the error body.
        code: String,
    },
    /// KMS throttling (`Throttling` for KMS actions; OSS operations answer 503 `SlowDown`).
    KmsThrottling,
    /// Drop the connection after this many body bytes (response body for reads, request body
    /// for writes).
    ResetAfter(u64),
    /// Flip one bit of the body byte at this offset (response body for reads, the stored data
    /// for writes) while the CRC-64 header stays that of the correct data.
    CorruptByte(u64),
    /// Wait this long before handling the request normally.
    Delay(Duration),
    /// Remove every response header whose name starts with this prefix (lowercase): a proxy
    /// that drops `x-oss-meta-*`, or one envelope header.
    StripHeaders(String),
    /// Set a response header to this value, replacing what the server sent.
    SetHeader {
        /// Header name (lowercase).
        name: String,
        /// The value sent instead.
        value: String,
    },
    /// Send a response header twice (a second copy of its value, or this value).
    DuplicateHeader {
        /// Header name (lowercase).
        name: String,
        /// The second value; `None` repeats the first.
        value: Option<String>,
    },
    /// Answer 200 instead of 206 (without `Content-Range`), with the partial body.
    OkForPartial,
    /// Move both ends of `Content-Range` by this many bytes; the body is unchanged.
    ShiftContentRange(i64),
    /// Send the response body in pieces of `chunk` bytes with `pause` between them.
    Drip {
        /// Bytes per piece (at least 1).
        chunk: usize,
        /// Wait between pieces.
        pause: Duration,
    },
    /// Flip one bit of the response body at this offset and send the CRC-64 of the changed
    /// body, so that a CRC check cannot see it (the body is buffered: test objects only).
    CorruptByteRecomputeCrc(u64),
    /// Replace the response body with this text, keeping status and other headers (garbage
    /// XML for Initiate, ListParts, Complete).
    ReplaceBody(String),
    /// Answer as if the request named this other key of the same bucket, ignoring `If-Match`:
    /// an object replaced behind the client's back on a server that ignores preconditions.
    ServeKey(String),
}

impl FaultAction {
    /// A status error with the conventional OSS code for 500 (`InternalError`) and 503
    /// (`ServiceUnavailable`).
    pub fn status(status: u16) -> Self {
        let code = match status {
            503 => "ServiceUnavailable",
            429 => "TooManyRequests",
            _ => "InternalError",
        };
        Self::Status {
            status,
            code: code.to_owned(),
        }
    }
}

/// One fault rule.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    /// Operation name, or `"*"` for every operation.
    pub operation: String,
    /// When the rule fires.
    pub trigger: Trigger,
    /// What it does.
    pub action: FaultAction,
}

impl FaultRule {
    /// A rule for `operation` with the given trigger and action.
    pub fn new(operation: impl Into<String>, trigger: Trigger, action: FaultAction) -> Self {
        Self {
            operation: operation.into(),
            trigger,
            action,
        }
    }

    fn matches(&self, operation: &str) -> bool {
        self.operation == "*" || self.operation.eq_ignore_ascii_case(operation)
    }
}

/// Counters of one rule, for tests that check a rule did exactly what it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RuleStats {
    /// Requests that matched the rule's operation.
    pub matched: u64,
    /// Requests the rule fired on.
    pub fired: u64,
}

#[derive(Debug)]
struct State {
    rules: Vec<(FaultRule, RuleStats)>,
    rng: SplitMix64,
}

/// Shared, runtime-changeable set of fault rules. Cloning gives another handle to the same rules.
#[derive(Debug, Clone)]
pub struct FaultInjector {
    state: Arc<Mutex<State>>,
}

impl Default for FaultInjector {
    fn default() -> Self {
        Self::new(Vec::new(), 0)
    }
}

impl FaultInjector {
    /// An injector with these rules and this RNG seed.
    pub fn new(rules: Vec<FaultRule>, seed: u64) -> Self {
        let rules = rules
            .into_iter()
            .map(|r| (r, RuleStats::default()))
            .collect();
        let state = State {
            rules,
            rng: SplitMix64(seed),
        };
        Self {
            state: Arc::new(Mutex::new(state)),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic elsewhere cannot leave the rule list half-updated, so the data stays usable.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Replaces every rule (counters restart at zero).
    pub fn set_rules(&self, rules: Vec<FaultRule>) {
        self.lock().rules = rules
            .into_iter()
            .map(|r| (r, RuleStats::default()))
            .collect();
    }

    /// Appends one rule.
    pub fn add_rule(&self, rule: FaultRule) {
        self.lock().rules.push((rule, RuleStats::default()));
    }

    /// Removes every rule.
    pub fn clear(&self) {
        self.lock().rules.clear();
    }

    /// Restarts the RNG from this seed.
    pub fn reseed(&self, seed: u64) {
        self.lock().rng = SplitMix64(seed);
    }

    /// The current rules.
    pub fn rules(&self) -> Vec<FaultRule> {
        self.lock().rules.iter().map(|(r, _)| r.clone()).collect()
    }

    /// Counters per rule, in rule order.
    pub fn stats(&self) -> Vec<RuleStats> {
        self.lock().rules.iter().map(|(_, s)| *s).collect()
    }

    /// Counts one request of `operation` against every matching rule and returns the action of
    /// the first rule that fires.
    pub(crate) fn decide(&self, operation: &str) -> Option<FaultAction> {
        let mut guard = self.lock();
        let State { rules, rng } = &mut *guard;
        let mut decided = None;
        for (rule, stats) in rules.iter_mut().filter(|(r, _)| r.matches(operation)) {
            stats.matched += 1;
            let fires = match rule.trigger {
                Trigger::Always => true,
                Trigger::EveryNth(n) => n != 0 && stats.matched % n == 0,
                Trigger::NextN(n) => stats.fired < n,
                Trigger::Probability(p) => rng.next_f64() < p,
                Trigger::Nth(n) => stats.matched == n,
            };
            if fires && decided.is_none() {
                stats.fired += 1;
                decided = Some(rule.action.clone());
            }
        }
        decided
    }
}

/// SplitMix64: tiny, fast and fully determined by its seed, which is all fault injection needs.
#[derive(Debug)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1) from the top 53 bits.
    fn next_f64(&mut self) -> f64 {
        #[allow(clippy::cast_precision_loss)] // 53 bits fit an f64 mantissa exactly
        let mantissa = (self.next_u64() >> 11) as f64;
        mantissa / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fired(inj: &FaultInjector, op: &str, n: usize) -> Vec<bool> {
        (0..n).map(|_| inj.decide(op).is_some()).collect()
    }

    #[test]
    fn every_nth_fires_on_multiples_only_for_its_operation() {
        let rule = FaultRule::new("GetObject", Trigger::EveryNth(3), FaultAction::status(503));
        let inj = FaultInjector::new(vec![rule], 1);
        assert_eq!(inj.decide("PutObject"), None);
        assert_eq!(
            fired(&inj, "GetObject", 6),
            [false, false, true, false, false, true]
        );
        assert_eq!(
            inj.stats()[0],
            RuleStats {
                matched: 6,
                fired: 2
            }
        );
    }

    #[test]
    fn next_n_fires_then_stops() {
        let rule = FaultRule::new("*", Trigger::NextN(2), FaultAction::KmsThrottling);
        let inj = FaultInjector::new(vec![rule], 1);
        assert_eq!(fired(&inj, "kms:Decrypt", 4), [true, true, false, false]);
    }

    #[test]
    fn probability_is_deterministic_per_seed_and_roughly_right() {
        let rule = FaultRule::new(
            "PutObject",
            Trigger::Probability(0.3),
            FaultAction::status(500),
        );
        let a = FaultInjector::new(vec![rule.clone()], 42);
        let b = FaultInjector::new(vec![rule], 42);
        let fa = fired(&a, "PutObject", 1000);
        assert_eq!(fa, fired(&b, "PutObject", 1000));
        let hits = fa.iter().filter(|x| **x).count();
        assert!((200..400).contains(&hits), "{hits}");
        a.reseed(42);
        a.set_rules(b.rules());
        assert_eq!(fired(&a, "PutObject", 1000), fa);
    }

    #[test]
    fn nth_fires_once_on_its_request() {
        let rule = FaultRule::new("GetObject", Trigger::Nth(3), FaultAction::OkForPartial);
        let inj = FaultInjector::new(vec![rule], 1);
        assert_eq!(
            fired(&inj, "GetObject", 5),
            [false, false, true, false, false]
        );
    }

    #[test]
    fn first_firing_rule_wins_and_clear_removes_all() {
        let inj = FaultInjector::new(
            vec![
                FaultRule::new("GetObject", Trigger::Always, FaultAction::CorruptByte(5)),
                FaultRule::new("*", Trigger::Always, FaultAction::status(500)),
            ],
            0,
        );
        assert_eq!(inj.decide("GetObject"), Some(FaultAction::CorruptByte(5)));
        assert_eq!(inj.decide("HeadObject"), Some(FaultAction::status(500)));
        inj.clear();
        assert_eq!(inj.decide("GetObject"), None);
    }
}
