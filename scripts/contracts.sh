# Sourced by the scripts: the contract crates, in deployment order.
# shellcheck disable=SC2034
CONTRACTS=(access-manager staking-pool withdrawal-queue node-operator-registry accounting-oracle)
# Every wasm program: a crate, or crate:feature for a second program built from the same crate
# with that feature (artifact crate-feature.wasm). The staking pool, the withdrawal queue and the
# node operator registry are two programs each: the core and the extension it delegates the
# selectors it does not route to (the pool's: oracle report processing and its configuration).
PROGRAMS=(access-manager staking-pool staking-pool:extension withdrawal-queue withdrawal-queue:extension node-operator-registry node-operator-registry:extension accounting-oracle accounting-oracle:extension)
# Stylus limit on a program's brotli-compressed wasm (quality 11, window 22).
SIZE_LIMIT=24576
