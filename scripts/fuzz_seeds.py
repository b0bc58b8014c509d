"""Seed corpus and dictionary for scripts/fuzz-libfuzzer.sh.

    python3 scripts/fuzz_seeds.py TARGET FOLDER

Writes FOLDER/corpus/ (one file per seed input) and FOLDER/dictionary (libFuzzer's format: one quoted token a line).
- scenario: the bundled scenarios, the test fixtures that are scenarios, the regression inputs; tokens: every key and
  every word after `action:`/`kind:` those files use.
- profile: the bundled profiles and the profile regression inputs; tokens: their keys and defense names.
- request: the server tests' hostile requests (Tests/DrillServerTests/Hostile), their placeholders filled with
  plausible values (a token, a code, a small gzip tarball, ...), and the request regression inputs; tokens: the
  server's paths, headers and JSON keys.
"""
import base64
import gzip
import hashlib
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def quoted(token):
    return '"' + "".join(c if 0x20 <= ord(c) < 0x7f and c not in '"\\' else "\\x%02x" % ord(c) for c in token) + '"'


def yaml_tokens(files):
    tokens = set()
    for f in files:
        text = f.read_text(errors="replace")
        tokens.update(m + ":" for m in re.findall(r"^[\s-]*([A-Za-z][A-Za-z0-9-]*):", text, re.M))
        tokens.update(re.findall(r"(?:action|kind|defense|mode|location|payload|token|type):\s*([a-z][a-z0-9-]+)", text))
    return tokens


def placeholder_values():
    tarball = gzip.compress(b"fuzz tarball\n", mtime=0)
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    return {
        "HOST": "127.0.0.1:4873", "TOKEN": "npm_" + "A1b2C3d4E5" * 3 + "f6G7h8", "READONLY_TOKEN": "npm_" + "R" * 36,
        "EXPIRED_TOKEN": "npm_" + "E" * 36, "REVOKED_TOKEN": "npm_" + "V" * 36, "FORGED_TOKEN": "npm_" + "F" * 36,
        "TOKEN_TRUNCATED": "npm_" + "A" * 32, "TOKEN_FLIPPED": "npm_" + "B" * 36, "CAROL_TOKEN": "npm_" + "C" * 36,
        "OTP": "123456", "WRONG_OTP": "654321", "PACKAGE": "wshop-demo", "OTHER_PACKAGE": "wshop-bob",
        "CAROL_PACKAGE": "wshop-carol", "OTHER_REV": "2-0123456789abcdef", "TARBALL_B64": base64.b64encode(tarball).decode(),
        "TARBALL_INTEGRITY": integrity, "TARBALL_INTEGRITY_TRUNCATED": integrity[:-6],
        "TARBALL_SHASUM": hashlib.sha1(tarball).hexdigest(), "TARBALL_LENGTH": str(len(tarball)),
        "CR": "\r", "LF": "\n", "NUL": "\0", "GENERATED": "AAAA" * 16,
    }


def request_seed(path, values):
    text = path.read_text(errors="replace")
    text = re.sub(r"\{\{BYTES:([0-9a-fA-F ]+)\}\}", lambda m: bytes.fromhex(m.group(1)).decode("latin-1"), text)
    text = re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: values.get(m.group(1), m.group(0)), text)
    head, sep, body = text.partition("\n\n")
    body = body[:-1] if body.endswith("\n") else body
    text = head.replace("\n", "\r\n") + ("\r\n\r\n" + body if sep else "")
    return text.replace("{{CONTENT_LENGTH}}", str(len(body.encode("latin-1", errors="replace")))).encode("latin-1", errors="replace")


def main():
    target, folder = sys.argv[1], pathlib.Path(sys.argv[2])
    corpus = folder / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    seeds = []
    regressions = ROOT / "Tests/DrillEngineTests/Fixtures/fuzz-regressions"
    if target == "scenario":
        files = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted((ROOT / "Tests/DrillEngineTests/Fixtures").glob("*.yaml"))
        files += sorted(regressions.glob("*.yaml"))
        seeds = [(f.name, f.read_bytes()) for f in files]
        tokens = yaml_tokens(files)
    elif target == "profile":
        files = sorted((ROOT / "scenarios/profiles").glob("*.yaml")) + sorted((regressions / "profiles").glob("*.yaml"))
        seeds = [(f.name, f.read_bytes()) for f in files]
        tokens = yaml_tokens(files)
    else:
        values = placeholder_values()
        files = sorted((ROOT / "Tests/DrillServerTests/Hostile").glob("*/*.http"))
        seeds = [(f.parent.name + "-" + f.name, request_seed(f, values)) for f in files]
        seeds += [(f.name, f.read_bytes()) for f in sorted((ROOT / "Tests/DrillServerTests/FuzzRegressions").glob("*.http"))]
        tokens = {"Authorization: Bearer ", "Authorization: Basic ", "npm-otp: ", "Host: ", "Content-Type: application/json",
                  "/-/npm/v1/tokens/token/", "/-/npm/v1/user", "/-/v1/login/web/", "/-/v1/login/done/", "/-/whoami",
                  "/-/user/org.couchdb.user:", "/-/user/token/", "/-/package/", "/dist-tags/", "/access", "/collaborators",
                  "/-rev/", "/-/", ".tgz", "%2f", "%2F", "%40", "@", "%", "..", "\\u", "\\ud800", "1e309", "-0", "H4sI",
                  "\x1f\x8b\x08", "_attachments", "versions", "dist-tags", "data", "length", "integrity", "shasum"}
    for i, (name, data) in enumerate(seeds):
        (corpus / f"{i:04d}-{re.sub(r'[^A-Za-z0-9._-]', '_', name)}").write_bytes(data)
    (folder / "dictionary").write_text("".join(quoted(t) + "\n" for t in sorted(tokens)))
    print(f"{len(seeds)} seeds, {len(tokens)} dictionary tokens for {target}")


if __name__ == "__main__":
    main()
