"""What the audit reports: one :class:`Finding` per claim the marts do not bear out."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    """A claim on a slide that the marts contradict (or that cannot be checked)."""

    rule: str  # n_beside_chart | superlative | direction | small_cells | value
    file: str  # the deck's file name
    slide: int  # 1-based slide number
    text: str  # the text on the slide, as written
    mart: str  # what the marts say (the value, the groups, the bounds)

    def __str__(self) -> str:
        return f"{self.file} slide {self.slide} [{self.rule}]: {self.text!r} -- marts: {self.mart}"


@dataclass
class AuditResult:
    """Every finding of one deck, and how many claims each rule checked (so a test can
    tell "nothing wrong" from "nothing looked at")."""

    file: str
    findings: list[Finding] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    def add(self, rule: str, slide, text: str, mart: str) -> None:
        self.findings.append(Finding(rule, self.file, slide.number, text, mart))

    def count(self, rule: str, n: int = 1) -> None:
        self.checked[rule] = self.checked.get(rule, 0) + n

    def of(self, rule: str) -> list[Finding]:
        return [f for f in self.findings if f.rule == rule]

    def report(self, rule: str | None = None) -> str:
        found = self.findings if rule is None else self.of(rule)
        return "\n".join(str(f) for f in found)
