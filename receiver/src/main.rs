//! `receiver`: see `receiver --help` and docs/receiver.md.

use std::process::ExitCode;

use receiver::config::{Command, Config, USAGE};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match Config::parse(&args, &|name| std::env::var(name).ok()) {
        Ok(Command::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Command::Run(config)) => *config,
        Ok(Command::Retention { config, at }) => {
            return match runtime().map(|rt| rt.block_on(receiver::retention_dry_run(*config, at))) {
                Some(Ok(listing)) => {
                    print!("{listing}");
                    ExitCode::SUCCESS
                }
                Some(Err(e)) => {
                    eprintln!("receiver: {e}");
                    ExitCode::FAILURE
                }
                None => ExitCode::FAILURE,
            };
        }
        Ok(Command::VerifyChain { config, copied }) => {
            return match runtime().map(|rt| rt.block_on(receiver::verify_chain(*config, copied))) {
                Some(Ok((report, true))) => {
                    print!("{report}");
                    ExitCode::SUCCESS
                }
                Some(Ok((report, false))) => {
                    print!("{report}");
                    ExitCode::FAILURE
                }
                Some(Err(e)) => {
                    eprintln!("receiver: {e}");
                    ExitCode::from(3)
                }
                None => ExitCode::from(3),
            };
        }
        Err(errors) => {
            eprintln!(
                "receiver: configuration error{}:",
                if errors.len() > 1 { "s" } else { "" }
            );
            for e in &errors {
                eprintln!("  - {e}");
            }
            eprintln!("(see receiver --help)");
            return ExitCode::from(2);
        }
    };
    let Some(runtime) = runtime() else {
        return ExitCode::FAILURE;
    };
    match runtime.block_on(receiver::run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("receiver: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The async runtime; `None` (said on stderr) if it cannot start.
fn runtime() -> Option<tokio::runtime::Runtime> {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => Some(rt),
        Err(e) => {
            eprintln!("receiver: cannot start the runtime: {e}");
            None
        }
    }
}
