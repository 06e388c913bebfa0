//! Output targets that are not regular files, through the binary: `get`, `get --resumable`
//! and `decrypt` stream into a character device, a FIFO (with a reader) and `/dev/stdout`
//! instead of renaming a temp file over them, keep the end-of-stream integrity check, and
//! replace a symbolic link's target atomically while keeping the link.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a panic is a test failure"
)]

use std::io::Read as _;
use std::os::unix::fs::{FileTypeExt as _, MetadataExt as _};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common;

use common::{Server, data, expect_code, keygen};
use oss_devserver::{FaultAction, FaultRule, Trigger};

const SIZE: usize = 600_000;

/// A server holding `obj` (encrypted, uploaded in 256 KiB parts), the same bytes encrypted
/// offline as `local.bin` with its sidecar, and an empty `out` directory for the targets.
struct World {
    s: Server,
    private: String,
    out: PathBuf,
}

fn world() -> World {
    let s = Server::start();
    let (private, public) = keygen(s.dir.path(), "k");
    std::fs::write(s.path("plain"), data(SIZE, 5)).unwrap();
    let put = s.run(&[
        "put",
        &s.path("plain"),
        "oss://test-bucket/obj",
        "--rsa-private",
        &private,
    ]);
    expect_code(&put, 0);
    let enc = s.run(&[
        "encrypt",
        &s.path("plain"),
        &s.path("local.bin"),
        "--rsa-public",
        &public,
    ]);
    expect_code(&enc, 0);
    let out = s.dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    World { s, private, out }
}

/// The three commands that write plaintext to a path, with `dest` as the output.
fn commands(w: &World, dest: &str) -> Vec<Vec<String>> {
    let get = [
        "get",
        "oss://test-bucket/obj",
        dest,
        "--rsa-private",
        &w.private,
    ];
    let mut resumable = get.to_vec();
    resumable.extend(["--resumable", "--part-size", "256KiB"]);
    let local = w.s.path("local.bin");
    let decrypt = ["decrypt", &local, dest, "--rsa-private", &w.private];
    [get.to_vec(), resumable, decrypt.to_vec()]
        .into_iter()
        .map(|args| args.into_iter().map(str::to_owned).collect())
        .collect()
}

fn run(w: &World, args: &[String]) -> std::process::Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    w.s.run(&args)
}

/// Names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A character device to write into: a private null device made with `mknod` when running
/// as root, else `/dev/null` itself (checked to still be one afterwards either way).
fn char_device(dir: &Path) -> PathBuf {
    let node = dir.join("null");
    let made = Command::new("mknod")
        .arg(&node)
        .args(["c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success());
    // A `nodev` mount lets root make the node but not open it.
    let usable = made && std::fs::OpenOptions::new().write(true).open(&node).is_ok();
    if made && !usable {
        std::fs::remove_file(&node).unwrap();
    }
    if usable {
        node
    } else {
        PathBuf::from("/dev/null")
    }
}

fn is_char_device(path: &Path) -> bool {
    std::fs::symlink_metadata(path)
        .unwrap()
        .file_type()
        .is_char_device()
}

#[test]
fn a_character_device_is_streamed_into_not_replaced() {
    let w = world();
    let device = char_device(&w.out);
    let parent = device.parent().unwrap().to_path_buf();
    let before = names(&parent);
    for args in commands(&w, device.to_str().unwrap()) {
        let out = run(&w, &args);
        expect_code(&out, 0);
        assert!(
            is_char_device(&device),
            "{args:?} replaced {}",
            device.display()
        );
        assert_eq!(
            names(&parent),
            before,
            "{args:?} left files beside the device"
        );
    }
    let resumable = run(&w, &commands(&w, device.to_str().unwrap())[1]);
    assert!(
        common::stderr(&resumable).contains("is not a regular file"),
        "{}",
        common::stderr(&resumable)
    );
}

/// A FIFO made with `mkfifo`, read to the end on a thread.
struct FifoReader(std::sync::mpsc::Receiver<Vec<u8>>);

impl FifoReader {
    fn start(path: &Path) -> Self {
        let status = Command::new("mkfifo").arg(path).status().unwrap();
        assert!(status.success(), "mkfifo failed");
        let path = path.to_path_buf();
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            std::fs::File::open(path)
                .unwrap()
                .read_to_end(&mut bytes)
                .unwrap();
            let _ = send.send(bytes);
        });
        Self(receive)
    }

    /// What the reader got; a writer that never opened the FIFO (it replaced it instead)
    /// fails the test here rather than hanging it.
    fn bytes(self) -> Vec<u8> {
        self.0
            .recv_timeout(core::time::Duration::from_secs(10))
            .expect("nothing was written into the FIFO")
    }
}

#[test]
fn a_fifo_with_a_reader_receives_the_plaintext() {
    let w = world();
    let fifo = w.out.join("pipe");
    for args in commands(&w, fifo.to_str().unwrap()) {
        let reader = FifoReader::start(&fifo);
        let out = run(&w, &args);
        expect_code(&out, 0);
        assert!(reader.bytes() == data(SIZE, 5), "{args:?}: wrong bytes");
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(kind.is_fifo(), "{args:?} replaced the FIFO");
        assert_eq!(names(&w.out), ["pipe"], "{args:?} left files");
        std::fs::remove_file(&fifo).unwrap();
    }
}

#[test]
fn dev_stdout_is_this_process_stdout() {
    let w = world();
    for dest in ["/dev/stdout", "/proc/self/fd/1"] {
        for args in commands(&w, dest) {
            let out = run(&w, &args);
            expect_code(&out, 0);
            assert!(out.stdout == data(SIZE, 5), "{args:?}: wrong bytes");
        }
    }
}

#[test]
fn a_symlink_keeps_pointing_at_its_target_which_is_replaced_atomically() {
    let w = world();
    let target = w.out.join("real.bin");
    let link = w.out.join("link.bin");
    std::os::unix::fs::symlink("real.bin", &link).unwrap();
    for args in commands(&w, link.to_str().unwrap()) {
        std::fs::write(&target, b"old contents").unwrap();
        let inode = std::fs::metadata(&target).unwrap().ino();
        let out = run(&w, &args);
        expect_code(&out, 0);
        assert_eq!(std::fs::read_link(&link).unwrap(), Path::new("real.bin"));
        assert!(std::fs::read(&target).unwrap() == data(SIZE, 5), "{args:?}");
        // A new inode: the verified temp file was renamed over the target, not rewritten.
        assert_ne!(std::fs::metadata(&target).unwrap().ino(), inode, "{args:?}");
        assert_eq!(
            names(&w.out),
            ["link.bin", "real.bin"],
            "{args:?} left files"
        );
    }
}

#[test]
fn a_dangling_symlink_is_refused_and_nothing_is_created() {
    let w = world();
    let link = w.out.join("dangling");
    std::os::unix::fs::symlink("missing.bin", &link).unwrap();
    for args in commands(&w, link.to_str().unwrap()) {
        let out = run(&w, &args);
        assert_ne!(out.status.code(), Some(0), "{args:?}");
        let text = common::stderr(&out);
        assert!(text.contains("does not exist"), "{args:?}: {text}");
        assert_eq!(names(&w.out), ["dangling"], "{args:?} created files");
    }
}

/// Streams follow stdout's rule: the bytes went out, and a bad CRC still ends the command
/// with exit code 5.
#[test]
fn streamed_targets_keep_the_end_of_stream_check() {
    let w = world();
    w.s.faults().set_rules(vec![FaultRule::new(
        "GetObject",
        Trigger::Always,
        FaultAction::CorruptByte(1234),
    )]);
    let device = char_device(&w.out);
    let fifo = w.out.join("pipe");
    for args in commands(&w, device.to_str().unwrap()).into_iter().take(2) {
        let out = run(&w, &args);
        expect_code(&out, 5);
        assert!(is_char_device(&device));
    }
    for args in commands(&w, fifo.to_str().unwrap()).into_iter().take(2) {
        let reader = FifoReader::start(&fifo);
        let out = run(&w, &args);
        expect_code(&out, 5);
        // The stream holds its last chunk back until the check, which fails.
        let got = reader.bytes();
        assert!(got.len() <= SIZE && got != data(SIZE, 5), "{args:?}");
        std::fs::remove_file(&fifo).unwrap();
    }
}
