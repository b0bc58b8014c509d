"""Shared pieces of the hardening scripts (scripts/crash-consistency.py, scripts/soak.py).

Standard library only. Starts `regdrill serve` on a free loopback port, speaks the npm registry
protocol to it (docs: the workshop walkthrough in README.md, and the npm wire format notes), and
builds publish bodies the way `npm publish` does (one version, its tarball in base64 in
`_attachments`, sha512 integrity and sha1 shasum).

The binary is taken from, in order: an explicit path (`--binary`), the `REGDRILL` environment
variable, or a release build made on the spot (`swift build -c release --product regdrill`, then
`.build/release/regdrill`), as scripts/bench-server.sh does.
"""

import base64
import gzip
import hashlib
import http.client
import json
import os
import re
import select
import shutil
import signal
import subprocess
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

BANNER_URL = re.compile(r"registry  (http://[0-9.]+:[0-9]+)/")


def find_binary(explicit=None):
    """The regdrill binary: `explicit`, else $REGDRILL, else a fresh release build of this checkout."""
    path = explicit or os.environ.get("REGDRILL")
    if path:
        if not os.access(path, os.X_OK):
            raise SystemExit(f"regdrill binary not found or not executable: {path}")
        return os.path.abspath(path)
    print("building regdrill (swift build -c release --product regdrill) ...", flush=True)
    subprocess.run(["swift", "build", "-c", "release", "--product", "regdrill"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, ".build", "release", "regdrill")


class Server:
    """One `regdrill serve --port 0` process; its console goes to a log file (never a pipe that could fill up)."""

    def __init__(self, binary, log_path, db=None, era=None, users=(), password_cost="bulk", extra=(), nofile=None):
        self.binary = binary
        self.nofile = nofile
        self.log_path = log_path
        self.args = [binary, "serve", "--port", "0", "--password-cost", password_cost]
        if db:
            self.args += ["--db", db]
        if era:
            self.args += ["--era", era]
        for user in users:
            self.args += ["--user", user]
        self.args += list(extra)
        self.process = None
        self.url = None

    def start(self, timeout=30.0):
        """Starts the server and waits for its banner; returns the registry URL (no trailing slash)."""
        log = open(self.log_path, "ab")
        try:
            # A session of its own: a Ctrl-C in the terminal reaches the script, which then stops the server itself.
            self.process = subprocess.Popen(self.args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            start_new_session=True, preexec_fn=self._limit_descriptors)
        finally:
            log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(self.log_path, "r", errors="replace") as f:
                match = BANNER_URL.search(f.read())
            if match:
                self.url = match.group(1)
                return self.url
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.kill()
        with open(self.log_path, "r", errors="replace") as f:
            raise RuntimeError(f"regdrill serve did not start:\n{f.read()[-4000:]}")

    def _limit_descriptors(self):
        """In the child before exec: `ulimit -n` of the server, when one was asked for."""
        if self.nofile is not None:
            import resource
            resource.setrlimit(resource.RLIMIT_NOFILE, (self.nofile, self.nofile))

    def open_descriptors(self):
        """How many file descriptors the server has open now, or None once it is gone."""
        try:
            return len(os.listdir(f"/proc/{self.process.pid}/fd"))
        except (FileNotFoundError, ProcessLookupError):
            return None

    @property
    def pid(self):
        return self.process.pid

    def running(self):
        return self.process is not None and self.process.poll() is None

    def kill(self):
        """SIGKILL, no chance to flush or close anything; waits until the process is gone."""
        if self.running():
            os.kill(self.process.pid, signal.SIGKILL)
        if self.process is not None:
            self.process.wait()

    def stop(self, timeout=20.0):
        """SIGTERM (a graceful shutdown); SIGKILL if it has not exited within `timeout`. Returns the exit status."""
        if not self.running():
            return self.process.returncode if self.process else None
        os.kill(self.process.pid, signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return self.process.returncode

    def rss_kib(self):
        """The resident set size (VmRSS) in KiB, or None once the process is gone."""
        try:
            with open(f"/proc/{self.process.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except (FileNotFoundError, ProcessLookupError):
            return None
        return None


class Answer:
    """One HTTP answer: status, headers (lower-case names), body bytes, and the seconds it took."""

    def __init__(self, status, headers, body, seconds):
        self.status = status
        self.headers = headers
        self.body = body
        self.seconds = seconds

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    @property
    def ok(self):
        return 200 <= self.status < 300


class Client:
    """One persistent HTTP/1.1 connection to the registry (reopened after an error or a `Connection: close`)."""

    def __init__(self, base_url, timeout=60.0, source_address=None):
        """`source_address`: the local address to connect from (another loopback address, say, to act as another machine)."""
        parsed = urllib.parse.urlsplit(base_url)
        self.host = parsed.hostname
        self.port = parsed.port
        self.timeout = timeout
        self.source_address = (source_address, 0) if source_address else None
        self.connection = None
        self.connections_opened = 0

    def _dropped(self):
        """Whether the idle connection's socket has been closed by the server (it reads as ready, with nothing to say)."""
        sock = self.connection.sock
        if sock is None:
            return False
        readable, _, _ = select.select([sock], [], [], 0)
        return bool(readable)

    def _open(self):
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout, source_address=self.source_address)
        self.connections_opened += 1

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(self, method, path, body=None, token=None, basic=None, headers=None):
        """Sends one request; `body` is JSON-encoded unless it is bytes. Raises OSError/HTTPException on transport errors."""
        fields = {"accept": "application/json", "user-agent": "regdrill-hardening-script"}
        if token is not None:
            fields["authorization"] = "Bearer " + token
        elif basic is not None:
            fields["authorization"] = "Basic " + base64.b64encode(f"{basic[0]}:{basic[1]}".encode()).decode()
        payload = None
        if body is not None:
            payload = body if isinstance(body, bytes) else json.dumps(body).encode()
            fields["content-type"] = "application/json"
        if headers:
            fields.update(headers)
        if self.connection is not None and self._dropped():
            # The server closed this kept-alive connection while it sat idle (it closes connections that send no
            # request for a while): open a new one rather than send into a closed socket, as HTTP clients do.
            self.close()
        if self.connection is None:
            self._open()
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=payload, headers=fields)
            response = self.connection.getresponse()
            data = response.read()
        except BaseException:
            self.close()
            raise
        seconds = time.perf_counter() - started
        answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, data, seconds)
        if response.will_close:
            self.close()
        return answer

    # npm protocol helpers (the request shapes npm 10 sends).

    def login(self, name, password):
        """Legacy login (`npm login --auth-type=legacy`): PUT /-/user/org.couchdb.user:<name>."""
        return self.request("PUT", f"/-/user/org.couchdb.user:{quote(name)}",
                            {"_id": f"org.couchdb.user:{name}", "name": name, "password": password, "type": "user", "roles": []})

    def publish(self, token, name, version, tarball, tag="latest"):
        return self.request("PUT", "/" + quote(name), publish_body(name, version, tarball, tag), token=token)

    def packument(self, name, token=None):
        return self.request("GET", "/" + quote(name), token=token)

    def tarball(self, name, version, token=None):
        return self.request("GET", tarball_path(name, version), token=token)

    def set_dist_tag(self, token, name, tag, version):
        return self.request("PUT", f"/-/package/{quote(name)}/dist-tags/{quote(tag)}", json.dumps(version).encode(), token=token)

    def create_token(self, token, password, readonly=False):
        return self.request("POST", "/-/npm/v1/tokens", {"password": password, "readonly": readonly, "cidr_whitelist": []},
                            token=token)

    def list_tokens(self, token):
        return self.request("GET", "/-/npm/v1/tokens", token=token)

    def revoke_token(self, token, key):
        return self.request("DELETE", f"/-/npm/v1/tokens/token/{quote(key)}", token=token)

    def logout(self, token):
        return self.request("DELETE", f"/-/user/token/{quote(token)}", token=token)

    def whoami(self, token):
        return self.request("GET", "/-/whoami", token=token)


def quote(segment):
    """Percent-encodes one path segment (a scoped name's slash becomes %2f, as npm sends it)."""
    return urllib.parse.quote(segment, safe="@").replace("%2F", "%2f")


def tarball_file(name, version):
    """npm's tarball file name: the unscoped part of the name, a dash, the version."""
    return f"{name.split('/')[-1]}-{version}.tgz"


def tarball_path(name, version):
    return f"/{quote(name)}/-/{tarball_file(name, version)}"


def integrity(data):
    """`sha512-<base64>`, as npm computes `dist.integrity`."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def tarball_bytes(name, version, salt="", size=512):
    """Distinct, reproducible gzip bytes for one version: the server refuses a tarball that is not gzip, and checks
    integrity against the bytes (it never unpacks them, so they need not hold a tar)."""
    seed = f"{name}@{version}#{salt}\n".encode()
    return gzip.compress((seed * (size // len(seed) + 1))[:size], mtime=0)


def publish_body(name, version, tarball, tag="latest"):
    """The body of `npm publish`: one version, one attachment, one dist-tag."""
    file = tarball_file(name, version)
    return {
        "_id": name, "name": name, "dist-tags": {tag: version},
        "versions": {version: {"name": name, "version": version, "_id": f"{name}@{version}",
                               "dist": {"integrity": integrity(tarball), "shasum": hashlib.sha1(tarball).hexdigest(),
                                        "tarball": f"http://registry.invalid/{name}/-/{file}"}}},
        "access": None,
        "_attachments": {file: {"content_type": "application/octet-stream",
                                "data": base64.b64encode(tarball).decode(), "length": len(tarball)}},
    }


def percentile(sorted_values, fraction):
    """The nearest-rank percentile of an ascending list (None when empty)."""
    if not sorted_values:
        return None
    rank = max(1, int(-(-fraction * len(sorted_values) // 1)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def conclude(server, workdir, failures, verdict_label="verdict"):
    """Stops the server, shows the end of its log if anything failed, removes `workdir`, prints the verdict line and
    returns the exit status (1 on any failure)."""
    server.stop()
    if failures:
        with open(server.log_path, errors="replace") as f:
            print("server log (end):\n" + f.read()[-3000:])
    shutil.rmtree(workdir, ignore_errors=True)
    print(f"{verdict_label}{'FAIL: ' + '; '.join(failures) if failures else 'PASS'}")
    return 1 if failures else 0


def login_and_publish(url, name, password, package, size=2048):
    """Logs `name` in (legacy login) and publishes `package`@1.0.0; returns the token. Exits with the answer if either fails."""
    client = Client(url)
    try:
        login = client.login(name, password)
        if login.status != 201:
            raise SystemExit(f"login answered {login.status}: {login.body[:200]!r}")
        token = login.json()["token"]
        published = client.publish(token, package, "1.0.0", tarball_bytes(package, "1.0.0", size=size))
        if not published.ok:
            raise SystemExit(f"could not publish {package}: {published.status} {published.body[:200]!r}")
        return token
    finally:
        client.close()
