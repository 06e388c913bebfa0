//! Child processes that talk to servers on 127.0.0.1 (SDK drivers, benchmark peers).

use std::process::Command;

/// Proxy variables that HTTP libraries (Python `requests`, Go `net/http`, Java) honour.
const PROXY_VARS: [&str; 5] = [
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "http_proxy",
    "https_proxy",
    "ALL_PROXY",
];

/// Makes `command` reach loopback servers directly: the SDKs honour proxy variables even for
/// 127.0.0.1, so a proxy set on the machine would otherwise receive (and fail) every request.
pub fn bypass_proxies(command: &mut Command) -> &mut Command {
    command
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost");
    for var in PROXY_VARS {
        command.env_remove(var);
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_no_proxy_and_removes_proxy_variables() {
        let mut command = Command::new("env");
        bypass_proxies(command.env("HTTPS_PROXY", "http://proxy.invalid:3128"));
        let envs: Vec<_> = command.get_envs().collect();
        assert!(envs.contains(&("NO_PROXY".as_ref(), Some("127.0.0.1,localhost".as_ref()))));
        assert!(envs.contains(&("HTTPS_PROXY".as_ref(), None)));
        let output = command.output().expect("env runs");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(!text.contains("proxy.invalid"), "{text}");
    }
}
