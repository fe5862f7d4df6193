//! The end-to-end tests: the release wasm (artifacts/wasm, built by `scripts/build`) on the
//! in-process Stylus VM, one module per file of this directory.
//!
//! One test binary rather than one per file: each binary links the VM, and with it wasmtime and
//! cranelift, so sixteen binaries meant sixteen links of the same code and sixteen copies of it
//! on disk (README, "Test binaries"). A file's tests run alone with its module path as the
//! filter: `cargo test -p protocol-tests --test e2e queue::` (`queue::claims::` for one of its
//! groups, a full path for one test).

// The AccessManager's delays on the real clock.
mod access;
// Issue 18's bank run across both worlds.
mod bank_run;
// Malformed calldata from an account without roles, on every program: typed reverts or
// documented refusals, never a trap or a state change.
mod calldata_fuzz;
// Real DeFi code on L2 (Uniswap V2, Safe, from npm): the rebasing token in a Uniswap pair (why
// the wrapped token exists), a Safe's EIP-1271 signatures and transactions on the protocol.
mod defi;
// Deployment in one transaction through the StylusDeployer: a stranger between every step,
// constructors that run once, failed constructors that leave nothing.
mod deployment;
// Solidity beside the programs on L2: an EVM holder of the receipt token, an EVM owner of
// withdrawal NFTs, EVM receivers of the queue's ether and NFTs calling back into Stylus.
mod evm_composition;
// Exits on demand: exit lists, late operators, forced exits through L1 (issue 18).
mod exits;
// The gas targets of docs/gas.md (the full table is `scripts/gas-report`).
mod gas;
// The generated routers against the interface files: every function served by the program
// its file names, non-payable functions refusing ether, in both programs.
mod interfaces;
// The L1 vault's ether in the reports: vault balance and bridged ether, the pool's one L1
// figure, receipts moved into the buffer, the identity after every step; the new refusals.
mod l1_accounting;
// Ether returned from the L1 vault: retryable tickets from its alias counted, not minted;
// anything else a deposit; the vault set once by the admin role.
mod l1_ether;
// The oracle committee, with time moving across frames.
mod oracle;
// Random reports, deposits, exits and claims, the accounting identities checked after each step.
mod oracle_invariants;
// The whole report path: votes, data, the pool's processing, fees, finalization, bunker mode,
// lying reports, exits.
mod oracle_reports;
// The pool: deposits, transfers, the stake limit, pauses and roles.
mod pool;
// ERC-2612 permit on the receipt token (EOAs, a real Safe through EIP-1271), its domain, the
// permit program's replacement, and Lido's names: the pool's permit program.
mod permit;
// The pool's extension program (oracle report processing), the oracle stood in by an account.
mod pool_report;
// Every privileged selector of every program, from an account without the role: the typed
// error, nothing changed; and no selector left out of the table.
mod privileged;
// The withdrawal queue: requests, the NFT, finalization, claims, views, pausing.
mod queue;
// Lido's request variants on the queue: with an EOA's permit (front-run, failed), and paid in
// the wrapped token (with and without permit), through finalization and claims.
mod queue_permit;
// The share rate's bound per report, read through the wrapped token's feeds: the largest rise
// and fall the sanity limits allow, one wei beyond refused.
mod rate_bounds;
// The L1 leg end to end on both worlds: batches through the Outbox, guarded deposits on L1,
// rewards and withdrawals bridged back and reported; the attacks on each crossing.
mod round_trip;
// Random sequences of queue actions, the queue's identities checked after each step.
mod queue_invariants;
// Random steps across both worlds (deposits, batches through the Outbox, guarded deposits and
// cancels on L1, rewards, exits, tickets that wait, reports while ether is in flight), every
// identity of DESIGN.md checked after each step.
mod two_world_invariants;
// The one upgrade policy of the four split contracts: upgradeExtension under UPGRADE_ROLE,
// behind the AccessManager's delay, only to a program answering the extension id.
mod upgrades;
// Operators, keys, guarded deposits and rewards.
mod validators;
// Random operator, key, deposit and reward actions, the allocation rule and the accounting
// identities checked after each step.
mod validators_invariants;
// The pool's side of the wrapped token, an account standing in for the token: wrapFrom (the token
// alone, no allowance), transferSharesWithRate, the rate they return, the pause, getLastReport.
mod wrapping;
// The wrapped token with the real pool: wrap and unwrap across reports, ether in one call, the
// token pause, EOA permits, the rate feeds, and the ERC-4626 exact reference model.
mod wrapped;
