#!/usr/bin/env bash
# Benchmark of the mail connector: one address lookup over a generated mbox
# archive, as a whole process, against `rg -c -F` and a plain Python script
# (mailbox + email) on the same file in the same run.
#
#   bench/mail.sh                 # 1 GB archive
#   SIZES="512M 1G 2G" bench/mail.sh   # memory must stay flat as it grows
#   RUNS=5 PYTHON=0 bench/mail.sh      # more runs, skip the slow Python reference
#
# Archives are generated (deterministic, seed 7) under bench/out/ (git-ignored)
# when missing. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-1G}
RUNS=${RUNS:-3}
PYTHON=${PYTHON:-1}
TENANTS=${TENANTS:-2000}

cargo build --release -q -p inzage-testkit --bin inzage-estate
cargo build --release -q -p inzage-connectors --example mail_scan
command -v rg >/dev/null || { echo "ripgrep missing: apt-get install -y ripgrep" >&2; exit 1; }

best() { # best of N runs of a command: the JSON line with the lowest seconds
  local n=$1; shift
  for _ in $(seq "$n"); do python3 bench/measure.py "$@"; done |
    python3 -c 'import sys,json; r=[json.loads(l) for l in sys.stdin]; print(json.dumps(min(r,key=lambda x:x["seconds"])))'
}

row() { # name, bytes, json
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
name, size, r = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
print(f"| {name} | {r['seconds']:.3f} | {size / 1e6 / r['seconds']:.0f} | "
      f"{r['rss_anon_kb'] / 1024:.1f} | {r['vm_hwm_kb'] / 1024:.0f} | {r['stdout'][0]} |")
PY
}

echo "machine: $(nproc) cores, $(grep MemTotal /proc/meminfo | awk '{printf "%.0f GiB", $2/1048576}'), $(uname -r); $(rustc --version); $(rg --version | head -1); $(python3 --version)"
for size in $SIZES; do
  dir=bench/out/mail-$size
  archive=$dir/mail/archive.mbox
  if [ ! -s "$archive" ] || [ ! -s "$dir/klantnummer" ]; then
    echo "generating $archive ..." >&2
    ./target/release/inzage-estate --seed 7 --tenants "$TENANTS" --out "$dir" --mail-bytes "$size" | tee "$dir.log" >&2
    awk '/^address /{print $2}' "$dir.log" > "$dir/address"
    awk '/^klantnummer /{print $2}' "$dir.log" > "$dir/klantnummer"
    awk '/^in_headers /{h=$2} /^in_forwards /{f=$2} END{print h, f}' "$dir.log" > "$dir/expected"
  fi
  address=$(cat "$dir/address")
  bytes=$(stat -c %s "$archive")
  cat "$archive" > /dev/null # warm the page cache for every tool alike
  echo
  echo "archive $archive: $bytes bytes, $(grep -c '^From ' "$archive") messages; address $address; expected (headers, forwards): $(cat "$dir/expected")"
  echo
  echo "| tool | seconds | MB/s | RssAnon peak MB | VmHWM MB | count |"
  echo "|---|---:|---:|---:|---:|---:|"
  row "inzage mail_scan (2 threads)" "$bytes" "$(best "$RUNS" ./target/release/examples/mail_scan "$archive" --email "$address")"
  row "inzage mail_scan (1 thread)" "$bytes" "$(best "$RUNS" ./target/release/examples/mail_scan "$archive" --email "$address" --threads 1)"
  row "inzage mail_scan, klantnummer $(cat "$dir/klantnummer") (mover: also inside base64 bodies; decodes every text part)" "$bytes" "$(best "$RUNS" ./target/release/examples/mail_scan "$archive" --klantnummer "$(cat "$dir/klantnummer")")"
  row "rg -c -F (lines)" "$bytes" "$(best "$RUNS" rg -c -F "$address" "$archive")"
  if [ "$PYTHON" = 1 ]; then
    row "python3 mailbox+email" "$bytes" "$(best 1 python3 bench/mail_ref.py "$archive" "$address")"
  fi
done
