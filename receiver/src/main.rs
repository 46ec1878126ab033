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
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("receiver: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(receiver::run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("receiver: {e}");
            ExitCode::FAILURE
        }
    }
}
