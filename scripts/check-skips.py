#!/usr/bin/env python3
"""Lists every skipped test of a ctest run and fails on a skip that is not allowed.

Usage: scripts/check-skips.py JUNIT_XML ALLOWLIST

JUNIT_XML is ctest's --output-junit file. A test counts as skipped when ctest marked it so
(GoogleTest's "[  SKIPPED ]" matches gtest_discover_tests' SKIP_REGULAR_EXPRESSION) or when its
output says "[  SKIPPED ]" although ctest counted it as passed. ALLOWLIST holds one ctest name a
line ('#' starts a comment). Prints each skip with the reason the test gave; exits 1 when a skip
is not on the allowlist or the JUnit file cannot be read, 0 otherwise.
"""
import sys
import xml.etree.ElementTree as ET


def allowed_names(path):
    names = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            name = line.split("#", 1)[0].strip()
            if name:
                names.add(name)
    return names


def skip_reason(output):
    """The message GoogleTest printed between "Skipped" and "[  SKIPPED ]", on one line."""
    lines = output.splitlines()
    for i, line in enumerate(lines):
        if line.endswith(": Skipped") or line.strip() == "Skipped":
            reason = []
            for rest in lines[i + 1:]:
                if rest.startswith("[  SKIPPED ]"):
                    break
                reason.append(rest.strip())
            return " ".join(r for r in reason if r) or "(no reason given)"
    return "(no reason given)"


def skipped_tests(junit):
    for case in ET.parse(junit).getroot().iter("testcase"):
        output = case.findtext("system-out") or ""
        if case.get("status") == "skipped" or case.find("skipped") is not None \
                or "[  SKIPPED ]" in output:
            yield case.get("name"), skip_reason(output)


def main():
    if len(sys.argv) != 3:
        print("usage: check-skips.py JUNIT_XML ALLOWLIST", file=sys.stderr)
        return 2
    junit, allowlist = sys.argv[1], sys.argv[2]
    try:
        skips = sorted(skipped_tests(junit))
        allowed = allowed_names(allowlist)
    except (OSError, ET.ParseError) as e:
        print(f"check-skips: expected ctest's JUnit file and the allowlist, found {e}",
              file=sys.stderr)
        return 1
    unexpected = [name for name, _ in skips if name not in allowed]
    print(f"Skipped tests: {len(skips)} ({len(unexpected)} not on {allowlist})")
    for name, reason in skips:
        mark = "allowed" if name in allowed else "NOT ALLOWED"
        print(f"  {name} [{mark}]: {reason}")
    if unexpected:
        print(f"check-skips: expected no skip outside {allowlist}, found {len(unexpected)}: "
              + ", ".join(unexpected), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
