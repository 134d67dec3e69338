import { describe, expect, it } from "vitest";

import { hashRecoveryCode, matchTotpStep, newRecoveryCodes, newTotpSecret, RECOVERY_CODE_PATTERN, totpFor } from "./two-factor-totp";

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const secret = newTotpSecret();
const codeAt = (timestamp: number) => totpFor(secret, "x", "x").generate({ timestamp });
const step = (timestamp: number) => Math.floor(timestamp / 30_000);

describe("TOTP window", () => {
  it("accepts the current step and one step either side, with the step it matched", () => {
    expect(matchTotpStep(secret, codeAt(T0), T0)).toBe(step(T0));
    expect(matchTotpStep(secret, codeAt(T0 - 30_000), T0)).toBe(step(T0) - 1);
    expect(matchTotpStep(secret, codeAt(T0 + 30_000), T0)).toBe(step(T0) + 1);
  });

  it("refuses codes two steps away and malformed input", () => {
    expect(matchTotpStep(secret, codeAt(T0 - 60_000), T0)).toBeNull();
    expect(matchTotpStep(secret, codeAt(T0 + 60_000), T0)).toBeNull();
    expect(matchTotpStep(secret, "12345", T0)).toBeNull();
    expect(matchTotpStep(secret, "abcdef", T0)).toBeNull();
  });

  it("gives the same step for a replayed code, so the caller's last-step guard refuses it", () => {
    const code = codeAt(T0);
    expect(matchTotpStep(secret, code, T0)).toBe(matchTotpStep(secret, code, T0 + 10_000));
  });
});

describe("recovery codes", () => {
  it("are 10 distinct codes in the documented format, hashed case- and space-insensitively", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(RECOVERY_CODE_PATTERN);
    expect(hashRecoveryCode(` ${codes[0]!.toUpperCase()} `)).toBe(hashRecoveryCode(codes[0]!));
  });
});
