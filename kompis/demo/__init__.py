"""Demo data (`kompis demo`): a made-up organisation with staff, participants, matches and follow-up history.

One module per domain, each drawing from its own seeded random stream (`streams`): `organisation` (the
organisation, regions, projects and staff personas; nothing random), `participants` (with `places` and
`names`), `matches` (matches and their follow-up history). `build.create_demo` runs them in order inside one
transaction. A new capability adds its own module and calls it from `build.create_demo` after the others
with `stream(seed, "<its domain>")`, so the figures of the existing domains stay as they are (the golden test
`tests/demo/test_golden.py` checks that). No other app imports this package.
"""
