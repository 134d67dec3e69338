import { describe, expect, it } from "vitest";

import { judgeAudit } from "../../scripts/lib/audit-report";

const advisory = (severity: string, id: number) => ({ source: id, url: `https://github.com/advisories/GHSA-${id}`, title: "t", severity });

describe("judgeAudit (npm audit --omit=dev --json)", () => {
  it("gives no verdict when the advisory endpoint is unreachable", () => {
    const raw = JSON.stringify({ message: "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk", statusCode: 405 });
    expect(judgeAudit(raw, [])).toEqual({ kind: "unknown", reason: expect.stringContaining("405") });
    expect(judgeAudit("not json", []).kind).toBe("unknown");
  });

  it("is clean with only low and moderate advisories", () => {
    const raw = JSON.stringify({ vulnerabilities: { a: { name: "a", severity: "moderate", via: [advisory("moderate", 1)] } } });
    expect(judgeAudit(raw, [])).toEqual({ kind: "clean", total: 1, accepted: [] });
  });

  it("reports high and critical advisories, also through a transitive package", () => {
    const raw = JSON.stringify({
      vulnerabilities: {
        parent: { name: "parent", severity: "critical", via: ["child"] },
        child: { name: "child", severity: "critical", via: [advisory("critical", 7)] },
      },
    });
    const verdict = judgeAudit(raw, []);
    expect(verdict.kind).toBe("findings");
    if (verdict.kind === "findings") {
      expect(verdict.findings).toContain("critical: child https://github.com/advisories/GHSA-7");
      expect(verdict.findings).toContain("critical: parent https://github.com/advisories/GHSA-7");
    }
  });

  it("accepts exactly the package and advisory an exception names", () => {
    const raw = JSON.stringify({ vulnerabilities: { a: { name: "a", severity: "high", via: [advisory("high", 3), advisory("high", 4)] } } });
    const verdict = judgeAudit(raw, [{ package: "a", advisory: "https://github.com/advisories/GHSA-3", reason: "not reachable", reviewed: "2026-11-26" }]);
    expect(verdict).toEqual({ kind: "findings", findings: ["high: a https://github.com/advisories/GHSA-4"], accepted: ["a https://github.com/advisories/GHSA-3"] });
  });
});
