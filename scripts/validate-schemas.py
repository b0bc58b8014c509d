#!/usr/bin/env python3
"""Validate the scenario library against its JSON Schemas (draft 2020-12).

Loads every scenarios/*.yaml with scenarios/scenario.schema.json and every
scenarios/profiles/*.yaml with scenarios/profile.schema.json, prints one line per
file (and each problem under it), and exits 1 if any file fails, 2 on usage errors.

    python3 scripts/validate-schemas.py              # the whole library
    python3 scripts/validate-schemas.py FILE...      # given files (profiles/ picks the profile schema)
    python3 scripts/validate-schemas.py --self-test  # deliberately wrong files must fail

YAML is read with yaml.safe_load semantics except that timestamps stay strings:
the Swift loader reads `at: 2018-07-12T09:49:00Z` and `date: 2018-07-12` as text,
and so does this script. Needs PyYAML and jsonschema (pip install pyyaml jsonschema).
The schemas check shape; the Swift loader (exercised by the pin tests) also checks
references between ids, step order and steps that can never run.
"""

import json
import sys
import tempfile
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


class TextTimestampLoader(yaml.SafeLoader):
    """SafeLoader without the implicit timestamp resolver: dates and times stay strings."""


TextTimestampLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=TextTimestampLoader)


def validator(schema_path):
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def problems(path, check):
    """The problems of one file, as 'where: what' lines; empty when it is valid."""
    try:
        document = load_yaml(path)
    except (yaml.YAMLError, OSError, UnicodeDecodeError) as error:
        return [f"cannot read: {error}".replace("\n", " ")]
    out = []
    for error in sorted(check.iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path]):
        # For anyOf alternatives (a string or a list of them) the deepest sub-error says what is wrong.
        shown = deepest(error)
        where = "/".join(str(p) for p in shown.absolute_path) or "(top)"
        out.append(f"{where}: {shown.message}")
    return out


def deepest(error):
    """The most specific error under `error`: the leaf with the longest path into the document."""
    best = error
    for sub in error.context or []:
        candidate = deepest(sub)
        if len(candidate.absolute_path) > len(best.absolute_path):
            best = candidate
    return best


def validate(paths, scenario_check, profile_check):
    failed = 0
    for path in paths:
        is_profile = path.parent.name == "profiles"
        found = problems(path, profile_check if is_profile else scenario_check)
        label = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        kind = "profile" if is_profile else "scenario"
        if found:
            failed += 1
            print(f"FAIL {label} ({kind})")
            for line in found:
                print(f"     {line}")
        else:
            print(f"ok   {label} ({kind})")
    return failed


# Deliberately wrong documents: each must fail, for the reason named.
SELF_TEST = {
    "unknown-top-key.yaml": (
        "a misspelt top-level key",
        """id: broken
title: t
date: 2018-07-12
summary: s
world: {accounts: [{name: a}], packages: [{name: p, maintainers: [a]}]}
steps: [{id: s1, at: 2018-07-12T10:00:00Z, action: login, account: a}]
goals: [{id: g, kind: publish-malicious, packages: [p]}]
teachng: {hints: [oops]}
"""),
    "wrong-step-key.yaml": (
        "a key of another action (token on a login step) and a bad time",
        """id: broken
title: t
date: 2018-07-12
summary: s
world: {accounts: [{name: a}], packages: [{name: p, maintainers: [a]}]}
steps: [{id: s1, at: "12 July 2018", action: login, account: a, token: t1}]
goals: [{id: g, kind: publish-malicious, packages: [p]}]
"""),
    "bad-enums.yaml": (
        "values outside the enums (twoFactor, token kind, payload, goal kind) and an unknown action",
        """id: broken
title: t
date: 2018-07-12
summary: s
world:
  accounts: [{name: a, twoFactor: sms}]
  machines: [{id: m, owner: a, tokens: [{id: t1, kind: session}]}]
  packages: [{name: p, maintainers: [a]}]
steps:
  - {id: s1, at: 2018-07-12T10:00:00Z, action: publish, package: p, version: 1.0.1, using: token:t1, payload: ransomware}
  - {id: s2, at: 2018-07-12T10:05:00Z, action: steal-tokens, token: t1}
goals: [{id: g, kind: own-everything}]
"""),
    "profiles/bad-profile.yaml": (
        "a profile whose defense carries a parameter of another defense",
        """id: broken
title: t
era: 2018-7-12
defenses:
  - {id: cidr-tokens, lifetimeDays: 7}
  - {id: two-factor}
"""),
}


def self_test(scenario_check, profile_check):
    wrong = 0
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        (base / "profiles").mkdir()
        for name, (why, text) in SELF_TEST.items():
            path = base / name
            path.write_text(text, encoding="utf-8")
            print(f"-- expecting a failure: {why}")
            if validate([path], scenario_check, profile_check) == 0:
                print(f"SELF-TEST FAILED: {name} was accepted")
                wrong += 1
    print("self-test: " + ("ok, every wrong file was refused" if wrong == 0 else f"{wrong} wrong file(s) accepted"))
    return 1 if wrong else 0


def main(argv):
    scenario_check = validator(SCENARIOS / "scenario.schema.json")
    profile_check = validator(SCENARIOS / "profile.schema.json")
    if argv[1:] == ["--self-test"]:
        return self_test(scenario_check, profile_check)
    if any(a.startswith("-") for a in argv[1:]):
        print(__doc__)
        return 2
    paths = [Path(a).resolve() for a in argv[1:]] or (
        sorted(SCENARIOS.glob("*.yaml")) + sorted((SCENARIOS / "profiles").glob("*.yaml")))
    if not paths:
        print("no files to validate")
        return 2
    failed = validate(paths, scenario_check, profile_check)
    print(f"{len(paths) - failed} of {len(paths)} files valid")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
