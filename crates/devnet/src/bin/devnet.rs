//! `devnet`: starts the L2 and L1 endpoints on loopback, prints them with the funded dev
//! accounts, and serves until Ctrl-C or SIGTERM, then stops cleanly.
//!
//! ```text
//! devnet [--l2-port 8547] [--l1-port 8545] [--beacon-port 5052] [--accounts 10] [--host 127.0.0.1]
//! ```

use std::{net::IpAddr, process::ExitCode};

use devnet::{Config, Devnet};

fn usage() -> &'static str {
    "usage: devnet [--l2-port PORT] [--l1-port PORT] [--accounts N] [--host IP]\n\
     Starts an Arbitrum (Stylus) and an Ethereum JSON-RPC endpoint with the relay between them.\n\
     Ports default to 8547 (L2, cargo-stylus's default) and 8545 (L1); 0 picks a free port."
}

fn parse(args: &[String]) -> Result<Config, String> {
    let mut config = Config::default();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = |name: &str| {
            it.next().cloned().ok_or_else(|| format!("{name} needs a value\n{}", usage()))
        };
        match flag.as_str() {
            "--l2-port" => {
                config.l2_port = value(flag)?.parse().map_err(|e| format!("--l2-port: {e}"))?;
            }
            "--beacon-port" => {
                config.beacon_port =
                    value(flag)?.parse().map_err(|e| format!("--beacon-port: {e}"))?;
            }
            "--l1-port" => {
                config.l1_port = value(flag)?.parse().map_err(|e| format!("--l1-port: {e}"))?;
            }
            "--accounts" => {
                config.accounts = value(flag)?.parse().map_err(|e| format!("--accounts: {e}"))?;
            }
            "--host" => {
                config.host = value(flag)?.parse::<IpAddr>().map_err(|e| format!("--host: {e}"))?;
            }
            "-h" | "--help" => return Err(usage().to_string()),
            other => return Err(format!("unknown argument {other}\n{}", usage())),
        }
    }
    Ok(config)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match parse(&args) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let devnet = match Devnet::start(&config) {
        Ok(devnet) => devnet,
        Err(e) => {
            eprintln!("devnet: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("L2 (Arbitrum, Stylus) chain {}: {}", config.l2_chain_id, devnet.l2_url());
    println!("L1 (Ethereum)         chain {}: {}", config.l1_chain_id, devnet.l1_url());
    println!("Beacon API (L1's validators):   {}", devnet.beacon_url());
    println!("dev accounts (funded on both chains; public keys, never use them elsewhere):");
    for (i, account) in devnet.accounts().iter().enumerate() {
        println!("  {i:>2} {} {}", account.address, account.key);
    }
    println!("ready");
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("devnet: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            () = async {
                match term.as_mut() {
                    Some(t) => { t.recv().await; }
                    None => std::future::pending::<()>().await,
                }
            } => {}
        }
    });
    println!("stopping");
    devnet.stop();
    println!("stopped");
    ExitCode::SUCCESS
}
