import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Secrets at rest (provider tokens, webhook secrets): AES-256-GCM.
 * Format: `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts). The key id is derived from the
 * key itself, so ciphertexts written under an older key still decrypt while that key is listed
 * among the previous keys — rotation never loses a stored token.
 */
export type KeyRing = { current: Buffer; previous: Buffer[] };

export function parseKey(base64: string): Buffer {
  const key = Buffer.from(base64, "base64");
  if (key.length !== 32) throw new Error("Token encryption key must be 32 bytes (base64)");
  return key;
}

export function keyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("base64url").slice(0, 8);
}

export function encryptSecret(plaintext: string, ring: KeyRing): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", ring.current, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return ["v1", keyId(ring.current), iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(".");
}

export function decryptSecret(payload: string, ring: KeyRing): string {
  const [version, id, iv, tag, ciphertext] = payload.split(".");
  if (version !== "v1" || !id || !iv || !tag || ciphertext === undefined) {
    throw new Error("Unrecognised secret format");
  }
  const key = [ring.current, ...ring.previous].find((k) => keyId(k) === id);
  if (!key) throw new Error("No key available for this secret (was the key rotated away?)");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

/** The key id a ciphertext was written under (`v1.<keyId>.…`), or null if it is not ours. */
export function ciphertextKeyId(payload: string): string | null {
  const [version, id] = payload.split(".");
  return version === "v1" && id ? id : null;
}

/** Random, URL-safe token for links and keys (256 bits by default). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** Lookup hash for high-entropy tokens (invitation links, API keys); not for passwords. */
export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
