#!/usr/bin/env python3
"""Runs a command and reports wall seconds, the peak of RssAnon (anonymous
memory; file pages that are only mapped do not count) and of VmHWM (all
resident memory), sampled from /proc every millisecond, and its stdout.

    python3 bench/measure.py CMD ARGS...   ->  one JSON line
"""
import json
import subprocess
import sys
import time


def status(pid):
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in ("RssAnon", "VmHWM"):
                    out[k] = int(v.split()[0])
    except OSError:
        pass
    return out


def main():
    cmd = sys.argv[1:]
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    anon = hwm = 0
    while p.poll() is None:
        s = status(p.pid)
        anon = max(anon, s.get("RssAnon", 0))
        hwm = max(hwm, s.get("VmHWM", 0))
        time.sleep(0.001)
    out, err = p.communicate()
    secs = time.perf_counter() - start
    # the program may report its own RssAnon at exit (mail_scan does)
    for word in err.decode(errors="replace").split("rss_anon_kb ")[1:2]:
        anon = max(anon, int(word.split()[0]))
    print(json.dumps({
        "seconds": secs,
        "rss_anon_kb": anon,
        "vm_hwm_kb": hwm,
        "stdout": out.decode(errors="replace").strip().splitlines()[-1:] or [""],
        "code": p.returncode,
    }))


if __name__ == "__main__":
    main()
