# Sourced by the scripts: the contract crates, in deployment order.
# shellcheck disable=SC2034
CONTRACTS=(access-manager staking-pool withdrawal-queue)
# Every wasm program: a crate, or crate:feature for a second program built from the same crate
# with that feature (artifact crate-feature.wasm). The withdrawal queue is two programs: the core
# and the extension it delegates its views and administration to.
PROGRAMS=(access-manager staking-pool withdrawal-queue withdrawal-queue:extension)
# Stylus limit on a program's brotli-compressed wasm (quality 11, window 22).
SIZE_LIMIT=24576
