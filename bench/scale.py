#!/usr/bin/env python3
"""The corporation-scale benchmark (issue 12); run it through bench/scale.sh.

Exports TENANTS randomly chosen tenants (fixed SEED) of the corporation
estate under OUT with the release binary, with the HTTP test servers in
their own process at each of LATENCIES ms per request, and prints a
Markdown report: end-to-end seconds (median, p95), the critical path next to
it, seconds / asks / HTTP requests per source, peak RssAnon and VmHWM; then
the mail archive warm and cold against `rg -c -F`, and the mail index when
`inzage index` exists. Raw figures go to OUT/scale-<stamp>.json.

How the critical path is computed (per export, from its manifest and log):
  d(s)      = the mean duration of one call of source s in this export
              (the `source answered ... ms=N` lines of `inzage -v`);
  known(i)  = 0 for the identifier of the request; for an identifier the
              manifest says source s revealed (its provenance), the earliest
              time s could have been asked with any identifier learned before
              it (a lower bound: whichever of them led to it) plus d(s);
  CP        = the latest, over every source s and every identifier j it was
              asked with, of known(j) + d(s): the source must have been asked
              with all of them before the bundle is complete.
So CP is the longest chain of dependent source calls, each costing what
that source took in this very export; start-up, merging, protection and
writing the bundle are not on it.
"""
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
import zipfile

from measure import status  # the /proc sampling bench/measure.py does, shared

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN_DIR = os.path.join(ROOT, os.environ.get("BIN_DIR", "target/release"))
BIN = os.path.join(BIN_DIR, "inzage")
GEN = os.path.join(BIN_DIR, "inzage-corporation")
SERVERS = os.path.join(BIN_DIR, "inzage-test-servers")
MAIL_SCAN = os.path.join(BIN_DIR, "examples/mail_scan")

ENV = os.environ.get
OUT = os.path.abspath(ENV("OUT", os.path.join(ROOT, "bench/out/corporation")))
TENANTS = int(ENV("TENANTS", "20"))
SEED = int(ENV("SEED", "12"))
LATENCIES = [int(x) for x in ENV("LATENCIES", "0 100").split()]
MAILS = ENV("MAILS", "1G").split()
MAIL_RUNS = int(ENV("MAIL_RUNS", "3"))
SMALL = ENV("SMALL", "1") == "1"  # also the 10,000-relatie estate, for flat memory
PG_URL = ENV("INZAGE_BENCH_PG_URL") or ENV("INZAGE_TEST_PG_URL")
RELATIES = int(ENV("RELATIES", "100000"))  # smaller for a smoke test of the harness
PARTS = ENV("PARTS", "exports mail index").split()  # which parts to run


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def load():
    return open("/proc/loadavg").read().split()[0]


# ------------------------------------------------------------------ estate


def sizes(path):
    out = {}
    if os.path.exists(path):
        for line in open(path):
            k, _, v = line.strip().partition(" ")
            out[k] = v
    return out


def ensure_estate(out, relaties, mails, scale=1):
    """Generates the estate under `out` unless corporation.txt says it is there."""
    have = sizes(os.path.join(out, "corporation.txt"))
    if have.get("seed") == "7" and int(have.get("relaties", 0)) >= relaties and all(
        f"mail-{m}" in have and os.path.exists(os.path.join(out, f"mail-{m}.mbox")) for m in mails
    ):
        return have
    cmd = [GEN, "--out", out, "--relaties", str(relaties),
           "--contactmomenten", str(1_000_000 // scale), "--inschrijvingen", str(200_000 // scale),
           "--signaleringen", str(100_000 // scale), "--kwh", str(50_000 // scale)]
    for m in mails:
        cmd += ["--mail", m]
    log("generating:", " ".join(cmd))
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    log(f"generated in {time.perf_counter() - t:.0f} s")
    return sizes(os.path.join(out, "corporation.txt"))


def choose_tenants(out, n, seed):
    db = sqlite3.connect(f"file:{out}/erp/erp.sqlite?mode=ro", uri=True)
    rows = sorted(r[0] for r in db.execute("SELECT DISTINCT klantnummer FROM relatierol WHERE rol = 'HUU'"))
    return random.Random(seed).sample(rows, n)


def ensure_pg(out, relaties):
    """Loads erp.sql into database inzage_bench_erp on PG_URL; returns (url template, env)."""
    u = urllib.parse.urlparse(PG_URL)
    db = "inzage_bench_erp"
    admin = PG_URL
    target = u._replace(path="/" + db).geturl()
    count = subprocess.run(["psql", "-tAq", target, "-c", "SELECT count(*) FROM relatie"],
                           capture_output=True, text=True)
    if count.returncode != 0 or count.stdout.strip() != str(relaties):
        log("loading the ERP into PostgreSQL", db)
        subprocess.run(["psql", "-q", admin, "-c", f"DROP DATABASE IF EXISTS {db}"], check=True)
        subprocess.run(["psql", "-q", admin, "-c", f"CREATE DATABASE {db}"], check=True)
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", target, "-f", f"{out}/erp/erp.sql"],
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["psql", "-q", target, "-c", "ANALYZE"], check=True)
    netloc = f"{u.username}:${{BENCH_PG_PASSWORD}}@{u.hostname}:{u.port or 5432}"
    return f"postgres://{netloc}/{db}", {"BENCH_PG_PASSWORD": urllib.parse.unquote(u.password or "")}


def write_config(out, name, mail, erp_url=None, index=None):
    """connectors.toml for the estate under `out`: its paths, the servers from
    the environment (no [[fixture_server]] blocks), one mail archive."""
    text = open(os.path.join(ROOT, "connectors.toml")).read()
    text = re.sub(r"(?m)^\[\[fixture_server\]\]\n(?:[a-z_]+ = .*\n)*", "", text)
    text = text.replace('"sqlite:fixtures/', f'"sqlite:{out}/')
    text = text.replace('"fixtures/signalering/', f'"{out}/signalering/')
    text = text.replace('"fixtures/kwh/', f'"{out}/kwh/')
    text = text.replace('paths = ["fixtures/mail/*.mbox"]', f'paths = ["{mail}"]' + (f'\nindex = "{index}"' if index else ""))
    if erp_url:
        text = text.replace(f'url = "sqlite:{out}/erp/erp.sqlite"', f'url = "{erp_url}"')
    if "fixtures/" in re.sub(r"(?m)^#.*$", "", text):
        raise SystemExit(f"connectors.toml: a path under fixtures/ left in {name}; teach write_config")
    path = os.path.join(out, f"connectors-{name}.toml")
    open(path, "w").write(text)
    return path


# ----------------------------------------------------------------- servers


class Servers:
    def __init__(self, out, latency):
        self.env_file = os.path.join(out, f"servers-{latency}.env")
        self.stats_file = os.path.join(out, f"servers-{latency}.stats")
        for f in (self.env_file, self.stats_file):
            if os.path.exists(f):
                os.remove(f)
        self.p = subprocess.Popen([SERVERS, "--crm", f"{out}/crm", "--woningnet", f"{out}/woningnet",
                                   "--env", self.env_file, "--stats", self.stats_file,
                                   "--latency-ms", str(latency)])
        t = time.perf_counter()
        while not os.path.exists(self.env_file):
            if self.p.poll() is not None:
                raise SystemExit("inzage-test-servers stopped")
            time.sleep(0.1)
        log(f"servers at {latency} ms latency up in {time.perf_counter() - t:.1f} s")
        self.env = dict(re.findall(r"export (\w+)=(\S+)", open(self.env_file).read()))

    def requests(self):
        time.sleep(0.12)  # the stats file is rewritten every 50 ms
        if not os.path.exists(self.stats_file):
            return {"crm": 0, "woningnet": 0}
        return {k: int(v) for k, v in re.findall(r"(\w+) (\d+)", open(self.stats_file).read())}

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        self.p.wait()


# ------------------------------------------------------------------ export


def run_measured(cmd, env=None):
    """Wall seconds, peak RssAnon and VmHWM (kB, /proc sampled every ms), stderr."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    anon = hwm = 0
    while p.poll() is None:
        s = status(p.pid)
        anon = max(anon, s.get("RssAnon", 0))
        hwm = max(hwm, s.get("VmHWM", 0))
        time.sleep(0.001)
    out, err = p.communicate()
    return {"seconds": time.perf_counter() - start, "rss_anon_kb": anon, "vm_hwm_kb": hwm,
            "code": p.returncode, "stdout": out.decode(errors="replace"),
            "stderr": err.decode(errors="replace")}


ANSWER = re.compile(r"source answered source=\"?([\w-]+)\"?.*?\bms=(\d+)")


def source_calls(stderr):
    calls = {}
    for m in ANSWER.finditer(stderr):
        calls.setdefault(m.group(1), []).append(int(m.group(2)))
    return calls


def critical_path(manifest, calls):
    """See the module doc. Returns (seconds, chain as text)."""
    d = {s: statistics.mean(ms) / 1000 for s, ms in calls.items()}
    key = lambda i: (i["kind"], i["value"])
    asked = {s["id"]: [key(i) for i in s.get("asked_with", [])] for s in manifest["sources"]}
    ids = sorted(manifest["identities"], key=lambda i: i.get("round", 0))
    rnd = {key(i["identifier"]): i.get("round", 0) for i in ids}
    known, why = {}, {}
    for i in ids:
        k = key(i["identifier"])
        src = i.get("source")
        if i.get("via") == "request" or src is None or src not in d:
            known[k], why[k] = 0.0, "request" if i.get("via") == "request" else str(i.get("via"))
            continue
        before = [j for j in asked.get(src, []) if j in known and rnd.get(j, 0) < rnd[k]]
        if not before:
            known[k], why[k] = d[src], src
            continue
        j = min(before, key=lambda j: known[j])
        known[k], why[k] = known[j] + d[src], f"{why[j]} → {src}"
    best, chain = 0.0, ""
    for s, js in asked.items():
        if s not in d:
            continue
        for j in js:
            t = known.get(j, 0.0) + d[s]
            if t > best:
                best, chain = t, f"{why.get(j, 'request')} → {s}"
    return best, chain


def export(config, customer, env, servers, workdir):
    out = os.path.join(workdir, f"{customer}.zip")
    for f in os.listdir(workdir):
        os.remove(os.path.join(workdir, f))
    before = servers.requests() if servers else {}
    r = run_measured([BIN, "export", "-v", "--config", config, "--customer", customer,
                      "--out", out, "--allow-partial"], env=env)
    after = servers.requests() if servers else {}
    if r["code"] != 0:
        raise SystemExit(f"export {customer} failed ({r['code']}):\n{r['stderr'][-3000:]}")
    with zipfile.ZipFile(out) as z:
        manifest = json.loads(z.read("manifest.json"))
    calls = source_calls(r["stderr"])
    cp, chain = critical_path(manifest, calls)
    per_source = {}
    for s in manifest["sources"]:
        sid = s["id"]
        ms = calls.get(sid, [])
        per_source[sid] = {
            "status": s.get("status"),
            "asked": s.get("calls", s.get("asked", len(ms))),
            "asked_from": "manifest" if ("calls" in s or "asked" in s) else "log",
            "seconds": sum(ms) / 1000,
            "records": sum(s.get("records", {}).values()),
            "requests": after.get(sid, 0) - before.get(sid, 0) if sid in after else None,
        }
    return {"customer": customer, "seconds": r["seconds"], "rss_anon_kb": r["rss_anon_kb"],
            "vm_hwm_kb": r["vm_hwm_kb"], "critical_path": cp, "chain": chain,
            "rounds": manifest.get("rounds"), "complete": manifest.get("complete"),
            "sources": per_source, "load": load()}


def pct(values, q):
    v = sorted(values)
    if not v:
        return float("nan")
    k = (len(v) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def summarise(name, runs):
    secs = [r["seconds"] for r in runs]
    cps = [r["critical_path"] for r in runs]
    ratio = [r["seconds"] / r["critical_path"] for r in runs if r["critical_path"] > 0]
    lines = [f"#### {name}", "",
             f"{len(runs)} exports; load average during the runs {min(r['load'] for r in runs)}–{max(r['load'] for r in runs)}",
             "",
             "| figure | median | p95 | max |", "|---|---:|---:|---:|",
             f"| end-to-end seconds | {pct(secs, .5):.3f} | {pct(secs, .95):.3f} | {max(secs):.3f} |",
             f"| critical path seconds | {pct(cps, .5):.3f} | {pct(cps, .95):.3f} | {max(cps):.3f} |",
             f"| end-to-end / critical path | {pct(ratio, .5):.2f} | {pct(ratio, .95):.2f} | {max(ratio):.2f} |",
             f"| peak RssAnon MB | {pct([r['rss_anon_kb'] / 1024 for r in runs], .5):.1f} | {pct([r['rss_anon_kb'] / 1024 for r in runs], .95):.1f} | {max(r['rss_anon_kb'] for r in runs) / 1024:.1f} |",
             f"| peak VmHWM MB | {pct([r['vm_hwm_kb'] / 1024 for r in runs], .5):.0f} | {pct([r['vm_hwm_kb'] / 1024 for r in runs], .95):.0f} | {max(r['vm_hwm_kb'] for r in runs) / 1024:.0f} |",
             "", "| source | asked (mean) | asked from | seconds (median) | seconds (p95) | HTTP requests (median) | HTTP requests (max) | records (median) |",
             "|---|---:|---|---:|---:|---:|---:|---:|"]
    for sid in runs[0]["sources"]:
        rows = [r["sources"][sid] for r in runs if sid in r["sources"]]
        req = [x["requests"] for x in rows if x["requests"] is not None]
        lines.append(
            f"| {sid} | {statistics.mean(x['asked'] for x in rows):.1f} | {rows[0]['asked_from']} | "
            f"{pct([x['seconds'] for x in rows], .5):.3f} | {pct([x['seconds'] for x in rows], .95):.3f} | "
            f"{pct(req, .5) if req else '–'} | {max(req) if req else '–'} | {pct([x['records'] for x in rows], .5):.0f} |")
    slowest = max(runs, key=lambda r: r["seconds"])
    lines += ["", f"Critical path of the slowest export ({slowest['seconds']:.3f} s, "
              f"{slowest['rounds']} rounds): {slowest['critical_path']:.3f} s, {slowest['chain']}", ""]
    return "\n".join(lines)


def export_set(name, config, tenants, env, servers, workdir):
    runs = []
    # one export first, not counted: the binary and the estate's files in the page cache
    export(config, tenants[0], env, servers, workdir)
    for c in tenants:
        r = export(config, c, env, servers, workdir)
        log(f"  {name} {c}: {r['seconds']:.3f} s, CP {r['critical_path']:.3f} s, "
            f"RssAnon {r['rss_anon_kb'] / 1024:.1f} MB (load {r['load']})")
        runs.append(r)
    return runs


# -------------------------------------------------------------------- mail


def drop_cache(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def warm(path):
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def cached_fraction(path):
    """Share of the file's pages in the page cache (mincore via fincore, when present)."""
    r = subprocess.run(["fincore", "-nb", "-o", "RES,SIZE", path], capture_output=True, text=True)
    try:
        res, size = map(int, r.stdout.split())
        return res / size if size else 0.0
    except ValueError:
        return float("nan")


def mail_bench(archive, address, export_cmd, env):
    """Best of MAIL_RUNS per tool, cold (file's pages dropped before each run) and warm."""
    size = os.path.getsize(archive)
    tools = {
        "inzage export (whole, one tenant)": export_cmd,
        "mail_scan (the mail connector alone)": [MAIL_SCAN, archive, "--email", address],
        "rg -c -F": ["rg", "-c", "-F", address, archive],
    }
    if not os.path.exists(MAIL_SCAN):
        del tools["mail_scan (the mail connector alone)"]
    rows = {}
    for cache in ("cold", "warm"):
        for tool, cmd in tools.items():
            best = None
            for _ in range(MAIL_RUNS):
                if cache == "cold":
                    drop_cache(archive)
                    frac = cached_fraction(archive)
                else:
                    warm(archive)
                    frac = cached_fraction(archive)
                r = run_measured(cmd, env=env)
                if r["code"] not in (0, 1):  # rg exits 1 when nothing matches
                    raise SystemExit(f"{tool} failed: {r['stderr'][-2000:]}")
                r["cached"] = frac
                r["load"] = load()
                if best is None or r["seconds"] < best["seconds"]:
                    best = r
            rows[(cache, tool)] = best
            log(f"  mail {cache} {tool}: {best['seconds']:.3f} s (load {best['load']})")
    lines = [f"archive `{archive}`: {size} bytes; address {address}; best of {MAIL_RUNS}; "
             "cold = the archive's pages dropped with posix_fadvise(DONTNEED) before each run", "",
             "| cache | tool | seconds | MB/s | / rg same cache | RssAnon MB | VmHWM MB | archive cached before | load |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for (cache, tool), r in rows.items():
        rg = rows[(cache, "rg -c -F")]["seconds"]
        lines.append(f"| {cache} | {tool} | {r['seconds']:.3f} | {size / 1e6 / r['seconds']:.0f} | "
                     f"{r['seconds'] / rg:.2f} | {r['rss_anon_kb'] / 1024:.1f} | {r['vm_hwm_kb'] / 1024:.0f} | "
                     f"{r['cached'] * 100:.0f} % | {r['load']} |")
    return "\n".join(lines) + "\n", rows


# ------------------------------------------------------------------- index


def has_index():
    r = subprocess.run([BIN, "index", "--help"], capture_output=True, text=True)
    return r.returncode == 0


def index_bench(out, mail, tenants, env, servers, work):
    """`inzage index` over the archive (cold), then whole exports with the
    index fresh: warm, and cold (the index's and the archive's pages
    dropped before each export). The mail source's seconds are the lookup
    plus the confirming parse of each candidate."""
    archive = os.path.join(out, f"mail-{mail}.mbox")
    index = os.path.join(out, f"mail-{mail}.index.sqlite")
    for f in (index, index + "-wal", index + "-shm"):
        if os.path.exists(f):
            os.remove(f)
    config = write_config(out, f"sqlite-{mail}-indexed", archive, index=index)
    size = os.path.getsize(archive)
    drop_cache(archive)
    b = run_measured([BIN, "index", "--config", config], env=env)
    lines = [f"archive `{archive}`: {size} bytes", "",
             f"- full build (archive cold): {b['seconds']:.2f} s = {size / 1e6 / b['seconds']:.0f} MB/s, "
             f"RssAnon {b['rss_anon_kb'] / 1024:.1f} MB, VmHWM {b['vm_hwm_kb'] / 1024:.0f} MB, exit {b['code']} (load {load()})",
             f"- index file: {os.path.getsize(index) / 1e6:.1f} MB", ""]
    if b["code"] != 0:
        lines.append(f"  stderr: `{b['stderr'][-500:]}`")
        return "\n".join(lines) + "\n", {}
    name = f"sqlite, mail {mail} indexed, HTTP latency 0 ms"
    runs = export_set(name, config, tenants, env, servers, work)
    lines.append(summarise(name, runs))
    cold = []
    for c in tenants[:5]:
        drop_cache(index)
        drop_cache(archive)
        cold.append(export(config, c, env, servers, work))
    mail_warm = [r["sources"]["mail"]["seconds"] for r in runs]
    mail_cold = [r["sources"]["mail"]["seconds"] for r in cold]
    lines += ["| mail source with the index (lookup and confirming parse) | median s | p95 s | max s |",
              "|---|---:|---:|---:|",
              f"| warm, {len(mail_warm)} exports | {pct(mail_warm, .5):.3f} | {pct(mail_warm, .95):.3f} | {max(mail_warm):.3f} |",
              f"| cold (index and archive pages dropped), {len(mail_cold)} exports | {pct(mail_cold, .5):.3f} | {pct(mail_cold, .95):.3f} | {max(mail_cold):.3f} |",
              f"| cold, whole export end-to-end | {pct([r['seconds'] for r in cold], .5):.3f} | {pct([r['seconds'] for r in cold], .95):.3f} | {max(r['seconds'] for r in cold):.3f} |",
              ""]
    return "\n".join(lines) + "\n", {"build": {k: v for k, v in b.items() if k not in ("stdout", "stderr")},
                                      "warm": runs, "cold": cold}


# -------------------------------------------------------------------- main


def machine():
    mem = int(open("/proc/meminfo").read().split("MemTotal:")[1].split()[0]) // 1024 // 1024
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    rg = subprocess.run(["rg", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    return f"{os.cpu_count()} cores ({cpu}), {mem} GiB, {os.uname().release}; {rustc}; {rg}"


def main():
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    report = [f"### Run of {stamp}", "", f"machine: {machine()}", f"uptime at start: {open('/proc/loadavg').read().strip()}", ""]
    results = {"stamp": stamp, "sets": {}}
    have = ensure_estate(OUT, RELATIES, MAILS, scale=100_000 // RELATIES)
    report.append("estate: " + ", ".join(f"{k} {v}" for k, v in have.items()) + "")
    report.append("")
    tenants = choose_tenants(OUT, TENANTS, SEED)
    report.append(f"tenants (seed {SEED}): {' '.join(tenants)}")
    report.append("")
    work = os.path.join(OUT, "bundles")
    os.makedirs(work, exist_ok=True)
    base_env = dict(os.environ)
    base_env.pop("RUST_LOG", None)
    variants = [("sqlite", None, {})]
    if PG_URL and ENV("PG", "1") == "1":
        url, pg_env = ensure_pg(OUT, int(have["relaties"]))
        variants.append(("postgres", url, pg_env))
    small_out = OUT + "-10k"
    for latency in LATENCIES if "exports" in PARTS else []:
        servers = Servers(OUT, latency)
        try:
            for mail in MAILS:
                archive = os.path.join(OUT, f"mail-{mail}.mbox")
                for erp, url, extra in variants:
                    if erp == "postgres" and (latency != 0 or mail != MAILS[0]):
                        continue
                    name = f"{erp}, mail {mail} scanned, HTTP latency {latency} ms"
                    config = write_config(OUT, f"{erp}-{mail}", archive, url)
                    env = dict(base_env, **servers.env, **extra)
                    log(name)
                    runs = export_set(name, config, tenants, env, servers, work)
                    results["sets"][name] = runs
                    report.append(summarise(name, runs))
        finally:
            servers.stop()
    if SMALL and "exports" in PARTS:
        have_small = ensure_estate(small_out, RELATIES // 10, [MAILS[0]], scale=10 * 100_000 // RELATIES)
        small_tenants = choose_tenants(small_out, TENANTS, SEED)
        servers = Servers(small_out, 0)
        try:
            archive = os.path.join(OUT, f"mail-{MAILS[0]}.mbox")
            config = write_config(small_out, f"sqlite-{MAILS[0]}", archive)
            env = dict(base_env, **servers.env)
            name = f"10,000-relatie estate (sizes / 10), sqlite, mail {MAILS[0]} scanned, HTTP latency 0 ms"
            log(name)
            runs = export_set(name, config, small_tenants, env, servers, work)
            results["sets"][name] = runs
            report.append("estate: " + ", ".join(f"{k} {v}" for k, v in have_small.items()))
            report.append("")
            report.append(summarise(name, runs))
        finally:
            servers.stop()
    # mail: warm and cold, against rg, in the same run
    servers = Servers(OUT, 0)
    try:
        env = dict(base_env, **servers.env)
        db = sqlite3.connect(f"file:{OUT}/erp/erp.sqlite?mode=ro", uri=True)
        customer = tenants[0]
        address = db.execute("SELECT waarde FROM contactgegeven WHERE klantnummer = ? AND soort = 'email' "
                             "ORDER BY id LIMIT 1", (customer,)).fetchone()
        address = address[0] if address else "nobody@example.org"
        report.append(f"#### Mail archive, cold and warm (tenant {customer}, address of the tenant)\n")
        for mail in MAILS if "mail" in PARTS else []:
            archive = os.path.join(OUT, f"mail-{mail}.mbox")
            config = write_config(OUT, f"sqlite-{mail}", archive)
            cmd = [BIN, "export", "--config", config, "--customer", customer,
                   "--out", os.path.join(work, "mail.zip"), "--allow-partial", "--force"]
            text, rows = mail_bench(archive, address, cmd, env)
            results["mail-" + mail] = {f"{c} {t}": {k: v for k, v in r.items() if k not in ("stdout", "stderr")}
                                       for (c, t), r in rows.items()}
            report.append(text)
        if has_index() and "index" in PARTS:
            report.append("#### Mail index\n")
            text, r = index_bench(OUT, MAILS[-1], tenants, env, servers, work)
            results["index-" + MAILS[-1]] = r
            report.append(text)
    finally:
        servers.stop()
    path = os.path.join(OUT, f"scale-{stamp}.json")
    json.dump(results, open(path, "w"), indent=1)
    report.append(f"raw figures: `{os.path.relpath(path, ROOT)}`; uptime at end: {open('/proc/loadavg').read().strip()}")
    print("\n".join(report))


if __name__ == "__main__":
    main()
