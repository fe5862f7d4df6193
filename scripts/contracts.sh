# Sourced by the scripts: the contract crates, in deployment order.
# shellcheck disable=SC2034
CONTRACTS=(access-manager staking-pool)
# Stylus limit on a program's brotli-compressed wasm (quality 11, window 22).
SIZE_LIMIT=24576
