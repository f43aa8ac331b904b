#!/usr/bin/env bash
# The corporation-scale benchmark (issue 12): whole exports of 20 randomly
# chosen tenants (fixed seed) of a corporation-size estate, with the HTTP test
# servers in their own process at 0 and 100 ms latency per request, the
# critical path next to each export, peak RssAnon and VmHWM, the mail archive
# cold and warm against `rg -c -F`, and the mail index when `inzage index`
# exists. Prints a Markdown report (also saved under bench/out/).
#
#   bench/scale.sh                       # 1 GB archive; PostgreSQL too when INZAGE_TEST_PG_URL is set
#   BIG=1 bench/scale.sh                 # also the 10 GB archive (11 GB of disk, minutes to generate)
#   TENANTS=5 LATENCIES=0 SMALL=0 PG=0 bench/scale.sh   # a quick look
#   BIG=1 PARTS=mail bench/scale.sh     # only the mail part (PARTS: exports mail index)
#   BIG=1 PARTS=index bench/scale.sh    # only the mail index: build, then exports with it, warm and cold
#
# The estate is generated once (deterministic, seed 7) under
# bench/out/corporation/ (git-ignored) and reused: 100,000 relaties,
# 1,000,000 contactmomenten, 200,000 inschrijvingen, 100,000 signaleringen,
# 50,000 survey answers; bench/out/corporation-10k/ holds the same at a tenth.
# Set INZAGE_BENCH_PG_URL (or INZAGE_TEST_PG_URL) to an admin URL of a
# PostgreSQL server to also export from the ERP loaded there
# (database inzage_bench_erp, created and loaded once).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${BIG:-0}" = 1 ]; then export MAILS="${MAILS:-1G 10G}"; fi
cargo build --release -q
cargo build --release -q -p inzage-testkit --bin inzage-corporation --bin inzage-test-servers
cargo build --release -q -p inzage-connectors --example mail_scan
command -v rg >/dev/null || { echo "ripgrep missing: apt-get install -y ripgrep" >&2; exit 1; }
mkdir -p bench/out
stamp=$(date -u +%Y%m%dT%H%M%SZ)
python3 bench/scale.py | tee "bench/out/scale-$stamp.md"
