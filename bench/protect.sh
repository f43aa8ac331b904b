#!/usr/bin/env bash
# Benchmark of third-party protection with a corporation-size people index:
# the same story export against the fixture ERP (64 relaties) and against a
# copy of it with 100,000 more relaties (names recombined from the
# estate's first names, tussenvoegsels and surnames), plus the export with
# the people index switched off, in the same run.
#
#   bench/protect.sh               # 100,000 extra relaties, best of 5
#   PEOPLE=500000 RUNS=3 bench/protect.sh
#
# Work files go to bench/out/protect/ (git-ignored). Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."

PEOPLE=${PEOPLE:-100000}
RUNS=${RUNS:-5}
CUSTOMER=${CUSTOMER:-001001}
OUT=bench/out/protect
mkdir -p "$OUT"

cargo build --release -q
BIN=target/release/inzage

big="$OUT/erp-$PEOPLE.sqlite"
if [ ! -f "$big" ]; then
  cp fixtures/erp/erp.sqlite "$big.tmp"
  sqlite3 "$big.tmp" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $PEOPLE),
  v AS (SELECT voornamen, row_number() OVER () - 1 AS k FROM (SELECT DISTINCT voornamen FROM relatie)),
  a AS (SELECT tussenvoegsel, achternaam, row_number() OVER () - 1 AS k FROM (SELECT DISTINCT tussenvoegsel, achternaam FROM relatie))
INSERT INTO relatie
SELECT printf('%06d', 200000 + i), v.voornamen, a.tussenvoegsel, a.achternaam, 'X', '1980-01-01',
       printf('%09d', i), 'NL00XMPL0000000000', NULL, '2020-01-01 00:00:00'
FROM n
JOIN v ON v.k = i % (SELECT count(*) FROM v)
JOIN a ON a.k = (i / (SELECT count(*) FROM v)) % (SELECT count(*) FROM a);
SQL
  mv "$big.tmp" "$big"
fi
echo "people index rows: $(sqlite3 "$big" 'SELECT count(*) FROM relatie')" >&2

config() { # name, sqlite url, people index on/off
  local file="$OUT/$1.toml"
  sed -e "s#sqlite:fixtures/#sqlite:$PWD/fixtures/#" \
      -e "s#\"fixtures/#\"$PWD/fixtures/#g" connectors.toml > "$file"
  sed -i "s#sqlite:$PWD/fixtures/erp/erp.sqlite#sqlite:$PWD/$2#" "$file"
  if [ "$3" = off ]; then
    python3 - "$file" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
s = re.sub(r'\n\[protect\.people\]\nconnector = "erp"\nquery = "[^"]*"\n', '\n', s)
open(p, 'w').write(s)
PY
  fi
  echo "$file"
}

best() { # best of N runs: the JSON line with the lowest seconds
  local n=$1; shift
  for _ in $(seq "$n"); do python3 bench/measure.py "$@"; done |
    python3 -c 'import sys,json; r=[json.loads(l) for l in sys.stdin]; print(json.dumps(min(r,key=lambda x:x["seconds"])))'
}

run() { # label, config
  local r
  r=$(best "$RUNS" "$BIN" --config "$2" export --customer "$CUSTOMER" --out "$OUT/b.zip" --force --now 2026-11-25T10:00:00Z)
  python3 - "$1" "$r" <<'PY'
import json, sys
label, r = sys.argv[1], json.loads(sys.argv[2])
print(f"| {label} | {r['seconds']:.3f} | {r['rss_anon_kb'] / 1024:.1f} | {r['vm_hwm_kb'] / 1024:.0f} |")
PY
}

echo "machine: $(nproc) cores, $(grep MemTotal /proc/meminfo | awk '{printf "%.0f GiB", $2/1048576}'), $(uname -r); $(rustc --version); $(date -u +%F)"
echo
echo "| export of $CUSTOMER | seconds (best of $RUNS) | RssAnon MB | VmHWM MB |"
echo "|---|---|---|---|"
run "fixture ERP, people index off" "$(config small-off fixtures/erp/erp.sqlite off)"
run "fixture ERP, people index on (64 relaties)" "$(config small-on fixtures/erp/erp.sqlite on)"
run "ERP + $PEOPLE relaties, people index off" "$(config big-off "$big" off)"
run "ERP + $PEOPLE relaties, people index on" "$(config big-on "$big" on)"
