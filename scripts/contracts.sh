# Sourced by the scripts: the contract crates, in deployment order.
# shellcheck disable=SC2034
CONTRACTS=(access-manager staking-pool withdrawal-queue node-operator-registry accounting-oracle)
# Every wasm program: a crate, or crate:feature for a second program built from the same crate
# with that feature (artifact crate-feature.wasm). The withdrawal queue is two programs: the core
# and the extension it delegates its views and administration to. deposit-contract is the
# test double of the beacon deposit contract the end-to-end tests deploy (not a production
# contract: no ABI export).
PROGRAMS=(access-manager staking-pool withdrawal-queue withdrawal-queue:extension node-operator-registry node-operator-registry:extension accounting-oracle deposit-contract)
# Stylus limit on a program's brotli-compressed wasm (quality 11, window 22).
SIZE_LIMIT=24576
