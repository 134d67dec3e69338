import { calculatePKCECodeChallenge, generateRandomCodeVerifier } from "oauth4webapi";
import { describe, expect, it } from "vitest";

import { issueToken, pkceS256, readToken } from "./tokens";

describe("sandbox tokens", () => {
  const claims = { k: "access" as const, c: "123", u: 42, s: ["read"], e: 1_000 };

  it("round-trips signed claims and rejects tampering, another secret or another kind", () => {
    const token = issueToken("secret", claims);
    expect(token.startsWith("APP_USR-")).toBe(true);
    expect(readToken("secret", token, "access")).toMatchObject(claims);
    expect(readToken("other", token, "access")).toBeNull();
    expect(readToken("secret", token, "refresh")).toBeNull();
    const [payload, sig] = token.slice("APP_USR-".length).split(".");
    const forged = Buffer.from(JSON.stringify({ ...claims, u: 43 })).toString("base64url");
    expect(readToken("secret", `APP_USR-${forged}.${sig}`, "access")).toBeNull();
    // Change the signature's first character to a different one (a fixed "x" is a no-op 1 time in 64).
    const tamperedSig = (sig!.startsWith("x") ? "y" : "x") + sig!.slice(1);
    expect(readToken("secret", `APP_USR-${payload}.${tamperedSig}`, "access")).toBeNull();
    // A refresh token is never accepted as a code, even though both start with TG-.
    const refresh = issueToken("secret", { ...claims, k: "refresh" });
    expect(readToken("secret", refresh, "code")).toBeNull();
  });

  it("computes the RFC 7636 S256 challenge like an independent client library", async () => {
    for (let i = 0; i < 5; i++) {
      const verifier = generateRandomCodeVerifier();
      expect(pkceS256(verifier)).toBe(await calculatePKCECodeChallenge(verifier));
    }
  });
});
