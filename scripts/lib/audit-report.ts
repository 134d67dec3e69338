/**
 * Reads `npm audit --omit=dev --json` and decides: clean, findings (high/critical advisories not
 * listed as accepted exceptions in docs/security-exceptions.json), or unknown (the advisory
 * database could not be reached — an offline registry mirror answers 405 — so no verdict is given).
 */
export type AuditException = { package: string; advisory: string; reason: string; reviewed: string };

export type AuditVerdict =
  | { kind: "clean"; total: number; accepted: string[] }
  | { kind: "findings"; findings: string[]; accepted: string[] }
  | { kind: "unknown"; reason: string };

type Via = string | { source?: number; url?: string; title?: string; severity?: string };
type Vulnerability = { name: string; severity: string; via: Via[] };
type AuditJson = {
  vulnerabilities?: Record<string, Vulnerability>;
  metadata?: { vulnerabilities?: Record<string, number> };
  message?: string;
  statusCode?: number;
  error?: { summary?: string };
};

const SERIOUS = new Set(["high", "critical"]);

/** The advisory ids (GHSA URLs) behind a vulnerable package, following transitive `via` names. */
function advisoriesOf(name: string, all: Record<string, Vulnerability>, seen = new Set<string>()): string[] {
  if (seen.has(name)) return [];
  seen.add(name);
  const vulnerability = all[name];
  if (!vulnerability) return [];
  return vulnerability.via.flatMap((via) =>
    typeof via === "string" ? advisoriesOf(via, all, seen) : SERIOUS.has(via.severity ?? "") ? [via.url ?? `advisory-${via.source}`] : [],
  );
}

export function judgeAudit(raw: string, exceptions: AuditException[]): AuditVerdict {
  let report: AuditJson;
  try {
    report = JSON.parse(raw) as AuditJson;
  } catch {
    return { kind: "unknown", reason: "npm audit did not print JSON" };
  }
  if (!report.vulnerabilities) {
    const why = report.error?.summary || report.message || "no vulnerabilities section";
    return { kind: "unknown", reason: `advisory database unreachable: ${why}` };
  }
  const accepted = new Set(exceptions.map((e) => `${e.package} ${e.advisory}`));
  const findings: string[] = [];
  const used: string[] = [];
  for (const [name, vulnerability] of Object.entries(report.vulnerabilities)) {
    if (!SERIOUS.has(vulnerability.severity)) continue;
    for (const advisory of new Set(advisoriesOf(name, report.vulnerabilities))) {
      const key = `${name} ${advisory}`;
      if (accepted.has(key)) used.push(key);
      else findings.push(`${vulnerability.severity}: ${key}`);
    }
  }
  if (findings.length > 0) return { kind: "findings", findings, accepted: used };
  return { kind: "clean", total: Object.keys(report.vulnerabilities).length, accepted: used };
}
