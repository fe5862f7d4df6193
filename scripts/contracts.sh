# Sourced by the scripts: the contract crates, in deployment order.
# shellcheck disable=SC2034
CONTRACTS=(access-manager staking-pool withdrawal-queue node-operator-registry accounting-oracle wrapped-token)
# Every wasm program: a crate, or crate:feature for a second program built from the same crate
# with that feature (artifact crate-feature.wasm). The staking pool, the withdrawal queue and the
# node operator registry are two programs each: the core and the extension it delegates the
# selectors it does not route to (the pool's: oracle report processing and its configuration);
# the pool has a third, its permit program (ERC-2612 permit and Lido's views), which its core
# delegates every selector that neither it nor the extension serves to.
PROGRAMS=(access-manager staking-pool staking-pool:extension staking-pool:permit withdrawal-queue withdrawal-queue:extension node-operator-registry node-operator-registry:extension accounting-oracle accounting-oracle:extension wrapped-token)
# Stylus limit on a program's brotli-compressed wasm (quality 11, window 22).
SIZE_LIMIT=24576
