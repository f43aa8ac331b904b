#!/usr/bin/env bash
# Benchmark of the mail index (`inzage index`): a full build, an update that
# reads nothing, an incremental update after appending 1 % to the mbox, and
# the cost of `email = "adressen_tekst"` (addresses in the text too) for the
# build and for a scan, on the archive bench/mail.sh generates.
#
#   bench/index.sh              # 1 GB archive
#   SIZE=10G bench/index.sh
#
# Targets (issue 12): build >= 500 MB/s; an update after a 1 % append costs
# <= 2 % of a full build. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${SIZE:-1G}
src=bench/out/mail-$SIZE
if [ ! -s "$src/mail/archive.mbox" ]; then SIZES=$SIZE RUNS=1 PYTHON=0 bench/mail.sh >&2; fi
cargo build --release -q
cargo build --release -q -p inzage-connectors --example mail_scan
work=bench/out/index-$SIZE
rm -rf "$work"; mkdir -p "$work"
cp "$src/mail/archive.mbox" "$work/archive.mbox"
# The fixture configuration's register and its mail source, over this archive.
python3 - "$work" <<'PY'
import sys
s = open("connectors.toml").read()
head, skip = [], False
for line in s[: s.index("[[connector]]")].split("\n"):
    if line.startswith("["):
        skip = line.startswith("[protect")
    if not skip:
        head.append(line)
start = s.rindex("[[connector]]", 0, s.index('id = "mail"'))
block = s[start : s.index("[receivers.", start)]
block = block.replace('paths = ["fixtures/mail/*.mbox"]', 'paths = ["archive.mbox"]\nindex = "mail-index.sqlite"')
open(f"{sys.argv[1]}/connectors.toml", "w").write("\n".join(head) + block)
open(f"{sys.argv[1]}/connectors-text.toml", "w").write(
    "\n".join(head) + block.replace('email = "adressen"', 'email = "adressen_tekst"').replace("mail-index.sqlite", "mail-index-text.sqlite"))
PY
bin=./target/release/inzage
bytes=$(stat -c %s "$work/archive.mbox")
address=$(cat "$src/address")
run() { python3 bench/measure.py "$@"; }
row() { # name, json
  python3 - "$1" "$bytes" "$2" <<'PY'
import json, sys
name, size, r = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
print(f"| {name} | {r['seconds']:.3f} | {size / 1e6 / r['seconds']:.0f} | {r['rss_anon_kb'] / 1024:.1f} | {r['vm_hwm_kb'] / 1024:.0f} | {r['stdout'][0][:90]} |")
PY
}
cat "$work/archive.mbox" > /dev/null
echo "machine: $(nproc) cores, $(grep MemTotal /proc/meminfo | awk '{printf "%.0f GiB", $2/1048576}'); $(rustc --version); archive $bytes bytes, $(grep -c '^From ' "$work/archive.mbox") messages"
echo
echo "| step | seconds | MB/s of the archive | RssAnon peak MB | VmHWM MB | output |"
echo "|---|---:|---:|---:|---:|---|"
row "index: full build" "$(run $bin --config "$work/connectors.toml" index)"
row "index: update, nothing changed" "$(run $bin --config "$work/connectors.toml" index)"
# append 1 %: whole messages from the start of the archive again
python3 - "$work/archive.mbox" <<'PY'
import sys
p = sys.argv[1]
data = open(p, "rb").read()
cut = data.index(b"\nFrom ", len(data) // 100) + 1
open(p, "ab").write(b"\n" + data[:cut])
PY
row "index: update after a 1 % append" "$(run $bin --config "$work/connectors.toml" index)"
row "index with adressen_tekst: full build" "$(run $bin --config "$work/connectors-text.toml" index)"
row "mail_scan --email (headers)" "$(run ./target/release/examples/mail_scan "$work/archive.mbox" --email "$address")"
row "mail_scan --email --in-text (adressen_tekst)" "$(run ./target/release/examples/mail_scan "$work/archive.mbox" --email "$address" --in-text)"
k=$(cat "$src/klantnummer")
row "export --customer (mail only), index fresh" "$(run $bin --config "$work/connectors.toml" export --customer "$k" --out "$work/b.zip" --force --allow-empty)"
python3 -c "import json,zipfile,sys; m=json.load(zipfile.ZipFile(sys.argv[1]).open('manifest.json')); print('manifest note:', [s.get('notes') for s in m['sources']])" "$work/b.zip"
touch "$work/archive.mbox"
row "export --customer (mail only), index stale: scan" "$(run $bin --config "$work/connectors.toml" export --customer "$k" --out "$work/b.zip" --force --allow-empty)"
# The index against a full scan on this archive: 100 keys a full parse of
# the messages gives, spread over the archive, the same answer both ways.
INZAGE_INDEX_ARCHIVE="$work/archive.mbox" cargo test --release -q -p inzage-connectors --lib on_a_large_archive -- --nocapture 2>&1 | grep -E "keys of|test result" >&2
