#!/usr/bin/env node
// SPDX-License-Identifier: MIT
//
// Compiles the Solidity of the test worlds with solc from the npm registry (versions pinned in
// package.json) and writes one artifact per contract to artifacts/evm/<ContractName>.json:
//
//   { "contractName", "sourceName", "compiler", "abi", "bytecode": "0x..", "deployedBytecode": "0x.." }
//
// What is compiled:
//   - Arbitrum's Bridge, Inbox and Outbox, from the registry package @arbitrum/nitro-contracts
//     (read from node_modules, never copied into the repository), with solc 0.8.28;
//   - nitro's StylusDeployer with solc 0.8.17 (its pragma is exactly 0.8.17);
//   - OpenZeppelin 4.7.3's TransparentUpgradeableProxy and ProxyAdmin (the version nitro-contracts
//     depends on): the bridge contracts' `initialize` is `onlyDelegated`, so they sit behind
//     proxies, as on Arbitrum One; and its ERC20PresetFixedSupply, a plain ERC-20 the tests of
//     our ERC-20 integrator run against on L1;
//   - every contract in evm/contracts/ (ours);
//   - the protocol's L1 vault, contracts/l1-vault/src/StakingVault.sol (ours; source name
//     `l1-vault/StakingVault.sol`, its imports resolved in contracts/l1-vault/src/).
//
// Settings: optimizer on with 2000 runs, the setting nitro-contracts' own build uses for these
// contracts (its hardhat config: solc 0.8.17, runs 2000), so L1 gas comes out close to the
// deployed contracts'. EVM version "prague" for solc 0.8.28 (the fork the L1 world runs; the
// code is the same as for "cancun", Prague adds no opcode that solc emits), solc 0.8.17's
// default ("london") for the StylusDeployer. Every runtime bytecode must stay under EIP-170's
// 24,576 bytes: the build prints the sizes and fails otherwise.
//
// The build is idempotent: the same inputs give byte-identical artifacts, a file is rewritten only
// when its content changes, and artifacts of contracts that no longer exist are removed.

'use strict';

const fs = require('fs');
const path = require('path');

const EVM_DIR = __dirname;
const REPO = path.resolve(EVM_DIR, '..');
const NODE_MODULES = path.join(EVM_DIR, 'node_modules');
const OUR_CONTRACTS = path.join(EVM_DIR, 'contracts');
/** The protocol's L1 vault: source names `l1-vault/<file>` live in contracts/l1-vault/src/. */
const L1_VAULT_PREFIX = 'l1-vault/';
const L1_VAULT_SRC = path.join(REPO, 'contracts', 'l1-vault', 'src');
const OUT_DIR = path.join(REPO, 'artifacts', 'evm');

/** EIP-170: the largest runtime bytecode a CREATE may deploy. */
const EIP170_LIMIT = 24576;
/** nitro-contracts' own optimizer setting for the bridge contracts. */
const OPTIMIZER_RUNS = 2000;

const NITRO = '@arbitrum/nitro-contracts/src';
const OZ_TRANSPARENT = '@openzeppelin/contracts/proxy/transparent';
const OZ_ERC20_PRESETS = '@openzeppelin/contracts/token/ERC20/presets';

/**
 * One compilation job: a compiler, its settings and the sources whose contracts become
 * artifacts. `wanted` maps a source name to the contract names taken from it (null: every
 * contract in that file that has bytecode).
 */
function jobs() {
  const ours = fs
    .readdirSync(OUR_CONTRACTS)
    .filter((f) => f.endsWith('.sol'))
    .sort()
    .map((f) => [`contracts/${f}`, null]);
  return [
    {
      compiler: require('solc'),
      evmVersion: 'prague',
      wanted: new Map([
        [`${NITRO}/bridge/Bridge.sol`, ['Bridge']],
        [`${NITRO}/bridge/Inbox.sol`, ['Inbox']],
        [`${NITRO}/bridge/Outbox.sol`, ['Outbox']],
        [`${OZ_TRANSPARENT}/TransparentUpgradeableProxy.sol`, ['TransparentUpgradeableProxy']],
        [`${OZ_TRANSPARENT}/ProxyAdmin.sol`, ['ProxyAdmin']],
        // A plain ERC-20 for the L1 tests of our ERC-20 integrator (ReceiptTokenHolder).
        [`${OZ_ERC20_PRESETS}/ERC20PresetFixedSupply.sol`, ['ERC20PresetFixedSupply']],
        ...ours,
        [`${L1_VAULT_PREFIX}StakingVault.sol`, ['StakingVault']],
      ]),
    },
    {
      compiler: require('solc-0.8.17'),
      evmVersion: undefined, // the compiler's default
      wanted: new Map([[`${NITRO}/stylus/StylusDeployer.sol`, ['StylusDeployer']]]),
    },
  ];
}

/** Maps a source name to a file: ours under evm/, packages under evm/node_modules/. */
function sourceFile(name) {
  if (name.startsWith('contracts/')) return path.join(EVM_DIR, name);
  if (name.startsWith(L1_VAULT_PREFIX)) return path.join(L1_VAULT_SRC, name.slice(L1_VAULT_PREFIX.length));
  return path.join(NODE_MODULES, name);
}

/** solc's import callback: resolves every import from evm/node_modules and evm/contracts. */
function findImports(name) {
  const file = sourceFile(name);
  try {
    return { contents: fs.readFileSync(file, 'utf8') };
  } catch (e) {
    return { error: `cannot read ${name} (looked at ${file}): ${e.message}` };
  }
}

function compile(job) {
  const sources = {};
  for (const name of job.wanted.keys()) {
    sources[name] = { content: fs.readFileSync(sourceFile(name), 'utf8') };
  }
  const settings = {
    optimizer: { enabled: true, runs: OPTIMIZER_RUNS },
    outputSelection: {
      '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] },
    },
  };
  if (job.evmVersion) settings.evmVersion = job.evmVersion;
  const input = { language: 'Solidity', sources, settings };
  const output = JSON.parse(job.compiler.compile(JSON.stringify(input), { import: findImports }));
  const errors = (output.errors || []).filter((e) => e.severity === 'error');
  if (errors.length > 0) {
    for (const e of errors) console.error(e.formattedMessage || e.message);
    throw new Error(`solc ${job.compiler.version()} failed with ${errors.length} error(s)`);
  }
  // Warnings from our own files are shown (the packages' own are theirs to fix).
  for (const e of output.errors || []) {
    const file = e.sourceLocation && e.sourceLocation.file;
    if (e.severity !== 'error' && file && (file.startsWith('contracts/') || file.startsWith(L1_VAULT_PREFIX))) {
      console.warn(e.formattedMessage || e.message);
    }
  }
  const artifacts = [];
  for (const [sourceName, names] of job.wanted) {
    const contracts = output.contracts[sourceName] || {};
    const picked = names || Object.keys(contracts).filter((n) => contracts[n].evm.bytecode.object !== '');
    for (const contractName of picked) {
      const c = contracts[contractName];
      if (!c) throw new Error(`${sourceName} has no contract ${contractName}`);
      artifacts.push({
        contractName,
        sourceName,
        compiler: {
          version: job.compiler.version(),
          evmVersion: job.evmVersion || 'default',
          optimizer: { enabled: true, runs: OPTIMIZER_RUNS },
        },
        abi: c.abi,
        bytecode: `0x${c.evm.bytecode.object}`,
        deployedBytecode: `0x${c.evm.deployedBytecode.object}`,
      });
    }
  }
  return artifacts;
}

function main() {
  const started = Date.now();
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const all = jobs().flatMap(compile);

  const seen = new Set();
  let oversized = 0;
  for (const a of all) {
    if (seen.has(a.contractName)) throw new Error(`two contracts are named ${a.contractName}`);
    seen.add(a.contractName);
    const runtime = (a.deployedBytecode.length - 2) / 2;
    const init = (a.bytecode.length - 2) / 2;
    const ok = runtime <= EIP170_LIMIT;
    if (!ok) oversized += 1;
    const version = a.compiler.version.split('+')[0];
    console.log(
      `${ok ? 'ok  ' : 'FAIL'} ${a.contractName.padEnd(28)} runtime ${String(runtime).padStart(6)} B` +
        ` (limit ${EIP170_LIMIT}), init ${String(init).padStart(6)} B, solc ${version}` +
        ` ${a.compiler.evmVersion}, ${a.sourceName}`,
    );
    const file = path.join(OUT_DIR, `${a.contractName}.json`);
    const text = `${JSON.stringify(a, null, 2)}\n`;
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) fs.writeFileSync(file, text);
  }
  // Artifacts of contracts that no longer exist would be loaded silently: remove them.
  for (const f of fs.readdirSync(OUT_DIR)) {
    if (f.endsWith('.json') && !seen.has(f.slice(0, -'.json'.length))) {
      fs.unlinkSync(path.join(OUT_DIR, f));
      console.log(`removed stale artifacts/evm/${f}`);
    }
  }
  if (oversized > 0) {
    throw new Error(`${oversized} contract(s) exceed EIP-170's ${EIP170_LIMIT}-byte runtime limit`);
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`evm-build: ${all.length} artifacts in artifacts/evm (${secs} s)`);
}

try {
  main();
} catch (e) {
  console.error(`evm-build: ${e.message}`);
  process.exit(1);
}
