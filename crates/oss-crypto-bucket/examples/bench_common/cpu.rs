//! CPU time of a process (user + system, every thread, exited ones included), from
//! `/proc/<pid>/stat`, in seconds. Linux reports it in clock ticks of 1/100 s (`USER_HZ`).

#![allow(dead_code, reason = "shared by the bench examples; each uses a part")]

/// Clock ticks per second of `/proc/*/stat` (fixed at 100 by the Linux ABI).
const USER_HZ: f64 = 100.0;

/// User + system CPU seconds of this process so far.
pub(crate) fn own_cpu_seconds() -> f64 {
    process_cpu_seconds("self")
}

/// User + system CPU seconds of process `pid` so far (0 when it cannot be read).
pub(crate) fn cpu_seconds_of(pid: u32) -> f64 {
    process_cpu_seconds(&pid.to_string())
}

fn process_cpu_seconds(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at field 3, `state`;
    // `utime` and `stime` are fields 14 and 15.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / USER_HZ
}
