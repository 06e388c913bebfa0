//! Project automation: `cargo xtask <task>`.
//!
//! A single binary with one module per task, in the style of matklad's cargo-xtask: it shells
//! out to `$CARGO` and other tools and keeps its own dependencies minimal. Run
//! `cargo xtask help` for the task list.

mod bench;
mod bench_bulk;
mod bench_cipher;
mod bench_proc;
mod bench_stdin;
mod ci;
mod cmd;
mod flags;
mod fuzz;
mod interop;
mod metadata;
mod no_std;
mod openssl;
#[cfg(test)]
mod tidy;
mod vectors;

use std::process::ExitCode;

use flags::Task;

fn main() -> ExitCode {
    match try_main() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn try_main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match flags::parse(&args)? {
        Task::Help => {
            print!("{}", flags::HELP);
            Ok(())
        }
        Task::Ci => ci::run(),
        Task::NoStd => no_std::run(),
        Task::Fuzz(options) => fuzz::run(&options),
        Task::Bench(options) => bench::run(&options),
        Task::BenchCipher => bench_cipher::run(),
        Task::Interop(options) => interop::run(&options),
    }
}
