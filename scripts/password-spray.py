#!/usr/bin/env python3
"""Password spraying against `regdrill serve` at the realistic password cost, and what it does to everyone else.

    scripts/password-spray.py [--sprayers 32] [--seconds 20] [--distributed] [--password-cost interactive]
                              [--binary PATH]

Starts `regdrill serve --port 0 --era 2021-06-01 --password-cost interactive` (scrypt N=16384 r=8: about 40 ms of a
core per password), creates alice and her package, then measures for --seconds with no spraying (the baseline) and
for --seconds with --sprayers threads that each send wrong passwords as fast as they can, one login after another,
each for a different name (most of them no account: spraying). The sprayers come from 127.0.0.2, or with
--distributed each from an address of its own in 127.0.0.0/8 (a botnet: the per-address limits do not bind, the
per-account ones do not either, since every guess names another account). Meanwhile, from 127.0.0.1:

- a prober GETs alice's package with her token and asks `whoami` every 0.1 s (what every participant's npm does);
- alice logs in with her right password every second (what a participant's `npm login` does).

Prints, for the baseline and under spraying: the prober's and the logins' p50, p99 and max latency and failures, and
the sprayers' attempts: answered as wrong passwords (hashed) or throttled (403, rule auth.password-rate-limited, not
hashed). Exits 1 when a probe or one of alice's logins failed, or when the prober's p99 under spraying is more than
ten times its baseline p99 plus --slack-ms (100 ms); 0 otherwise.

Before the password throttle and the hashing thread (docs/hardening.md, "Password guessing"), 32 sprayers slowed
every other request to about 0.8 s and 128 to about 5 s, and 30 wrong passwords, then the right one, logged in.

Short form for the test suite: `--sprayers 8 --seconds 3 --password-cost bulk --slack-ms 2000` (about 10 seconds;
the suite runs beside other tests, so its latencies say little and only the answers are held to account). The binary comes
from --binary, else $REGDRILL, else a release build.
"""

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time

import regdrill_harness as h

PACKAGE = "spray-target"


def summary(samples):
    """(count ok, count failed, p50 ms, p99 ms, max ms) of [(ok, seconds)]."""
    times = sorted(seconds * 1000 for ok, seconds in samples if ok)
    failed = sum(1 for ok, _ in samples if not ok)
    if not times:
        return 0, failed, 0.0, 0.0, 0.0
    return len(times), failed, statistics.median(times), h.percentile(times, 0.99), times[-1]


class Prober(threading.Thread):
    def __init__(self, url, token, stop):
        super().__init__(daemon=True)
        self.client, self.token, self.stop = h.Client(url, timeout=60), token, stop
        self.samples = []

    def run(self):
        while not self.stop.is_set():
            for call in (lambda: self.client.packument(PACKAGE, token=self.token), lambda: self.client.whoami(self.token)):
                started = time.perf_counter()
                try:
                    ok = call().ok
                except Exception:
                    ok = False
                self.samples.append((ok, time.perf_counter() - started))
            self.stop.wait(0.1)
        self.client.close()


class Owner(threading.Thread):
    """alice logging in with her right password once a second, on a new connection each time."""

    def __init__(self, url, stop):
        super().__init__(daemon=True)
        self.url, self.stop = url, stop
        self.samples = []

    def run(self):
        while not self.stop.is_set():
            client = h.Client(self.url, timeout=60)
            started = time.perf_counter()
            try:
                ok = client.login("alice", "alice-password-1").status == 201
            except Exception:
                ok = False
            self.samples.append((ok, time.perf_counter() - started))
            client.close()
            self.stop.wait(1.0)


class Sprayer(threading.Thread):
    def __init__(self, url, index, address, stop):
        super().__init__(daemon=True)
        self.client = h.Client(url, timeout=120, source_address=address)
        self.index, self.stop = index, stop
        self.hashed = self.throttled = self.other = 0

    def run(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            try:
                answer = self.client.login(f"victim-{self.index}-{n}", "Password1!")
                # 400 for a name with no account (as npm's registry answers a legacy login), 401 for a wrong password:
                # either way the password was hashed.
                if answer.status in (400, 401):
                    self.hashed += 1
                elif answer.status == 403 and b"auth.password-rate-limited" in answer.body:
                    self.throttled += 1
                else:
                    self.other += 1
            except Exception:
                self.other += 1
        self.client.close()


def measure(url, token, seconds, make_sprayers=lambda stop: []):
    """Runs the prober, alice's logins and the sprayers `make_sprayers(stop)` makes, for `seconds`."""
    stop = threading.Event()
    prober, owner = Prober(url, token, stop), Owner(url, stop)
    sprayers = make_sprayers(stop)
    threads = [prober, owner, *sprayers]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join(timeout=180)
    return prober.samples, owner.samples, sprayers


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sprayers", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--distributed", action="store_true", help="each sprayer from an address of its own")
    parser.add_argument("--password-cost", default="interactive", choices=["interactive", "bulk"])
    parser.add_argument("--slack-ms", type=float, default=100,
                        help="the probes' p99 under spraying may exceed 10x the baseline's by this much (default 100)")
    parser.add_argument("--binary")
    args = parser.parse_args()

    binary = h.find_binary(args.binary)
    workdir = tempfile.mkdtemp(prefix="regdrill-spray-")
    server = h.Server(binary, os.path.join(workdir, "server.log"), era="2021-06-01", users=["alice:alice-password-1"],
                      password_cost=args.password_cost)
    failures = []
    try:
        url = server.start()
        token = h.login_and_publish(url, "alice", "alice-password-1", PACKAGE)

        baseline = measure(url, token, args.seconds)
        address = (lambda i: f"127.0.{1 + i // 250}.{2 + i % 250}") if args.distributed else (lambda i: "127.0.0.2")
        under = measure(url, token, args.seconds, lambda stop: [Sprayer(url, i, address(i), stop) for i in range(args.sprayers)])
        sprayers = under[2]

        print(f"password spraying: {args.sprayers} sprayers "
              f"({'each from its own address' if args.distributed else 'all from 127.0.0.2'}), "
              f"{args.seconds:g} s each phase, password cost {args.password_cost}")
        print(f"  {'':28} {'ok':>6} {'failed':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
        rows = [("probes, baseline", baseline[0]), ("probes, under spraying", under[0]),
                ("alice's logins, baseline", baseline[1]), ("alice's logins, under spraying", under[1])]
        for name, samples in rows:
            ok, failed, p50, p99, top = summary(samples)
            print(f"  {name:<28} {ok:>6} {failed:>6} {p50:>8.1f} {p99:>8.1f} {top:>8.1f}")
            if failed:
                failures.append(f"{failed} {name} failed")
        hashed = sum(s.hashed for s in sprayers)
        throttled = sum(s.throttled for s in sprayers)
        other = sum(s.other for s in sprayers)
        print(f"  sprayers' attempts: {hashed + throttled + other} ({(hashed + throttled + other) / args.seconds:.0f}/s): "
              f"{hashed} checked and refused as wrong, {throttled} throttled unchecked, {other} other")
        if other:
            failures.append(f"{other} sprayer attempts got an unexpected answer")
        base_p99, under_p99 = summary(baseline[0])[3], summary(under[0])[3]
        if under_p99 > 10 * base_p99 + args.slack_ms:
            failures.append(f"probes' p99 under spraying {under_p99:.0f} ms, over 10x the baseline's {base_p99:.0f} ms "
                            f"+ {args.slack_ms:g} ms")
        if not server.running():
            failures.append("the server died")
    except BaseException:
        h.conclude(server, workdir, failures or ["the run did not finish"], "verdict   ")
        raise
    return h.conclude(server, workdir, failures, "verdict   ")


if __name__ == "__main__":
    sys.exit(main())
