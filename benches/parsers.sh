#!/bin/sh
# The long pass over every parser (tests/parsers.rs and the event stream's parser in src/hub/feed.rs):
# each property with CASES random and mutated inputs (default 20000), in the release profile.
#   benches/parsers.sh [CASES]
set -eu
cd "$(dirname "$0")/.."
cases=${1:-20000}
start=$(date +%s)
PROPTEST_CASES=$cases cargo test --release --test parsers -- --test-threads=2
PROPTEST_CASES=$cases cargo test --release --lib hub::feed::tests
echo "parsers: $cases cases per property, $(( $(date +%s) - start )) s"
