"""Read junit.xml the way a CI server's JUnit consumer does (junitparser) and check that every
suite's declared counts equal the cases it holds, that (classname, name) is unique, and that no
failure type is one GitLab refuses. Prints one line per problem; exit 1 if any."""
import sys
from junitparser import JUnitXml, Failure, Skipped, Error

xml = JUnitXml.fromfile(sys.argv[1])
problems = []
seen = set()
totals = {"tests": 0, "failures": 0, "skipped": 0}
for suite in xml:
    cases = list(suite)
    failures = sum(1 for c in cases for r in c.result if isinstance(r, Failure))
    skipped = sum(1 for c in cases for r in c.result if isinstance(r, Skipped))
    errors = sum(1 for c in cases for r in c.result if isinstance(r, Error))
    declared = (suite.tests, suite.failures, suite.skipped, suite.errors)
    if declared != (len(cases), failures, skipped, errors):
        problems.append(f"{suite.name}: declares {declared}, holds {(len(cases), failures, skipped, errors)}")
    for c in cases:
        key = (c.classname, c.name)
        if key in seen:
            problems.append(f"duplicate case {key}")
        seen.add(key)
        for r in c.result:
            if isinstance(r, Failure) and r.type not in ("critical", "high", "medium", "low", "info"):
                problems.append(f"failure type {r.type!r} in {key}")
    totals["tests"] += len(cases)
    totals["failures"] += failures
    totals["skipped"] += skipped
print(f"suites={len(list(xml))} tests={totals['tests']} failures={totals['failures']} skipped={totals['skipped']}")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
