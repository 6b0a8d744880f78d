"""Accessibility checks for the browser tests: axe-core (the copy bundled with axe-playwright-python), and a
check that nothing makes the page scroll sideways."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

#: axe-core impacts that fail a test ("minor" and "moderate" are printed by nobody)
FAILING_IMPACTS = ("serious", "critical")


@cache
def axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    targets: tuple[str, ...]
    help: str
    url: str

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}): {', '.join(self.targets)} — {self.help} <{self.url}>"


def axe_violations(page: Any, impacts: tuple[str, ...] = FAILING_IMPACTS) -> list[Violation]:
    """Run axe-core on the page as it is now; one Violation per offending element of the given impacts."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    found = []
    for rule in results["violations"]:
        for node in rule["nodes"]:
            impact = node.get("impact") or rule.get("impact") or ""
            if impact not in impacts:
                continue
            targets = tuple(" ".join(t) if isinstance(t, list) else str(t) for t in node["target"])
            found.append(Violation(rule["id"], impact, targets, rule["help"], rule["helpUrl"]))
    return found


# The elements that stick out of the viewport (so the page scrolls sideways), innermost first; an element
# inside a box that scrolls or clips by itself does not count.
_OVERFLOW_JS = """
() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= window.innerWidth) return [];
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  // only the side a page can scroll to counts: the end side (right in LTR, left in RTL)
  const rtl = getComputedStyle(document.documentElement).direction === 'rtl';
  const sticksOut = (r) => (rtl ? r.left < -1 : r.right > width + 1);
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || !sticksOut(r) || clipped(el)) continue;
    if ([...el.children].some((c) => sticksOut(c.getBoundingClientRect()))) continue;
    let path = name(el);
    for (let p = el.parentElement, i = 0; p && p !== document.body && i < 3; p = p.parentElement, i++) path = name(p) + ' > ' + path;
    out.push(`${path} [${Math.round(r.left)}..${Math.round(r.right)}]`);
    if (out.length >= 5) break;
  }
  return out.length ? out : ['(the page is wider than the window)'];
}
"""


def sideways_overflow(page: Any) -> list[str]:
    """Empty when the page fits its window (document.documentElement.scrollWidth <= innerWidth); else what
    sticks out."""
    return list(page.evaluate(_OVERFLOW_JS))
