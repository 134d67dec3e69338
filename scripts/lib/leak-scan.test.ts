import { describe, expect, it } from "vitest";

import { formatFindings, literalPatterns, mask, PATTERNS, type ScanResult, scanText } from "./leak-scan";

const API_KEY = `ssk_${"A1b2".repeat(11)}`;
const WEBHOOK_SECRET = `whsec_${"Zz9_".repeat(11)}`;

function scan(text: string, extra: Record<string, string> = {}) {
  const result: ScanResult = { findings: [], lines: 0, responses: 0, files: 1 };
  scanText("run.log", text, [...PATTERNS, ...literalPatterns(extra)], result);
  return result;
}

const response = (path: string, body: unknown) => JSON.stringify({ source: "response", path, body });

describe("leak scan", () => {
  it("finds each credential shape in a log line, with file, line and a masked sample", () => {
    const text = [
      "nothing here",
      `{"msg":"created","key":"${API_KEY}"}`,
      `authorization: Bearer abcdefghijklmnop1234`,
      `hash $2b$10$${"a".repeat(53)}`,
      "-----BEGIN RSA PRIVATE KEY-----",
      `otpauth://totp/Super%20Seller:a?secret=JBSWY3DPEHPK3PXPJBSWY3DP&issuer=x`,
      `webhook ${WEBHOOK_SECRET}`,
      `token sst_${"p".repeat(30)}.${"s".repeat(43)}`,
    ].join("\n");
    const result = scan(text);
    expect(result.findings.map((f) => [f.line, f.pattern])).toEqual([
      [2, "api key"],
      [3, "bearer token"],
      [4, "password hash"],
      [5, "private key"],
      [6, "totp secret"],
      [7, "webhook secret"],
      [8, "access token"],
    ]);
    expect(formatFindings(result).join("\n")).not.toContain(API_KEY);
    expect(mask(API_KEY)).toBe("ssk_…(48 chars)");
  });

  it("finds the run's own secrets literally, ignoring values too short to mean anything", () => {
    const result = scan("AUTH_SECRET=test-only-auth-secret-0123 and 1", { AUTH_SECRET: "test-only-auth-secret-0123", FLAG: "1" });
    expect(result.findings.map((f) => f.pattern)).toEqual(["secret AUTH_SECRET"]);
  });

  it("allows a shown-once secret only in the response of the call that creates it", () => {
    expect(scan(response("apiKeys.create", { key: API_KEY })).findings).toEqual([]);
    expect(scan(response("webhooks.rotateSecret", { secret: WEBHOOK_SECRET })).findings).toEqual([]);
    // The same secret in another response, in a log line, or a response that only claims the path in its body.
    expect(scan(response("apiKeys.list", { key: API_KEY })).findings).toHaveLength(1);
    expect(scan(`{"msg":"x","path":"apiKeys.create","key":"${API_KEY}"}`).findings).toHaveLength(1);
    expect(scan(response("webhooks.list", { note: "apiKeys.create", secret: WEBHOOK_SECRET })).findings).toHaveLength(1);
    // A secret the creating call must never return (a password hash) is a finding even there.
    expect(scan(response("apiKeys.create", { hash: `$2b$10$${"a".repeat(53)}` })).findings).toHaveLength(1);
  });

  it("does not take the UI's hints or redactions for secrets", () => {
    const text = ['{"secretHint":"whsec_…ab12"}', '{"prefix":"ssk_abcd1234"}', "Authorization: Bearer [redacted]", "whsec_… and Authorization: …"].join("\n");
    expect(scan(text).findings).toEqual([]);
  });

  it("counts lines and response records", () => {
    const result = scan([response("tenants.mine", []), "log line", ""].join("\n"));
    expect([result.lines, result.responses]).toEqual([2, 1]);
  });
});
