#!/usr/bin/env python3
"""A bounded soak of `regdrill serve`: mixed reads, publishes, logins and token operations on loopback.

    scripts/soak.py [--seconds 60] [--clients 32] [--binary PATH] [--in-memory] [--seed S]

Starts `regdrill serve --port 0 --era 2021-06-01 --password-cost bulk` with `--db FILE` in a temporary directory
(by default; `--in-memory` keeps the registry in memory instead, where every audit entry and version also lives in
the server's RSS), seeds accounts and packages, then runs `--clients` threads, each on its own persistent HTTP/1.1
connection (http.client.HTTPConnection), for `--seconds`. Each thread picks one request at a time:

    34%  GET /<package>                  packument, anonymous (what npm install does without a token)
    33%  GET /<package>                  packument with the client's token (judged by the policy and audited)
    10%  GET /<package>/-/<file>.tgz     tarball of a seeded version or one this client published
    10%  PUT /<package>                  publish a new version (npm's body: one version, base64 tarball)
     5%  login / logout                  PUT /-/user/org.couchdb.user:<name>, then DELETE /-/user/token/<it>
     5%  token create / list / revoke    POST, GET /-/npm/v1/tokens, DELETE /-/npm/v1/tokens/token/<key>
     3%  deliberate refusals             a wrong password from 127.0.0.2 (401 Basic, or 403 once the password
                                         throttle holds that address back), an unknown token (401 Bearer),
                                         a publish over a version the client published (403, input.version-exists)

Reads go to a fixed set of seeded packages; publishes go to fresh packages, each capped at
`--versions-per-package` versions, so that no packument read in the soak grows while it runs (a growing document
would make latency and memory drift for a reason that is not a fault) and the server's packument cache holds a
bounded set.

Every answer is classified: success (2xx), deliberate refusal (the exact 4xx the script provoked on purpose), or
error (anything else: a 5xx, an unexpected 4xx, a broken connection). Prints per operation and overall: requests,
rates, p50/p90/p99/max latency, errors and the error rate; the server's VmRSS (from /proc, sampled every second)
at the start of the load, after the warm-up and at the end, with a verdict on memory (see MEMORY_TOLERANCE);
and the CPU time of the server and of this load generator. Exits 1 on any error or when memory is not flat,
0 otherwise. Memory is judged only for runs of at least 30 seconds on a file store (in memory, the registry's
own data grows the RSS with every write, so growth there says nothing about leaks).

The load generator is CPython: its threads share one interpreter lock and the machine's cores with the server, so
the request rates are a floor set partly by the generator, and the latencies include the generator's own queueing.

Short form for a test suite: `--seconds 3 --clients 4 --read-packages 8 --seed-versions 3` (about 5 seconds in all).
The binary comes from --binary, else $REGDRILL, else `swift build -c release --product regdrill`.
"""

import argparse
import collections
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import threading
import time

import regdrill_harness as h

ERA = "2021-06-01"
# The address the deliberate wrong passwords come from (Linux routes all of 127.0.0.0/8 to loopback).
GUESSER_ADDRESS = "127.0.0.2"

# Memory is "flat" when the RSS at the end of the load is within this of the RSS after the warm-up:
# the larger of a fraction of the post-warm-up RSS and a fixed allowance. Why some growth is legitimate:
# the allocator's arenas and the event loops' buffer pools reach their high-water mark with the largest burst
# of concurrent requests, which can come after the warm-up; SQLite's page cache (2 MiB by default) and
# prepared statements fill as tables grow. None of these grows with the number of requests: a leak does.
# The output also gives the growth per request after warm-up, so a small leak shows even inside the tolerance.
MEMORY_TOLERANCE_FRACTION = 0.10
MEMORY_TOLERANCE_MIB = 8.0
MINIMUM_SECONDS_FOR_MEMORY_VERDICT = 30

OPERATIONS = [  # (name, weight in percent)
    ("packument", 34),
    ("packument-auth", 33),
    ("tarball", 10),
    ("publish", 10),
    ("session", 5),
    ("tokens", 5),
    ("refusal", 3),
]


class Stats:
    """Latencies and outcomes per operation, shared by the client threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = collections.defaultdict(list)   # op -> [ms]
        self.counts = collections.defaultdict(collections.Counter)   # op -> {"ok", "refused", "error"}
        self.error_samples = collections.Counter()
        self.warm_time = None          # monotonic time the warm-up ends
        self.after_warm_up = 0         # requests finished after it

    def record(self, op, outcome, ms, detail=None):
        with self.lock:
            if self.warm_time is not None and time.monotonic() >= self.warm_time:
                self.after_warm_up += 1
            self.latencies[op].append(ms)
            self.counts[op][outcome] += 1
            if detail is not None:
                self.error_samples[f"{op}: {detail}"] += 1


class Population:
    """What exists on the registry: the seeded packages and versions, and versions published during the soak."""

    def __init__(self):
        self.lock = threading.Lock()
        self.read_packages = []
        self.versions = []           # (package, version) known to be published

    def add_version(self, package, version):
        with self.lock:
            self.versions.append((package, version))

    def random_version(self, rng):
        with self.lock:
            return self.versions[rng.randrange(len(self.versions))]


class SoakClient(threading.Thread):
    """One client: its own connection, account and token; picks weighted operations until the deadline."""

    def __init__(self, index, url, account, password, token, population, stats, rng, stop, versions_per_package):
        super().__init__(daemon=True)
        self.index = index
        self.client = h.Client(url, timeout=60)
        # Wrong passwords come from another loopback address, as a guesser on another machine would: the registry
        # throttles passwords per account and address (auth.password-rate-limited), and the client's own logins from
        # 127.0.0.1 must not be throttled by its own deliberate mistakes.
        self.guesser = h.Client(url, timeout=60, source_address=GUESSER_ADDRESS)
        self.account, self.password, self.token = account, password, token
        self.population = population
        self.stats = stats
        self.rng = rng
        self.stop = stop
        self.versions_per_package = versions_per_package
        self.published = 0
        self.own_versions = []         # (package, version) this client published, for the republish refusal
        self.session_token = None      # minted by a login, waiting for its logout
        self.created = []              # (token, key) created, waiting to be revoked
        names, weights = zip(*OPERATIONS)
        self.names, self.weights = names, weights

    def timed(self, op, call, expect=None, check=None):
        """Runs one request and records it; returns the answer if it was what was wanted, else None.

        `expect` is the (status, www-authenticate or None) of a deliberate refusal, or a list of them, None when a
        2xx is wanted;
        `check(answer)` may look further into a wanted answer and return what is wrong with it (an error), or None.
        """
        started = time.perf_counter()
        try:
            answer = call()
        except Exception as e:   # a broken connection, a timeout: the server failed to answer
            self.stats.record(op, "error", (time.perf_counter() - started) * 1000, type(e).__name__ + ": " + str(e)[:120])
            return None
        ms = answer.seconds * 1000
        if expect is None:
            wanted = answer.ok
        else:
            wanted = any(answer.status == status and (header is None or answer.headers.get("www-authenticate") == header)
                         for status, header in (expect if isinstance(expect, list) else [expect]))
        problem = None if not wanted or check is None else check(answer)
        if wanted and problem is None:
            self.stats.record(op, "ok" if expect is None else "refused", ms)
            return answer
        self.stats.record(op, "error", ms, problem or f"{answer.status} {answer.body[:160].decode('utf-8', 'replace')}")
        return None

    def run(self):
        while not self.stop.is_set():
            op = self.rng.choices(self.names, self.weights)[0]
            getattr(self, "op_" + op.replace("-", "_"))()
        self.client.close()
        self.guesser.close()

    def op_packument(self):
        package = self.rng.choice(self.population.read_packages)
        self.timed("packument", lambda: self.client.packument(package))

    def op_packument_auth(self):
        package = self.rng.choice(self.population.read_packages)
        self.timed("packument-auth", lambda: self.client.packument(package, token=self.token))

    def op_tarball(self):
        package, version = self.population.random_version(self.rng)
        expected = h.tarball_bytes(package, version, size=2048)
        self.timed("tarball", lambda: self.client.tarball(package, version),
                   check=lambda a: None if a.body == expected else f"wrong bytes for {package}@{version}")

    def op_publish(self):
        package = f"soak-pub-{self.index}-{self.published // self.versions_per_package}"
        version = f"1.0.{self.published % self.versions_per_package}"
        self.published += 1
        tarball = h.tarball_bytes(package, version, size=2048)
        if self.timed("publish", lambda: self.client.publish(self.token, package, version, tarball)) is not None:
            self.population.add_version(package, version)
            self.own_versions.append((package, version))

    def op_session(self):
        if self.session_token is None:
            answer = self.timed("login", lambda: self.client.login(self.account, self.password))
            if answer is not None:
                self.session_token = answer.json()["token"]
        else:
            token, self.session_token = self.session_token, None
            self.timed("logout", lambda: self.client.logout(token))

    def op_tokens(self):
        r = self.rng.random()
        if self.created and r < 0.4:
            token, key = self.created.pop()
            self.timed("token-revoke", lambda: self.client.revoke_token(self.token, key))
        elif r < 0.7:
            answer = self.timed("token-create", lambda: self.client.create_token(self.token, self.password))
            if answer is not None:
                body = answer.json()
                self.created.append((body["token"], body["key"]))
        else:
            self.timed("token-list", lambda: self.client.list_tokens(self.token))

    def op_refusal(self):
        kind = self.rng.randrange(3)
        if kind == 2 and not self.own_versions:
            kind = 0   # nothing of its own to publish over yet
        if kind == 0:
            # A wrong password (401), or, once this account has had its allowance from the guesser's address, the
            # throttle (403, rule auth.password-rate-limited): both are the deliberate refusal.
            rule = lambda a: json.loads(a.body).get("rule")
            self.timed("refuse-password", lambda: self.guesser.login(self.account, self.password + "-wrong"),
                       expect=[(401, "Basic"), (403, None)],
                       check=lambda a: None if a.status == 401 or rule(a) == "auth.password-rate-limited"
                       else f"403 by rule {rule(a)}, not auth.password-rate-limited")
        elif kind == 1:
            bogus = "npm_" + "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(36))
            self.timed("refuse-token", lambda: self.client.whoami(bogus), expect=(401, "Bearer"))
        else:
            # A version this client's account published itself: the refusal is the version's, not a missing ownership.
            package, version = self.rng.choice(self.own_versions)
            tarball = h.tarball_bytes(package, version, size=2048)
            rule = lambda a: json.loads(a.body).get("rule")
            self.timed("refuse-republish", lambda: self.client.publish(self.token, package, version, tarball),
                       expect=(403, None),
                       check=lambda a: None if rule(a) == "input.version-exists" else f"403 by rule {rule(a)}, not input.version-exists")


class RSSSampler(threading.Thread):
    """Reads the server's VmRSS once a second."""

    def __init__(self, server, stop):
        super().__init__(daemon=True)
        self.server, self.stop = server, stop
        self.samples = []   # (monotonic seconds, KiB)

    def run(self):
        while not self.stop.is_set():
            rss = self.server.rss_kib()
            if rss is not None:
                self.samples.append((time.monotonic(), rss))
            self.stop.wait(1.0)


def server_cpu_seconds(pid):
    """utime + stime of a process, from /proc/PID/stat."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (FileNotFoundError, IndexError):
        return None


def rss_at(samples, t):
    """The last sample taken at or before monotonic time t (the first sample if none)."""
    best = samples[0][1]
    for when, kib in samples:
        if when <= t:
            best = kib
    return best


def slope_mib_per_minute(samples):
    """Least-squares slope of RSS over time."""
    if len(samples) < 3:
        return 0.0
    n = len(samples)
    mt = sum(t for t, _ in samples) / n
    mr = sum(r for _, r in samples) / n
    var = sum((t - mt) ** 2 for t, _ in samples)
    if var == 0:
        return 0.0
    return sum((t - mt) * (r - mr) for t, r in samples) / var * 60 / 1024


def fmt(ms):
    return "-" if ms is None else (f"{ms:.1f}" if ms < 100 else f"{ms:.0f}")


def seed(url, accounts, population, args):
    """Publishes the packages the soak reads, each with a few versions, and logs every account in once."""
    client = h.Client(url)
    tokens = {}
    for name, password in accounts:
        answer = client.login(name, password)
        if answer.status != 201:
            raise RuntimeError(f"seeding: login of {name} answered {answer.status}")
        tokens[name] = answer.json()["token"]
    for i in range(args.read_packages):
        package = f"soak-read-{i}"
        owner = accounts[i % len(accounts)][0]
        for v in range(args.seed_versions):
            version = f"1.0.{v}"
            answer = client.publish(tokens[owner], package, version, h.tarball_bytes(package, version, size=2048))
            if not answer.ok:
                raise RuntimeError(f"seeding: publish of {package}@{version} answered {answer.status} {answer.body[:200]!r}")
            population.add_version(package, version)
        population.read_packages.append(package)
    client.close()
    return tokens


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="length of the load (default 60)")
    parser.add_argument("--clients", type=int, default=32, help="client threads, one connection each (default 32)")
    parser.add_argument("--accounts", type=int, default=8, help="accounts the clients share (default 8)")
    parser.add_argument("--read-packages", type=int, default=32, help="seeded packages the reads go to (default 32)")
    parser.add_argument("--seed-versions", type=int, default=10, help="versions of each seeded package (default 10)")
    parser.add_argument("--versions-per-package", type=int, default=20,
                        help="publishes go to a fresh package after this many versions (default 20)")
    parser.add_argument("--warm-up", type=float, default=None,
                        help="seconds before the post-warm-up RSS is taken (default: a sixth of the run, at most 10)")
    parser.add_argument("--in-memory", action="store_true", help="keep the registry in memory instead of --db FILE")
    parser.add_argument("--seed", type=int, default=None, help="random seed (printed; default: a fresh one)")
    parser.add_argument("--binary", help="the regdrill binary (default: $REGDRILL, else a release build)")
    args = parser.parse_args()
    if args.seconds <= 0 or args.clients < 1 or args.accounts < 1 or args.read_packages < 1 or args.seed_versions < 1 \
            or args.versions_per_package < 1:
        parser.error("every count and duration must be positive")
    warm_up = args.warm_up if args.warm_up is not None else min(10.0, args.seconds / 6)

    binary = h.find_binary(args.binary)
    rng_seed = args.seed if args.seed is not None else random.randrange(1 << 32)
    rng = random.Random(rng_seed)
    work = tempfile.mkdtemp(prefix="regdrill-soak-")
    db = None if args.in_memory else os.path.join(work, "registry.db")
    accounts = [(f"soak{i}", f"soak-password-{i}") for i in range(args.accounts)]
    server = h.Server(binary, os.path.join(work, "serve.log"), db=db, era=ERA, users=[f"{n}:{p}" for n, p in accounts])
    store = "in memory (--in-memory)" if args.in_memory else "SQLite file (--db FILE, WAL, synchronous=FULL)"
    print(f"soak: {args.seconds:g} s, {args.clients} clients on persistent connections, era {ERA}, store {store}, "
          f"password cost bulk, seed {rng_seed}", flush=True)
    exit_code = 0
    try:
        url = server.start()
        population = Population()
        tokens = seed(url, accounts, population, args)
        print(f"seeded: {args.accounts} accounts, {args.read_packages} packages x {args.seed_versions} versions "
              f"(reads); publishes go to fresh packages of at most {args.versions_per_package} versions", flush=True)

        stats = Stats()
        stop_load, stop_sampler = threading.Event(), threading.Event()
        clients = []
        for i in range(args.clients):
            name, password = accounts[i % len(accounts)]
            clients.append(SoakClient(i, url, name, password, tokens[name], population, stats, random.Random(rng.random()),
                                      stop_load, args.versions_per_package))
        sampler = RSSSampler(server, stop_sampler)
        rss_start = server.rss_kib()
        cpu_server_start, cpu_self_start = server_cpu_seconds(server.pid), os.times()
        load_start = os.getloadavg()[0]
        started = time.monotonic()
        stats.warm_time = started + warm_up
        sampler.start()
        for c in clients:
            c.start()
        deadline = started + args.seconds
        while time.monotonic() < deadline and server.running():
            time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))
        died_after = None if server.running() else time.monotonic() - started
        stop_load.set()
        for c in clients:
            c.join(120)
        elapsed = time.monotonic() - started
        cpu_now = server_cpu_seconds(server.pid)
        cpu_server = None if cpu_now is None or cpu_server_start is None else cpu_now - cpu_server_start
        rss_end = server.rss_kib()
        stop_sampler.set()
        sampler.join()
        if rss_end is None:   # the server is gone: its last sample stands for the end
            rss_end = sampler.samples[-1][1] if sampler.samples else rss_start
        t = os.times()
        cpu_self = (t.user - cpu_self_start.user) + (t.system - cpu_self_start.system)
        stuck = sum(1 for c in clients if c.is_alive())

        # Operations table.
        print()
        print(f"{'operation':<17}{'requests':>9}{'ok':>8}{'refused':>8}{'errors':>7}{'req/s':>8}"
              f"{'p50 ms':>8}{'p90 ms':>8}{'p99 ms':>8}{'max ms':>8}")
        order = ["packument", "packument-auth", "tarball", "publish", "login", "logout", "token-create", "token-list",
                 "token-revoke", "refuse-password", "refuse-token", "refuse-republish"]
        all_latencies, totals = [], collections.Counter()
        for op in order + sorted(set(stats.latencies) - set(order)):
            lat = sorted(stats.latencies.get(op, []))
            if not lat:
                continue
            c = stats.counts[op]
            totals.update(c)
            all_latencies += lat
            print(f"{op:<17}{len(lat):>9}{c['ok']:>8}{c['refused']:>8}{c['error']:>7}{len(lat) / elapsed:>8.1f}"
                  f"{fmt(h.percentile(lat, .5)):>8}{fmt(h.percentile(lat, .9)):>8}{fmt(h.percentile(lat, .99)):>8}{fmt(lat[-1]):>8}")
        all_latencies.sort()
        n = len(all_latencies)
        print(f"{'all':<17}{n:>9}{totals['ok']:>8}{totals['refused']:>8}{totals['error']:>7}{n / elapsed:>8.1f}"
              f"{fmt(h.percentile(all_latencies, .5)):>8}{fmt(h.percentile(all_latencies, .9)):>8}"
              f"{fmt(h.percentile(all_latencies, .99)):>8}{fmt(all_latencies[-1] if n else None):>8}")
        print()
        errors = totals["error"]
        print(f"requests        {n} in {elapsed:.1f} s ({n / elapsed:.0f} req/s): {totals['ok']} ok, "
              f"{totals['refused']} deliberate refusals (all answered as intended), {errors} errors")
        print(f"error rate      {errors / max(n, 1) * 100:.3f}% (target 0)")
        print(f"connections     {sum(c.client.connections_opened for c in clients)} opened by {len(clients)} clients "
              f"(one each when every connection stayed open)")
        for detail, count in stats.error_samples.most_common(10):
            print(f"  {count:6} x {detail}")
        if stuck:
            print(f"  {stuck} client threads did not finish their last request within 120 s")
            errors += stuck

        # Memory.
        samples = sampler.samples
        mib = lambda kib: kib / 1024
        warm_time = started + warm_up
        rss_warm = rss_at(samples, warm_time) if samples else rss_start
        after = [s for s in samples if s[0] >= warm_time]
        growth = rss_end - rss_warm
        requests_after_warm = stats.after_warm_up
        tolerance_mib = max(MEMORY_TOLERANCE_FRACTION * mib(rss_warm), MEMORY_TOLERANCE_MIB)
        print(f"server RSS      start of load {mib(rss_start):.1f} MiB, after warm-up ({warm_up:.1f} s) {mib(rss_warm):.1f} MiB, "
              f"end {mib(rss_end):.1f} MiB, peak {mib(max([k for _, k in samples] or [rss_end])):.1f} MiB ({len(samples)} samples)")
        print(f"                growth after warm-up {mib(growth):+.1f} MiB, about {growth * 1024 / max(requests_after_warm, 1):+.0f} "
              f"bytes per request ({requests_after_warm} requests); slope after warm-up {slope_mib_per_minute(after):+.2f} MiB/min")
        if died_after is not None:
            print(f"memory          not judged: the server died {died_after:.1f} s into the load")
        elif args.in_memory:
            print("memory          not judged: in memory, the registry's tables (every version, token and audit entry) "
                  "live in this RSS and grow with the writes; run with the default --db FILE to judge the server's own memory")
        elif args.seconds < MINIMUM_SECONDS_FOR_MEMORY_VERDICT:
            print(f"memory          not judged: the run is shorter than {MINIMUM_SECONDS_FOR_MEMORY_VERDICT} s")
        elif mib(growth) <= tolerance_mib:
            print(f"memory          flat: end within {tolerance_mib:.1f} MiB of post-warm-up "
                  f"(tolerance: max({MEMORY_TOLERANCE_FRACTION:.0%} of it, {MEMORY_TOLERANCE_MIB:g} MiB))")
        else:
            print(f"memory          NOT flat: grew {mib(growth):.1f} MiB after warm-up, over the tolerance of {tolerance_mib:.1f} MiB "
                  f"(max({MEMORY_TOLERANCE_FRACTION:.0%} of post-warm-up, {MEMORY_TOLERANCE_MIB:g} MiB))")
            exit_code = 1
        print(f"CPU             server {'?' if cpu_server is None else f'{cpu_server:.1f}'} s, this load generator {cpu_self:.1f} s, over {elapsed:.1f} s on "
              f"{os.cpu_count()} cores")
        print(f"machine load    1-minute load average {load_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end "
              f"(other work on the machine shares its cores with the server and the generator)")
        print("note            the load generator is CPython: its threads share one interpreter lock (and the cores with "
              "the server), so rates are a floor and latencies include the generator's own queueing")

        if died_after is not None or not server.running():
            print(f"server          DIED during the soak (exit status {server.process.returncode}); its console is in "
                  f"{os.path.join(work, 'serve.log')}")
            errors += 1
        else:
            status = server.stop()
            if status != 0:
                print(f"server          exited with status {status} on SIGTERM")
                errors += 1
            if db:
                check = sqlite3.connect(db)
                result = [r[0] for r in check.execute("PRAGMA integrity_check")]
                check.close()
                print(f"database        integrity_check {'ok' if result == ['ok'] else result[:5]}")
                if result != ["ok"]:
                    errors += 1
        if errors:
            exit_code = 1
        print("verdict         " + ("PASS" if exit_code == 0 else "FAIL"))
    finally:
        server.kill()
        if exit_code == 0:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"files kept in {work}")
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
