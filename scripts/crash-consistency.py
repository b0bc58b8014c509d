#!/usr/bin/env python3
"""Crash consistency of `regdrill serve --db FILE`: SIGKILL in the middle of concurrent writes, restart, verify.

    scripts/crash-consistency.py [--runs N] [--clients 16] [--binary PATH] [--seed S]

Each run, in a fresh temporary directory with a fresh database file:

1. Start `regdrill serve --port 0 --db FILE --era 2021-06-01 --password-cost bulk --user u:pw` (2021 rules: a
   password login mints a publish token, no emailed code, no 2FA) and log in for a token.
2. Start `--clients` writer threads, each on its own persistent connection. Each writes in a loop: mostly publishes
   of versions only it uses (1.<client>.<n>) spread over a few packages, plus dist-tag adds (its own tag, pointing at
   a version it saw acknowledged) and token creations. Every request is recorded with its outcome: acknowledged (a
   complete 2xx answer), refused (any other answer: none is expected), unknown (the connection broke: the server may
   or may not have committed it) or unsent (the connection was refused: it never reached the server).
3. After a random delay, SIGKILL the server (no shutdown of any kind) and copy the database file and its WAL as the
   kill left them.
4. Restart the server on the same file and check over HTTP:
   - every acknowledged publish is in its packument and its tarball downloads with the integrity that was sent
     (a missing one is a loss);
   - no version is half-present: in the packument with its tarball missing or wrong, or a tarball served for a
     version the packument lacks;
   - a present version whose publish was never acknowledged (the kill fell between commit and reply) is fine:
     counted as "committed, unacknowledged"; a present version that was never sent at all is a mismatch;
   - every dist-tag holds its last acknowledged value (or a value sent later whose answer was lost);
   - every token whose creation was acknowledged still authenticates (`GET /-/whoami`).
5. Stop the server (SIGTERM) and open the file with sqlite3: `PRAGMA integrity_check` and `foreign_key_check` (on
   the final file and on the copy taken right after the kill), and the audit log (table `audit`, which no command or
   endpoint exposes): every acknowledged publish has exactly one `allowed` publish entry, every such entry's version
   exists, every stored version has its entry; acknowledged dist-tag adds and token creations are all audited, and
   no more were audited than were sent.

Prints one line per run and the totals (runs, acknowledged writes, lost, half-present, committed-unacknowledged,
audit mismatches); exits 1 on any loss, half-present version, audit mismatch, integrity failure or unexpected
answer, 0 otherwise. `--sabotage` deletes the WAL after each kill (committed transactions are lost) and, since a
checkpoint may just have moved every write into the main file, also deletes one acknowledged version from it, to
show that the checks catch a loss: such a run must fail. Short form for a test suite:
`--runs 2 --max-delay 1` (about 5 seconds).

The binary comes from --binary, else $REGDRILL, else `swift build -c release --product regdrill`.
"""

import argparse
import collections
import http.client
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
USER, PASSWORD = "u", "pw"


class Attempt:
    """One write request and what the client saw of it."""

    def __init__(self, client, op, package=None, version=None, tag=None, tarball=None):
        self.client = client
        self.op = op                # "publish", "dist-tag", "token"
        self.package = package
        self.version = version
        self.tag = tag
        self.tarball = tarball      # the bytes sent, for publishes
        self.outcome = None         # "acked", "refused", "unknown", "unsent"
        self.status = None
        self.detail = ""
        self.token = None           # for an acknowledged token creation
        self.key = None
        self.failed_at = None       # monotonic time of a transport error


class Writer(threading.Thread):
    """One client: a loop of writes on its own connection until told to stop or the server is gone."""

    def __init__(self, index, url, token, packages, rng, stop):
        super().__init__(daemon=True)
        self.index = index
        self.client = h.Client(url, timeout=30)
        self.token = token
        self.packages = packages
        self.rng = rng
        self.stop = stop
        self.attempts = []
        self.acked_versions = []
        self.in_flight = False

    def next_attempt(self, n):
        r = self.rng.random()
        if r < 0.8 or not self.acked_versions:
            package = self.packages[(n + self.index) % len(self.packages)]
            version = f"1.{self.index}.{n}"
            return Attempt(self.index, "publish", package, version, tarball=h.tarball_bytes(package, version))
        if r < 0.9:
            package, version = self.rng.choice(self.acked_versions)
            return Attempt(self.index, "dist-tag", package, version, tag=f"c{self.index}")
        return Attempt(self.index, "token")

    def send(self, attempt):
        if attempt.op == "publish":
            return self.client.publish(self.token, attempt.package, attempt.version, attempt.tarball)
        if attempt.op == "dist-tag":
            return self.client.set_dist_tag(self.token, attempt.package, attempt.tag, attempt.version)
        return self.client.create_token(self.token, PASSWORD)

    def run(self):
        n = 0
        while not self.stop.is_set():
            attempt = self.next_attempt(n)
            if attempt.op == "publish":
                n += 1
            self.attempts.append(attempt)
            self.in_flight = True
            try:
                answer = self.send(attempt)
            except ConnectionRefusedError as e:
                attempt.outcome, attempt.detail, attempt.failed_at = "unsent", repr(e), time.monotonic()
                break
            except (OSError, http.client.HTTPException) as e:
                attempt.outcome, attempt.detail, attempt.failed_at = "unknown", repr(e), time.monotonic()
                break
            finally:
                self.in_flight = False
            attempt.status = answer.status
            if answer.ok:
                attempt.outcome = "acked"
                if attempt.op == "publish":
                    self.acked_versions.append((attempt.package, attempt.version))
                elif attempt.op == "token":
                    body = answer.json()
                    attempt.token, attempt.key = body["token"], body["key"]
            else:
                attempt.outcome = "refused"
                attempt.detail = answer.body[:300].decode("utf-8", "replace")
        self.client.close()


class RunResult:
    """The counts of one run, and the problems found (each a sentence)."""

    FIELDS = ("acked", "acked_publish", "acked_dist_tag", "acked_token", "lost", "half", "committed_unacked",
              "uncommitted", "audit_mismatch", "unexpected", "integrity_failures", "in_flight")

    def __init__(self):
        for f in self.FIELDS:
            setattr(self, f, 0)
        self.problems = []
        self.delay = 0.0

    def problem(self, field, text):
        setattr(self, field, getattr(self, field) + 1)
        self.problems.append(text)

    @property
    def failed(self):
        return bool(self.lost or self.half or self.audit_mismatch or self.unexpected or self.integrity_failures)


def sqlite_checks(path):
    """`PRAGMA integrity_check` and `foreign_key_check` of a database file; returns a list of problems."""
    problems = []
    db = sqlite3.connect(path)
    try:
        rows = [r[0] for r in db.execute("PRAGMA integrity_check")]
        if rows != ["ok"]:
            problems.append(f"integrity_check of {os.path.basename(path)}: {rows[:5]}")
        fk = db.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            problems.append(f"foreign_key_check of {os.path.basename(path)}: {fk[:5]}")
    finally:
        db.close()
    return problems


def snapshot_after_kill(db_path, directory):
    """Copies the database and its WAL as SIGKILL left them (the -shm index is rebuilt by whoever opens the copy)."""
    os.makedirs(directory)
    for suffix in ("", "-wal"):
        if os.path.exists(db_path + suffix):
            shutil.copy2(db_path + suffix, os.path.join(directory, os.path.basename(db_path) + suffix))
    return os.path.join(directory, os.path.basename(db_path))


def verify_over_http(url, attempts, packages, login_token, result):
    """Checks publishes, dist-tags and tokens against what the restarted server serves."""
    client = h.Client(url, timeout=30)
    documents = {}
    for package in packages:
        answer = client.packument(package)
        if answer.status == 404:
            documents[package] = {"versions": {}, "dist-tags": {}}
        elif answer.ok:
            documents[package] = answer.json()
        else:
            result.problem("unexpected", f"GET /{package} after restart: {answer.status} {answer.body[:200]!r}")
            documents[package] = {"versions": {}, "dist-tags": {}}

    publishes = {(a.package, a.version): a for a in attempts if a.op == "publish"}
    present = {(p, v) for p, doc in documents.items() for v in doc.get("versions", {})}
    for package, version in sorted(present | set(publishes)):
        attempt = publishes.get((package, version))
        entry = documents[package].get("versions", {}).get(version)
        download = client.tarball(package, version)
        if attempt is None:
            result.problem("audit_mismatch", f"{package}@{version} is present but was never sent")
            continue
        wanted = h.integrity(attempt.tarball)
        in_document = entry is not None
        tarball_served = download.status == 200
        if in_document and tarball_served:
            if entry.get("dist", {}).get("integrity") != wanted or h.integrity(download.body) != wanted:
                result.problem("half", f"{package}@{version}: stored with the wrong integrity or bytes")
            elif attempt.outcome == "acked":
                pass
            elif attempt.outcome == "unknown":
                result.committed_unacked += 1
            else:
                result.problem("audit_mismatch", f"{package}@{version} is present but its publish was {attempt.outcome}")
        elif not in_document and download.status == 404:
            if attempt.outcome == "acked":
                result.problem("lost", f"{package}@{version}: publish acknowledged, absent after restart")
            else:
                result.uncommitted += 1
        else:
            result.problem("half", f"{package}@{version}: in packument {in_document}, tarball GET {download.status}")

    # Dist-tags: each client writes its own tag; it must hold the last acknowledged value, or a later unanswered one.
    by_tag = collections.defaultdict(list)
    for a in attempts:
        if a.op == "dist-tag":
            by_tag[(a.package, a.tag)].append(a)
    for (package, tag), sequence in sorted(by_tag.items()):
        acked = [i for i, a in enumerate(sequence) if a.outcome == "acked"]
        allowed = {sequence[acked[-1]].version} if acked else {None}
        start = acked[-1] + 1 if acked else 0
        allowed |= {a.version for a in sequence[start:] if a.outcome == "unknown"}
        current = documents[package].get("dist-tags", {}).get(tag)
        if current not in allowed:
            result.problem("lost", f"dist-tag {tag} of {package} is {current}, expected one of {sorted(map(str, allowed))}")

    # Tokens: every acknowledged one still authenticates.
    for token, label in [(login_token, "login token")] + [(a.token, "created token") for a in attempts
                                                          if a.op == "token" and a.outcome == "acked"]:
        answer = client.whoami(token)
        if not (answer.ok and answer.json().get("username") == USER):
            result.problem("lost", f"a {label} acknowledged before the kill answers {answer.status} to whoami")
    client.close()
    return documents


def verify_audit(db_path, attempts, documents, result):
    """Reads the audit table and the version table of the stopped server's file and compares them with the client's view."""
    db = sqlite3.connect(db_path)
    try:
        audit = db.execute("SELECT operation, target, outcome FROM audit").fetchall()
        stored = {f"{p}@{v}" for p, v in db.execute("SELECT package, version FROM version")}
    finally:
        db.close()
    served = {f"{p}@{v}" for p, doc in documents.items() for v in doc.get("versions", {})}
    if stored != served:
        result.problem("audit_mismatch", f"version table and packuments differ: {sorted(stored ^ served)[:5]}")

    allowed = collections.Counter((op, target) for op, target, outcome in audit if outcome == "allowed")
    refused = [(op, target, outcome) for op, target, outcome in audit
               if outcome != "allowed" and op in ("publish", "dist-tag-add", "create-token")]
    for entry in refused:
        result.problem("audit_mismatch", f"refused write in the audit log: {entry}")

    audited_publishes = {target: n for (op, target), n in allowed.items() if op == "publish"}
    for a in attempts:
        if a.op == "publish" and a.outcome == "acked" and audited_publishes.get(f"{a.package}@{a.version}", 0) != 1:
            result.problem("audit_mismatch", f"acknowledged publish {a.package}@{a.version} has "
                                             f"{audited_publishes.get(f'{a.package}@{a.version}', 0)} audit entries")
    for target, n in sorted(audited_publishes.items()):
        if target not in stored:
            result.problem("audit_mismatch", f"audit says {target} was published, but the version is not stored")
        elif n != 1:
            result.problem("audit_mismatch", f"{target} has {n} allowed publish entries")
    for target in sorted(stored - set(audited_publishes)):
        result.problem("audit_mismatch", f"{target} is stored without a publish audit entry")

    tags = collections.defaultdict(lambda: [0, 0])   # target -> [acknowledged, sent with an unknown answer]
    for a in attempts:
        if a.op == "dist-tag" and a.outcome in ("acked", "unknown"):
            tags[f"{a.package}@{a.tag}"][0 if a.outcome == "acked" else 1] += 1
    for target, (acked, unknown) in sorted(tags.items()):
        n = allowed.get(("dist-tag-add", target), 0)
        if not acked <= n <= acked + unknown:
            result.problem("audit_mismatch", f"dist-tag {target}: {acked} acknowledged, {unknown} unanswered, {n} audited")

    acked_tokens = [a for a in attempts if a.op == "token" and a.outcome == "acked"]
    unknown_tokens = sum(1 for a in attempts if a.op == "token" and a.outcome == "unknown")
    n = allowed.get(("create-token", "publish"), 0)
    if not len(acked_tokens) <= n <= len(acked_tokens) + unknown_tokens:
        result.problem("audit_mismatch", f"token creations: {len(acked_tokens)} acknowledged, {unknown_tokens} unanswered, {n} audited")


def one_run(number, binary, args, rng, keep):
    """One kill-and-restart cycle; returns its RunResult."""
    result = RunResult()
    completed = False
    work = tempfile.mkdtemp(prefix="regdrill-crash-")
    db_path = os.path.join(work, "registry.db")
    packages = [f"crash-pkg-{i}" for i in range(args.packages)]
    server = h.Server(binary, os.path.join(work, "serve-1.log"), db=db_path, era=ERA, users=[f"{USER}:{PASSWORD}"])
    restarted = None
    try:
        url = server.start()
        setup = h.Client(url)
        login = setup.login(USER, PASSWORD)
        if login.status != 201:
            raise RuntimeError(f"login failed: {login.status} {login.body[:200]!r}")
        token = login.json()["token"]
        setup.close()

        stop = threading.Event()
        writers = [Writer(i, url, token, packages, random.Random(rng.random()), stop) for i in range(args.clients)]
        delay = result.delay = rng.uniform(args.min_delay, args.max_delay)
        for w in writers:
            w.start()
        time.sleep(delay)
        result.in_flight = sum(1 for w in writers if w.in_flight)
        if not server.running():
            result.problem("unexpected", f"the server died on its own before the kill (status {server.process.returncode}); "
                                         f"see {os.path.basename(server.log_path)}")
        killed_at = time.monotonic()
        server.kill()
        stop.set()
        for w in writers:
            w.join(60)
        attempts = [a for w in writers for a in w.attempts]

        for a in attempts:
            if a.outcome == "refused":
                result.problem("unexpected", f"{a.op} {a.package or ''}@{a.version or ''} answered {a.status}: {a.detail}")
            elif a.outcome in ("unknown", "unsent") and a.failed_at < killed_at:
                result.problem("unexpected", f"{a.op} failed before the kill: {a.detail}")
            elif a.outcome is None:
                result.problem("unexpected", f"{a.op} never finished (writer thread stuck)")
        acked = [a for a in attempts if a.outcome == "acked"]
        result.acked = len(acked) + 1   # and the login that minted the writers' token
        result.acked_publish = sum(1 for a in acked if a.op == "publish")
        result.acked_dist_tag = sum(1 for a in acked if a.op == "dist-tag")
        result.acked_token = sum(1 for a in acked if a.op == "token")

        crash_copy = snapshot_after_kill(db_path, os.path.join(work, "after-kill"))
        for p in sqlite_checks(crash_copy):
            result.problem("integrity_failures", "copy taken after the kill: " + p)

        if args.sabotage:
            # Checks the checker: losing the WAL loses every transaction committed since the last checkpoint.
            for suffix in ("-wal", "-shm"):
                if os.path.exists(db_path + suffix):
                    os.remove(db_path + suffix)
            # If a checkpoint had just copied every acknowledged write into the main file, losing the WAL loses
            # nothing; one acknowledged version removed from the file is a loss in every run.
            published = [a for a in acked if a.op == "publish"]
            if published:
                db = sqlite3.connect(db_path)
                try:
                    # Without a checkpoint the main file may not even hold the schema yet: then everything is lost already.
                    if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'version'").fetchone():
                        with db:
                            db.execute("DELETE FROM version WHERE package = ? AND version = ?", (published[0].package, published[0].version))
                finally:
                    db.close()

        restarted = h.Server(binary, os.path.join(work, "serve-2.log"), db=db_path, era=ERA, users=[f"{USER}:{PASSWORD}"])
        url = restarted.start()
        try:
            documents = verify_over_http(url, attempts, packages, token, result)
        except (OSError, http.client.HTTPException) as e:
            state = "still running" if restarted.running() else f"exited with status {restarted.process.returncode}"
            result.problem("unexpected", f"the restarted server failed a verification request ({e!r}); it is {state}; "
                                         f"see {os.path.basename(restarted.log_path)}")
            return result
        status = restarted.stop()
        if status != 0:
            result.problem("unexpected", f"the restarted server exited with status {status} on SIGTERM")
        for p in sqlite_checks(db_path):
            result.problem("integrity_failures", p)
        verify_audit(db_path, attempts, documents, result)
        completed = True
    finally:
        server.kill()
        if restarted is not None:
            restarted.kill()
        # A sabotaged run fails on purpose: its files show nothing new.
        if keep or (result.failed and not args.sabotage) or not completed:
            print(f"  run {number}: files kept in {work}", flush=True)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="kill-and-restart cycles (default 10)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent writer threads (default 16)")
    parser.add_argument("--packages", type=int, default=4, help="packages the writers publish to (default 4)")
    parser.add_argument("--min-delay", type=float, default=0.3, help="earliest kill, seconds after the writers start")
    parser.add_argument("--max-delay", type=float, default=2.5, help="latest kill, seconds after the writers start")
    parser.add_argument("--seed", type=int, default=None, help="random seed (printed; default: a fresh one)")
    parser.add_argument("--binary", help="the regdrill binary (default: $REGDRILL, else a release build)")
    parser.add_argument("--sabotage", action="store_true",
                        help="delete the WAL after each kill, to see the checks catch the losses (the run must FAIL)")
    parser.add_argument("--keep", action="store_true", help="keep every run's directory (failed runs are always kept)")
    args = parser.parse_args()
    if args.runs < 1 or args.clients < 1 or args.packages < 1 or not 0 <= args.min_delay <= args.max_delay:
        parser.error("--runs, --clients and --packages must be positive, and 0 <= --min-delay <= --max-delay")

    binary = h.find_binary(args.binary)
    seed = args.seed if args.seed is not None else random.randrange(1 << 32)
    rng = random.Random(seed)
    print(f"crash consistency: {args.runs} runs, {args.clients} writer threads, {args.packages} packages, "
          f"SIGKILL {args.min_delay}-{args.max_delay} s after the writers start, era {ERA}, --db FILE, seed {seed}",
          flush=True)
    totals = collections.Counter()
    failed_runs = 0
    started = time.monotonic()
    for number in range(1, args.runs + 1):
        r = one_run(number, binary, args, rng, args.keep)
        for f in RunResult.FIELDS:
            totals[f] += getattr(r, f)
        failed_runs += r.failed
        print(f"run {number:3}: kill at {r.delay:4.2f} s ({r.in_flight:2} in flight): acknowledged {r.acked:4} "
              f"(login 1, publish {r.acked_publish}, dist-tag {r.acked_dist_tag}, token {r.acked_token}); lost {r.lost}; "
              f"half-present {r.half}; committed-unacknowledged {r.committed_unacked}; not committed {r.uncommitted}; "
              f"audit mismatches {r.audit_mismatch}; integrity {'FAILED' if r.integrity_failures else 'ok'}; "
              f"unexpected answers {r.unexpected}", flush=True)
        for p in r.problems[:20]:
            print(f"    - {p}", flush=True)
        if len(r.problems) > 20:
            print(f"    ... and {len(r.problems) - 20} more", flush=True)

    print()
    print(f"runs                        {args.runs} ({failed_runs} failed) in {time.monotonic() - started:.0f} s")
    print(f"acknowledged writes         {totals['acked']} (login {args.runs}, publish {totals['acked_publish']}, "
          f"dist-tag {totals['acked_dist_tag']}, token create {totals['acked_token']})")
    print(f"lost                        {totals['lost']} (target 0)")
    print(f"half-present                {totals['half']} (target 0)")
    print(f"committed, unacknowledged   {totals['committed_unacked']} (fine: killed between commit and reply)")
    print(f"sent, not committed         {totals['uncommitted']} (fine: never acknowledged)")
    print(f"audit mismatches            {totals['audit_mismatch']} (target 0)")
    print(f"integrity check failures    {totals['integrity_failures']} (target 0)")
    print(f"unexpected answers          {totals['unexpected']} (target 0)")
    ok = failed_runs == 0
    print("verdict                     " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
