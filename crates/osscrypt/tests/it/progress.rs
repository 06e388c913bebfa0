//! Progress bars are drawn only on a terminal: a plain `put` and a `rotate` that last longer
//! than the one second after which a bar appears leave nothing but their result lines on a
//! piped stderr.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a test failure

use crate::common;

use core::time::Duration;

use common::{BUCKET, Server, data, expect_code, keygen, stderr};
use oss_devserver::{FaultAction, FaultRule, Trigger};

/// Asserts that `text` holds only plain lines: no carriage return or escape sequence of a
/// bar being drawn and cleared.
#[track_caller]
fn assert_plain_lines(text: &str) {
    assert!(
        !text.contains('\r') && !text.contains('\u{1b}'),
        "progress output on a pipe: {text:?}"
    );
}

#[test]
fn put_and_rotate_longer_than_a_second_print_no_bar_on_a_pipe() {
    let s = Server::start();
    // Each PutObject (the upload and the rotation's re-upload) waits 1.5 s before the server
    // reads its body, so both transfers run past the bar's one-second delay.
    s.faults().add_rule(FaultRule::new(
        "PutObject",
        Trigger::Always,
        FaultAction::Delay(Duration::from_millis(1500)),
    ));
    let (old, _) = keygen(s.dir.path(), "old");
    let (new, _) = keygen(s.dir.path(), "new");
    std::fs::write(s.path("f"), data(4 << 20, 5)).unwrap();
    let uri = format!("oss://{BUCKET}/f");
    let out = s.run(&["put", &s.path("f"), &uri, "--rsa-private", &old]);
    expect_code(&out, 0);
    let text = stderr(&out);
    assert_plain_lines(&text);
    assert!(
        text.starts_with("put oss://") && text.lines().count() == 1,
        "{text}"
    );

    let out = s.run(&[
        "rotate",
        &uri,
        "--rsa-private",
        &old,
        "--new-rsa-private",
        &new,
    ]);
    expect_code(&out, 0);
    let text = stderr(&out);
    assert_plain_lines(&text);
    assert!(
        text.starts_with("rotated oss://") && text.lines().count() == 1,
        "{text}"
    );
}
