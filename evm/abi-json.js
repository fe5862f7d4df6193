#!/usr/bin/env node
// SPDX-License-Identifier: MIT
//
// Writes each protocol contract's JSON ABI, artifacts/abi/<contract>.json, from the Solidity
// interface scripts/build exported beside it, artifacts/abi/<contract>.sol (the contract's
// abi/I<Name>.sol: docs/interfaces.md), with solc from the npm registry (the version pinned in
// package.json): wagmi, viem, ethers and Safe's transaction builder read JSON, not Solidity.
//
//   node evm/abi-json.js access-manager staking-pool ...   (scripts/build: every contract)
//
// The file is solc's own ABI output: the interface's functions (both programs' of a split
// contract: integrators call one address), receive(), events and errors, and the constructor of
// the file's `abstract contract <Name>Deployment`, which the StylusDeployer calls. solc leaves
// constructors out of an abstract contract's ABI, so that contract is compiled as a concrete
// one (its constructor has an empty body: nothing else changes); its constructor entry and the
// interface's entries are ordered as solc orders one contract's ABI (by type, then name: the
// constructor first). The Solidity must compile: an interface file solc rejects fails the build.
//
// Idempotent: a file is rewritten only when its content changes.

'use strict';

const fs = require('fs');
const path = require('path');

const REPO = path.resolve(__dirname, '..');
const ABI_DIR = path.join(REPO, 'artifacts', 'abi');
const solc = require('solc');

/** solc's order of a contract's ABI entries (libsolidity/interface/ABI.cpp): by (type, name),
 * a missing name (the constructor's, receive's) before any name, equal keys in insertion order
 * (Array.prototype.sort is stable). */
function solcOrder(a, b) {
  const key = (e) => [e.type, e.name === undefined ? null : e.name];
  const [ta, na] = key(a);
  const [tb, nb] = key(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (na === nb) return 0;
  if (na === null) return -1;
  if (nb === null) return 1;
  return na < nb ? -1 : 1;
}

/** A deployment contract is compiled concrete, so that solc emits its constructor. */
const DEPLOYMENT = /\babstract(\s+contract\s+\w+Deployment\b)/g;

function main() {
  const contracts = process.argv.slice(2);
  if (contracts.length === 0) throw new Error('usage: node evm/abi-json.js <contract>...');
  const sources = {};
  for (const c of contracts) {
    const file = path.join(ABI_DIR, `${c}.sol`);
    if (!fs.existsSync(file)) throw new Error(`${path.relative(REPO, file)} is missing (scripts/build exports it)`);
    sources[`${c}.sol`] = { content: fs.readFileSync(file, 'utf8').replace(DEPLOYMENT, '$1') };
  }
  const input = { language: 'Solidity', sources, settings: { outputSelection: { '*': { '*': ['abi'] } } } };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const problems = output.errors || [];
  for (const e of problems) console.error(e.formattedMessage || e.message);
  const errors = problems.filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(`solc ${solc.version()} rejected the interfaces: ${errors.length} error(s)`);

  for (const c of contracts) {
    const units = output.contracts[`${c}.sol`] || {};
    const names = Object.keys(units);
    const interfaces = names.filter((n) => !n.endsWith('Deployment'));
    const deployments = names.filter((n) => n.endsWith('Deployment'));
    if (interfaces.length !== 1 || deployments.length > 1) {
      throw new Error(`artifacts/abi/${c}.sol: expected one interface and at most one <Name>Deployment, found ${names.join(', ')}`);
    }
    const abi = [...units[interfaces[0]].abi];
    for (const d of deployments) {
      const entries = units[d].abi;
      if (entries.some((e) => e.type !== 'constructor')) {
        throw new Error(`artifacts/abi/${c}.sol: ${d} declares more than a constructor`);
      }
      abi.push(...entries);
    }
    abi.sort(solcOrder);
    const file = path.join(ABI_DIR, `${c}.json`);
    const text = `${JSON.stringify(abi, null, 2)}\n`;
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) fs.writeFileSync(file, text);
    const count = (type) => abi.filter((e) => e.type === type).length;
    console.log(
      `wrote the JSON ABI of ${c}: artifacts/abi/${c}.json (${interfaces[0]}: ${count('function')} functions, ` +
        `${count('event')} events, ${count('error')} errors${count('constructor') ? ', constructor' : ''}` +
        `${count('receive') ? ', receive' : ''}${count('fallback') ? ', fallback' : ''}; solc ${solc.version().split('+')[0]})`,
    );
  }
}

try {
  main();
} catch (e) {
  console.error(`abi-json: ${e.message}`);
  process.exit(1);
}
