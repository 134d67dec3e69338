/**
 * The secret-leak scan of a test run: every log line (LOG_FILE) and every recorded response of the
 * unit, integration and e2e steps is searched for the run's own secrets and for the shapes of our
 * credentials. A finding names file, line and pattern, never the secret (it is masked).
 *
 * Secrets meant to be shown once (a new API key, a webhook secret, a TOTP enrolment URI, recovery
 * codes) are allowed only in a response record (one JSON object per line, `{"source":"response",
 * "path":"<procedure or route>",…}`) whose path is the one call that creates that kind of secret;
 * the same secret anywhere else (a log line, another response) is a finding.
 */
import fs from "node:fs";
import path from "node:path";

export type Pattern = { name: string; regex: RegExp; /** Procedure/route paths whose responses may show it once. */ shownOnceBy?: RegExp };

export const PATTERNS: Pattern[] = [
  { name: "api key", regex: /ssk_[A-Za-z0-9_-]{40,}/g, shownOnceBy: /^(developers\.)?apiKeys\.create$|^POST \/api\/v1\/api-keys$/ },
  { name: "access token", regex: /sst_[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g, shownOnceBy: /^auth\.login$|^POST \/api\/v1\/auth\/login$/ },
  // The UI shows a hint ("whsec_…abcd"), far shorter than a secret's 43 characters.
  { name: "webhook secret", regex: /whsec_[A-Za-z0-9_-]{32,}/g, shownOnceBy: /^webhooks\.(create|rotateSecret)$/ },
  { name: "password hash", regex: /\$(argon2(id|i|d)\$[^\s"']{20,}|2[aby]\$\d\d\$[./A-Za-z0-9]{53})/g },
  { name: "scrypt hash", regex: /scrypt[:$][A-Za-z0-9+/=$:.]{40,}/g },
  // The TOTP secret is shown once, by the enrolment call; anywhere else it is a leak.
  { name: "totp secret", regex: /otpauth:\/\/totp\/[^\s"']*secret=[A-Z2-7]{16,}/gi, shownOnceBy: /^security\.twoFactor\.beginSetup$/ },
  { name: "bearer token", regex: /Bearer\s+(?!…|\.\.\.|\[redacted\])[A-Za-z0-9._~+/-]{16,}=*/g },
  { name: "private key", regex: /-----BEGIN [A-Z ]*PRIVATE KEY-----/g },
  { name: "provider token", regex: /\b(APP_USR|TEST|sandbox)-[A-Za-z0-9]{8,}-[0-9]{6}-[A-Za-z0-9]{16,}(-[0-9]+)?\b/g },
];

export type Finding = { file: string; line: number; pattern: string; sample: string };

/** Shows the first 4 characters and the length, enough to find the value, not to use it. */
export function mask(secret: string): string {
  return `${secret.slice(0, 4)}…(${secret.length} chars)`;
}

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The run's own secrets (environment values, fixture passwords): each becomes a literal pattern. */
export function literalPatterns(secrets: Record<string, string | undefined>): Pattern[] {
  return Object.entries(secrets)
    // Short values ("1", "test") would match everywhere without being secrets.
    .filter((entry): entry is [string, string] => typeof entry[1] === "string" && entry[1].length >= 8)
    .map(([name, value]) => ({ name: `secret ${name}`, regex: new RegExp(escapeRegExp(value), "g") }));
}

function recordPath(line: string): string | null {
  if (!line.startsWith("{") || !line.includes('"source":"response"')) return null;
  try {
    const record = JSON.parse(line) as { source?: string; path?: string };
    return record.source === "response" && typeof record.path === "string" ? record.path : null;
  } catch {
    return null;
  }
}

export type ScanResult = { findings: Finding[]; lines: number; responses: number; files: number };

export function scanText(file: string, text: string, patterns: Pattern[], result: ScanResult) {
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    if (!line) return;
    result.lines++;
    const responsePath = recordPath(line);
    if (responsePath) result.responses++;
    for (const pattern of patterns) {
      for (const match of line.matchAll(pattern.regex)) {
        if (responsePath && pattern.shownOnceBy?.test(responsePath)) continue;
        result.findings.push({ file, line: index + 1, pattern: pattern.name, sample: mask(match[0]) });
      }
    }
  });
}

/** Scans every file under the given paths (directories recursively). */
export function scanPaths(paths: string[], patterns: Pattern[]): ScanResult {
  const result: ScanResult = { findings: [], lines: 0, responses: 0, files: 0 };
  const visit = (target: string) => {
    if (!fs.existsSync(target)) return;
    const stat = fs.statSync(target);
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(target)) visit(path.join(target, entry));
      return;
    }
    if (!/\.(log|jsonl|ndjson|txt)$/.test(target)) return;
    result.files++;
    scanText(target, fs.readFileSync(target, "utf8"), patterns, result);
  };
  paths.forEach(visit);
  return result;
}

export function formatFindings(result: ScanResult): string[] {
  return result.findings.map((f) => `${f.file}:${f.line}: ${f.pattern} (${f.sample})`);
}
