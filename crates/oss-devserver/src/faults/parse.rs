//! Text form of fault rules: comma-separated `key=value` items, used by the binary's `--fault`.
//!
//! Keys: `op` (required), one trigger (`always`, `every=N`, `next=N`, `nth=N`, `p=0.25`;
//! default `always`) and one action (`status=503` or `status=500:InternalError`, `throttle`,
//! `reset=K`, `corrupt=K`, `delay=250ms` / `delay=2s`, `strip=PREFIX`, `set=NAME:VALUE`,
//! `dup=NAME` or `dup=NAME:VALUE`, `ok-for-partial`, `shift-range=N`, `drip=BYTES:PAUSE`,
//! `corrupt-crc=K`, `body=TEXT`, `serve=KEY`).

use core::fmt;
use core::str::FromStr;
use core::time::Duration;

use super::{FaultAction, FaultRule, Trigger};

/// A fault rule text that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid fault rule {rule:?}: {reason}")]
pub struct ParseFaultError {
    rule: String,
    reason: String,
}

impl FromStr for FaultRule {
    type Err = ParseFaultError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let fail = |reason: &dyn fmt::Display| ParseFaultError {
            rule: s.to_owned(),
            reason: reason.to_string(),
        };
        let mut operation = None;
        let mut trigger = None;
        let mut action = None;
        for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (key, value) = item.split_once('=').unwrap_or((item, ""));
            match key {
                "op" => operation = Some(value.to_owned()),
                "always" | "every" | "next" | "nth" | "p" => {
                    let t = parse_trigger(key, value).map_err(|e| fail(&e))?;
                    if trigger.replace(t).is_some() {
                        return Err(fail(&"more than one trigger"));
                    }
                }
                _ => {
                    let a = parse_action(key, value).map_err(|e| fail(&e))?;
                    if action.replace(a).is_some() {
                        return Err(fail(&"more than one action"));
                    }
                }
            }
        }
        let operation = operation
            .filter(|o| !o.is_empty())
            .ok_or_else(|| fail(&"missing op="))?;
        let action = action.ok_or_else(|| fail(&"missing action"))?;
        Ok(Self::new(
            operation,
            trigger.unwrap_or(Trigger::Always),
            action,
        ))
    }
}

fn number(value: &str) -> Result<u64, String> {
    value
        .parse()
        .map_err(|_| format!("{value:?} is not a non-negative integer"))
}

fn parse_trigger(key: &str, value: &str) -> Result<Trigger, String> {
    Ok(match key {
        "always" => Trigger::Always,
        "every" => Trigger::EveryNth(number(value)?),
        "next" => Trigger::NextN(number(value)?),
        "nth" => Trigger::Nth(number(value)?),
        _ => {
            let p: f64 = value
                .parse()
                .map_err(|_| format!("{value:?} is not a probability"))?;
            if !(0.0..=1.0).contains(&p) {
                return Err(format!("probability {p} is outside 0..=1"));
            }
            Trigger::Probability(p)
        }
    })
}

fn parse_action(key: &str, value: &str) -> Result<FaultAction, String> {
    Ok(match key {
        "status" => {
            let (status, code) = value.split_once(':').unwrap_or((value, ""));
            let status: u16 = status
                .parse()
                .map_err(|_| format!("{status:?} is not a status"))?;
            if !(400..=599).contains(&status) {
                return Err(format!("status {status} is not an error status"));
            }
            match code {
                "" => FaultAction::status(status),
                code => FaultAction::Status {
                    status,
                    code: code.to_owned(),
                },
            }
        }
        "throttle" => FaultAction::KmsThrottling,
        "reset" => FaultAction::ResetAfter(number(value)?),
        "corrupt" => FaultAction::CorruptByte(number(value)?),
        "delay" => FaultAction::Delay(parse_duration(value)?),
        _ => return parse_tamper(key, value),
    })
}

/// The actions that rewrite a response.
fn parse_tamper(key: &str, value: &str) -> Result<FaultAction, String> {
    let pair = || {
        value
            .split_once(':')
            .map(|(n, v)| (n.to_ascii_lowercase(), v.to_owned()))
            .ok_or_else(|| format!("{value:?} is not NAME:VALUE"))
    };
    Ok(match key {
        "strip" => FaultAction::StripHeaders(value.to_ascii_lowercase()),
        "set" => {
            let (name, value) = pair()?;
            FaultAction::SetHeader { name, value }
        }
        "dup" => match value.split_once(':') {
            Some(_) => {
                let (name, value) = pair()?;
                FaultAction::DuplicateHeader {
                    name,
                    value: Some(value),
                }
            }
            None => FaultAction::DuplicateHeader {
                name: value.to_ascii_lowercase(),
                value: None,
            },
        },
        "ok-for-partial" => FaultAction::OkForPartial,
        "shift-range" => FaultAction::ShiftContentRange(
            value
                .parse()
                .map_err(|_| format!("{value:?} is not an integer"))?,
        ),
        "drip" => {
            let (chunk, pause) = value.split_once(':').unwrap_or((value, "1ms"));
            let chunk = usize::try_from(number(chunk)?.max(1)).unwrap_or(usize::MAX);
            FaultAction::Drip {
                chunk,
                pause: parse_duration(pause)?,
            }
        }
        "corrupt-crc" => FaultAction::CorruptByteRecomputeCrc(number(value)?),
        "body" => FaultAction::ReplaceBody(value.to_owned()),
        "serve" => FaultAction::ServeKey(value.to_owned()),
        other => return Err(format!("unknown key {other:?}")),
    })
}

fn parse_duration(value: &str) -> Result<Duration, String> {
    if let Some(ms) = value.strip_suffix("ms") {
        Ok(Duration::from_millis(number(ms)?))
    } else if let Some(s) = value.strip_suffix('s') {
        Ok(Duration::from_secs(number(s)?))
    } else {
        Ok(Duration::from_millis(number(value)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_form() {
        let r: FaultRule = "op=GetObject,every=3,status=503".parse().unwrap();
        assert_eq!(
            r,
            FaultRule::new("GetObject", Trigger::EveryNth(3), FaultAction::status(503))
        );
        let r: FaultRule = "op=kms:Decrypt,p=0.25,throttle".parse().unwrap();
        assert_eq!(r.operation, "kms:Decrypt");
        assert_eq!(r.trigger, Trigger::Probability(0.25));
        assert_eq!(r.action, FaultAction::KmsThrottling);
        let r: FaultRule = "op=PutObject,next=1,reset=1024".parse().unwrap();
        assert_eq!(
            (r.trigger, r.action),
            (Trigger::NextN(1), FaultAction::ResetAfter(1024))
        );
        let r: FaultRule = "op=*,delay=2s".parse().unwrap();
        assert_eq!(r.action, FaultAction::Delay(Duration::from_secs(2)));
        let r: FaultRule = "op=GetObject,status=500:Boom".parse().unwrap();
        assert_eq!(
            r.action,
            FaultAction::Status {
                status: 500,
                code: "Boom".into()
            }
        );
    }

    #[test]
    fn parses_response_rewrites() {
        let action = |text: &str| text.parse::<FaultRule>().unwrap().action;
        assert_eq!(
            action("op=HeadObject,strip=X-OSS-Meta-"),
            FaultAction::StripHeaders("x-oss-meta-".into())
        );
        assert_eq!(
            action("op=GetObject,set=etag:\"x\""),
            FaultAction::SetHeader {
                name: "etag".into(),
                value: "\"x\"".into()
            }
        );
        assert_eq!(
            action("op=GetObject,dup=etag"),
            FaultAction::DuplicateHeader {
                name: "etag".into(),
                value: None
            }
        );
        assert_eq!(
            action("op=GetObject,drip=10:5ms"),
            FaultAction::Drip {
                chunk: 10,
                pause: Duration::from_millis(5)
            }
        );
        assert_eq!(
            action("op=GetObject,shift-range=-16"),
            FaultAction::ShiftContentRange(-16)
        );
        let r: FaultRule = "op=GetObject,nth=3,serve=other".parse().unwrap();
        assert_eq!(
            (r.trigger, r.action),
            (Trigger::Nth(3), FaultAction::ServeKey("other".into()))
        );
        assert_eq!(
            action("op=ListParts,body=<oops"),
            FaultAction::ReplaceBody("<oops".into())
        );
    }

    #[test]
    fn rejects_bad_rules() {
        for bad in [
            "every=3,status=503",
            "op=X",
            "op=X,p=2,throttle",
            "op=X,frob=1",
            "op=X,status=200",
            "op=X,set=novalue",
            "op=X,shift-range=x",
        ] {
            assert!(bad.parse::<FaultRule>().is_err(), "{bad}");
        }
    }
}
