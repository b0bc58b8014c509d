/// The pseudo-terminal driver for the real-npm tests, written to a temporary file when they run.
///
/// npm prompts (passwords, OTPs, the web-login URL) only on a TTY, so these tests drive it through
/// Python's pexpect. Kept here rather than as a loose file so the test target needs no resources.
enum NPMDriveScript {
    static let source = #"""
#!/usr/bin/env python3
"""Runs one command in a pseudo-terminal and answers its prompts, for the real-npm tests.

npm only prompts (password, OTP, web-login URL) when stdin and stdout are TTYs, so the tests
drive it through pexpect. Usage:

    npm-drive.py STEPS_JSON TIMEOUT_SECONDS -- command args...

STEPS_JSON is a list of steps, each one of:
    {"expect": "regex", "send": "text"}        wait for the regex, type text + Enter
    {"expect": "regex"}                         wait only
    {"expect": "regex with one group", "capture": "NAME"}
                                                wait, and remember the group (a base32 secret npm printed)
    {"expect": "regex", "send_totp_of": "NAME", "at": UNIX_SECONDS}
                                                wait, then type the RFC 6238 code of the captured secret at
                                                that time (the time the registry's clock reads)
    {"expect": "regex with one group (URL)", "post_form": {"field": "value"}, "delay": SECONDS}
                                                wait, then (after an optional delay, a person reading the
                                                URL) POST the form urlencoded to the captured URL (the
                                                web login page), as a person in a browser would

The transcript goes to stdout; the exit status is the command's (or 97 when a step timed out,
98 when the command ended before a step matched).
"""
import base64
import hashlib
import hmac
import json
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pexpect


def totp(secret: str, at: int) -> str:
    key = base64.b32decode(secret.upper() + "=" * ((8 - len(secret) % 8) % 8))
    mac = hmac.new(key, struct.pack(">Q", at // 30), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000)


def main() -> int:
    steps = json.loads(sys.argv[1])
    timeout = float(sys.argv[2])
    assert sys.argv[3] == "--"
    command = sys.argv[4:]
    child = pexpect.spawn(command[0], command[1:], encoding="utf-8", timeout=timeout,
                          dimensions=(50, 400), echo=False)
    transcript = []
    captures = {}
    status = None
    try:
        for step in steps:
            try:
                child.expect(step["expect"])
            except pexpect.TIMEOUT:
                transcript.append(child.before or "")
                transcript.append(f"\n[npm-drive] timed out waiting for {step['expect']!r}\n")
                status = 97
                break
            except pexpect.EOF:
                transcript.append(child.before or "")
                transcript.append(f"\n[npm-drive] command ended before {step['expect']!r}\n")
                status = 98
                break
            transcript.append((child.before or "") + (child.after if isinstance(child.after, str) else ""))
            if "send" in step:
                child.sendline(step["send"])
            if "capture" in step:
                captures[step["capture"]] = child.match.group(1)
            if "send_totp_of" in step:
                child.sendline(totp(captures[step["send_totp_of"]], int(step["at"])))
            if "post_form" in step:
                url = child.match.group(1)
                time.sleep(float(step.get("delay", 0)))
                data = urllib.parse.urlencode(step["post_form"]).encode()
                req = urllib.request.Request(url, data=data, method="POST",
                                             headers={"Content-Type": "application/x-www-form-urlencoded"})
                try:
                    with urllib.request.urlopen(req, timeout=timeout) as resp:
                        transcript.append(f"\n[npm-drive] login form answered {resp.status}\n")
                except urllib.error.HTTPError as e:
                    transcript.append(f"\n[npm-drive] login form answered {e.code}: {e.read().decode(errors='replace')[:2000]}\n")
        if status is None:
            child.expect(pexpect.EOF)
            transcript.append(child.before or "")
    except pexpect.TIMEOUT:
        transcript.append(child.before or "")
        transcript.append("\n[npm-drive] timed out waiting for the command to end\n")
        status = 97
    finally:
        child.close(force=True)
    sys.stdout.write("".join(transcript))
    if status is not None:
        return status
    return child.exitstatus if child.exitstatus is not None else 99


if __name__ == "__main__":
    sys.exit(main())
"""#
}
