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
//     `l1-vault/StakingVault.sol`, its imports resolved in contracts/l1-vault/src/);
//   - real DeFi code for the L2 world's tests (tests/src/defi.rs), each compiled as its own
//     project builds it, from the registry packages:
//       - Uniswap V2's UniswapV2Factory and UniswapV2Pair from @uniswap/v2-core 1.0.1 with
//         solc 0.5.16, evmVersion istanbul, 999,999 optimizer runs, under the source names of
//         v2-core's own repository (`contracts/UniswapV2Pair.sol`, ...): the metadata hash at
//         the end of the bytecode covers the source names, and the router's library hard-codes
//         the keccak of the pair's creation code (UNISWAP_PAIR_INIT_CODE_HASH). The build
//         asserts that hash and fails otherwise (a router computing other pair addresses
//         would call empty accounts);
//       - UniswapV2Router02 and WETH9 (contracts/test/WETH9.sol: its fallback is commented
//         out, deposit() wraps) from @uniswap/v2-periphery 1.1.0-beta.0 with solc 0.6.6,
//         istanbul, 999,999 runs, under periphery's own source names; its imports of
//         @uniswap/v2-core and @uniswap/lib resolve as Node resolves them from the package;
//       - Safe, SafeL2, SafeProxyFactory and CompatibilityFallbackHandler from
//         @safe-global/safe-smart-account 1.5.0 with our solc 0.8.28 (the package's pragma is
//         `>=0.7.0 <0.9.0`; its own release uses 0.7.6), evmVersion paris, 2,000 runs.
//
// Settings (unless stated above): optimizer on with 2000 runs, the setting nitro-contracts' own
// build uses for these contracts (its hardhat config: solc 0.8.17, runs 2000), so L1 gas comes out close to the
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
const SAFE = '@safe-global/safe-smart-account/contracts';
const UNISWAP_CORE_DIR = path.join(NODE_MODULES, '@uniswap', 'v2-core');
const UNISWAP_PERIPHERY_DIR = path.join(NODE_MODULES, '@uniswap', 'v2-periphery');
/** Uniswap V2's optimizer setting (v2-core's and v2-periphery's .waffle.json). */
const UNISWAP_RUNS = 999999;
/**
 * keccak256 of UniswapV2Pair's creation code, as UniswapV2Library.pairFor in
 * @uniswap/v2-periphery hard-codes it (and as every Uniswap V2 deployment has it).
 */
const UNISWAP_PAIR_INIT_CODE_HASH = '0x96e8ac4277198ff8b6f785478aa9a39f403cb768dd02cbee326c3e7da348845f';

/**
 * Resolves a source name of a package compiled under its own repository's names: `contracts/...`
 * in `dir`, anything else (an import of another package) as Node resolves it from `dir`: its own
 * node_modules first (v2-periphery pins v2-core 1.0.0 there), then evm/node_modules.
 */
function packageResolver(dir) {
  return (name) => {
    if (name.startsWith('contracts/')) return path.join(dir, name);
    const nested = path.join(dir, 'node_modules', name);
    return fs.existsSync(nested) ? nested : path.join(NODE_MODULES, name);
  };
}

/**
 * One compilation job: a compiler, its settings and the sources whose contracts become
 * artifacts. `wanted` maps a source name to the contract names taken from it (null: every
 * contract in that file that has bytecode). `resolve` maps a source name to a file (default:
 * ours under evm/ and contracts/l1-vault/, packages under evm/node_modules); `runs` is the
 * optimizer's (default 2000); `check` inspects the job's artifacts and throws on a mismatch.
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
    {
      compiler: require('solc-0.5.16'),
      evmVersion: 'istanbul',
      runs: UNISWAP_RUNS,
      resolve: packageResolver(UNISWAP_CORE_DIR),
      wanted: new Map([
        ['contracts/UniswapV2Factory.sol', ['UniswapV2Factory']],
        ['contracts/UniswapV2Pair.sol', ['UniswapV2Pair']],
      ]),
      check: checkPairInitCodeHash,
    },
    {
      compiler: require('solc-0.6.6'),
      evmVersion: 'istanbul',
      runs: UNISWAP_RUNS,
      resolve: packageResolver(UNISWAP_PERIPHERY_DIR),
      wanted: new Map([
        ['contracts/UniswapV2Router02.sol', ['UniswapV2Router02']],
        ['contracts/test/WETH9.sol', ['WETH9']],
      ]),
    },
    {
      compiler: require('solc'),
      evmVersion: 'paris',
      wanted: new Map([
        [`${SAFE}/Safe.sol`, ['Safe']],
        [`${SAFE}/SafeL2.sol`, ['SafeL2']],
        [`${SAFE}/proxies/SafeProxyFactory.sol`, ['SafeProxyFactory']],
        [`${SAFE}/handler/CompatibilityFallbackHandler.sol`, ['CompatibilityFallbackHandler']],
      ]),
    },
  ];
}

/** keccak256 of hex `0x..` bytes, with the js-sha3 solc itself depends on. */
function keccak256(hex) {
  const sha3 = require(require.resolve('js-sha3', { paths: [path.dirname(require.resolve('solc'))] }));
  return `0x${sha3.keccak256(Buffer.from(hex.slice(2), 'hex'))}`;
}

/** Fails the build unless the pair's creation code hashes to what the router hard-codes. */
function checkPairInitCodeHash(artifacts) {
  const pair = artifacts.find((a) => a.contractName === 'UniswapV2Pair');
  const hash = keccak256(pair.bytecode);
  if (hash !== UNISWAP_PAIR_INIT_CODE_HASH) {
    throw new Error(
      `UniswapV2Pair's init code hash is ${hash}, not ${UNISWAP_PAIR_INIT_CODE_HASH} (the hash ` +
        'UniswapV2Router02 computes pair addresses with): the compiler, its settings or the ' +
        'source names differ from v2-core\'s own build',
    );
  }
  console.log(`ok   UniswapV2Pair init code hash ${hash} (the router's)`);
}

/** Maps a source name to a file: ours under evm/, packages under evm/node_modules/. */
function sourceFile(name) {
  if (name.startsWith('contracts/')) return path.join(EVM_DIR, name);
  if (name.startsWith(L1_VAULT_PREFIX)) return path.join(L1_VAULT_SRC, name.slice(L1_VAULT_PREFIX.length));
  return path.join(NODE_MODULES, name);
}

/** solc's import callback: resolves every import from evm/node_modules and evm/contracts. */
function findImports(name, resolve = sourceFile) {
  const file = resolve(name);
  try {
    return { contents: fs.readFileSync(file, 'utf8') };
  } catch (e) {
    return { error: `cannot read ${name} (looked at ${file}): ${e.message}` };
  }
}

function compile(job) {
  const resolve = job.resolve || sourceFile;
  const runs = job.runs || OPTIMIZER_RUNS;
  const sources = {};
  for (const name of job.wanted.keys()) {
    sources[name] = { content: fs.readFileSync(resolve(name), 'utf8') };
  }
  const settings = {
    optimizer: { enabled: true, runs },
    outputSelection: {
      '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] },
    },
  };
  if (job.evmVersion) settings.evmVersion = job.evmVersion;
  const input = { language: 'Solidity', sources, settings };
  const output = JSON.parse(job.compiler.compile(JSON.stringify(input), { import: (name) => findImports(name, resolve) }));
  const errors = (output.errors || []).filter((e) => e.severity === 'error');
  if (errors.length > 0) {
    for (const e of errors) console.error(e.formattedMessage || e.message);
    throw new Error(`solc ${job.compiler.version()} failed with ${errors.length} error(s)`);
  }
  // Warnings from our own files are shown (the packages' own are theirs to fix).
  for (const e of output.errors || []) {
    const file = e.sourceLocation && e.sourceLocation.file;
    const ours = !job.resolve && file && (file.startsWith('contracts/') || file.startsWith(L1_VAULT_PREFIX));
    if (e.severity !== 'error' && ours) {
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
          optimizer: { enabled: true, runs },
        },
        abi: c.abi,
        bytecode: `0x${c.evm.bytecode.object}`,
        deployedBytecode: `0x${c.evm.deployedBytecode.object}`,
      });
    }
  }
  if (job.check) job.check(artifacts);
  return artifacts;
}

function main() {
  const started = Date.now();
  fs.mkdirSync(OUT_DIR, { recursive: true });
  // Each job's compile time is printed: the Uniswap and Safe jobs are the slow ones.
  const times = [];
  const all = jobs().flatMap((job) => {
    const t = Date.now();
    const artifacts = compile(job);
    const names = artifacts.map((a) => a.contractName);
    const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')}, ...` : names.join(', ');
    times.push(`solc ${job.compiler.version().split('+')[0]} ${((Date.now() - t) / 1000).toFixed(1)} s (${shown})`);
    return artifacts;
  });

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
  console.log(`evm-build: ${all.length} artifacts in artifacts/evm (${secs} s: ${times.join('; ')})`);
}

try {
  main();
} catch (e) {
  console.error(`evm-build: ${e.message}`);
  process.exit(1);
}
