//! Network behaviour: the connect and read-idle timeouts (`--connect-timeout`,
//! `--read-timeout`) given to the OSS and KMS clients, and network errors that name the
//! host, the operation and the cause (refused, timed out, TLS, DNS).

use core::time::Duration;

use oss_transport::HttpSettings;
pub(crate) use oss_transport::{describe_cause, host_of};

/// Default time to establish a TCP (and TLS) connection: the library's (one home).
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = HttpSettings::DEFAULT_CONNECT_TIMEOUT;
/// Default time a response may stay silent (between bytes, or before its headers).
pub(crate) const DEFAULT_READ_TIMEOUT: Duration = HttpSettings::DEFAULT_READ_TIMEOUT;

/// The timeouts of every request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Timeouts {
    /// Connect timeout.
    pub(crate) connect: Duration,
    /// Read-idle timeout.
    pub(crate) read: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: DEFAULT_CONNECT_TIMEOUT,
            read: DEFAULT_READ_TIMEOUT,
        }
    }
}

/// The value of `--connect-timeout` / `--read-timeout`: parsed by [`parse_duration`], shown
/// in `--help` as `10s` (so the help shows the library's defaults, not a copy of them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Timeout(pub(crate) Duration);

impl core::fmt::Display for Timeout {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if self.0.subsec_nanos() == 0 {
            write!(f, "{}s", self.0.as_secs())
        } else {
            write!(f, "{}ms", self.0.as_millis())
        }
    }
}

impl core::str::FromStr for Timeout {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        parse_duration(text).map(Self)
    }
}

/// Parses `30s`, `1.5s`, `500ms`, `2m` or a bare number of seconds.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration (e.g. 30s, 500ms, 2m)"))?;
    let seconds = match unit.trim() {
        "" | "s" => value,
        "ms" => value / 1000.0,
        "m" | "min" => value * 60.0,
        other => return Err(format!("unknown unit {other:?} in {text:?} (ms, s, m)")),
    };
    if !(seconds > 0.0 && seconds.is_finite()) {
        return Err(format!("{text:?}: a timeout must be positive"));
    }
    Duration::try_from_secs_f64(seconds).map_err(|e| format!("{text:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("2"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("fast").is_err());
        assert!(parse_duration("3h").is_err());
    }

    #[test]
    fn timeouts_show_as_they_are_written() {
        assert_eq!(Timeout(Duration::from_secs(20)).to_string(), "20s");
        assert_eq!(Timeout(Duration::from_millis(1500)).to_string(), "1500ms");
        assert_eq!(
            "1500ms".parse::<Timeout>(),
            Ok(Timeout(Duration::from_millis(1500)))
        );
    }

    #[test]
    fn the_flag_defaults_are_the_constants() {
        use clap::Parser as _;
        let cli = crate::cli::Cli::try_parse_from(["osscrypt", "ls", "oss://bucket"]).unwrap();
        assert_eq!(cli.global.timeouts(), Timeouts::default());
    }
}
