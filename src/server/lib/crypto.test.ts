import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";

import { decryptSecret, encryptSecret, keyId, sha256, type KeyRing } from "./crypto";

const key = () => randomBytes(32);

describe("secret encryption (AES-256-GCM)", () => {
  it("round-trips and never contains the plaintext", () => {
    const ring: KeyRing = { current: key(), previous: [] };
    const sealed = encryptSecret("APP_USR-token-123", ring);
    expect(sealed).not.toContain("APP_USR");
    expect(sealed.startsWith(`v1.${keyId(ring.current)}.`)).toBe(true);
    expect(decryptSecret(sealed, ring)).toBe("APP_USR-token-123");
  });

  it("uses a fresh IV each time", () => {
    const ring: KeyRing = { current: key(), previous: [] };
    expect(encryptSecret("same", ring)).not.toBe(encryptSecret("same", ring));
  });

  it("decrypts under a previous key after rotation, and fails once that key is dropped", () => {
    const old = key();
    const sealed = encryptSecret("refresh-token", { current: old, previous: [] });
    const rotated: KeyRing = { current: key(), previous: [old] };
    expect(decryptSecret(sealed, rotated)).toBe("refresh-token");
    expect(() => decryptSecret(sealed, { current: rotated.current, previous: [] })).toThrow(/No key/);
  });

  it("rejects tampered ciphertext", () => {
    const ring: KeyRing = { current: key(), previous: [] };
    const parts = encryptSecret("secret", ring).split(".");
    const body = Buffer.from(parts[4]!, "base64url");
    body[0] = body[0]! ^ 0xff;
    parts[4] = body.toString("base64url");
    expect(() => decryptSecret(parts.join("."), ring)).toThrow();
  });

  it("hashes tokens deterministically", () => {
    expect(sha256("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
