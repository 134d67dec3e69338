import { describe, expect, it, vi } from "vitest";

vi.mock("~/env", () => ({ env: { AUTH_SECRET: "unit-secret-0123456789-0123456789-01", MEDIA_URL_TTL_SECONDS: 86_400 } }));

import { signedMediaUrl, verifyMediaSignature } from "./signed-url";

const SECRET = "test-secret-0123456789-0123456789-0123456789";
const NOW = new Date("2026-11-26T10:00:00Z");

function parts(url: string) {
  const u = new URL(url, "http://app.test");
  const [, , , , id, variant] = u.pathname.split("/");
  return { id: id!, variant: variant!, exp: u.searchParams.get("exp"), sig: u.searchParams.get("sig") };
}

describe("signed media URLs", () => {
  it("builds the documented address and verifies it before it expires", () => {
    const url = signedMediaUrl("https://app.example.com/", "media1", "file", 3600, NOW, SECRET);
    expect(url).toMatch(/^https:\/\/app\.example\.com\/api\/v1\/media\/media1\/file\?exp=\d+&sig=[A-Za-z0-9_-]{43}$/);
    const p = parts(url);
    expect(Number(p.exp)).toBeGreaterThanOrEqual(NOW.getTime() / 1000 + 3600);
    expect(verifyMediaSignature(p.id, p.variant, p.exp, p.sig, NOW, SECRET)).toBe("valid");
    expect(verifyMediaSignature(p.id, p.variant, p.exp, p.sig, new Date(NOW.getTime() + 3599_000), SECRET)).toBe("valid");
  });

  it("reports an expired URL as expired", () => {
    const p = parts(signedMediaUrl("", "media1", "thumbnail", 60, NOW, SECRET));
    const after = new Date(Number(p.exp) * 1000 + 1000);
    expect(verifyMediaSignature(p.id, p.variant, p.exp, p.sig, after, SECRET)).toBe("expired");
  });

  it("refuses a tampered expiry, signature, variant, another id or another secret", () => {
    const p = parts(signedMediaUrl("", "media1", "thumbnail", 60, NOW, SECRET));
    expect(verifyMediaSignature(p.id, p.variant, String(Number(p.exp) + 300), p.sig, NOW, SECRET)).toBe("invalid");
    const flipped = (p.sig!.startsWith("A") ? "B" : "A") + p.sig!.slice(1);
    expect(verifyMediaSignature(p.id, p.variant, p.exp, flipped, NOW, SECRET)).toBe("invalid");
    expect(verifyMediaSignature(p.id, "file", p.exp, p.sig, NOW, SECRET)).toBe("invalid");
    expect(verifyMediaSignature("media2", p.variant, p.exp, p.sig, NOW, SECRET)).toBe("invalid");
    expect(verifyMediaSignature(p.id, p.variant, p.exp, p.sig, NOW, `${SECRET}x`)).toBe("invalid");
    expect(verifyMediaSignature(p.id, p.variant, null, p.sig, NOW, SECRET)).toBe("invalid");
    expect(verifyMediaSignature(p.id, p.variant, p.exp, "short", NOW, SECRET)).toBe("invalid");
    expect(verifyMediaSignature(p.id, "original", p.exp, p.sig, NOW, SECRET)).toBe("invalid");
  });

  it("defaults to AUTH_SECRET and MEDIA_URL_TTL_SECONDS", () => {
    const p = parts(signedMediaUrl("", "m", "file", undefined, NOW));
    expect(Number(p.exp)).toBeGreaterThanOrEqual(NOW.getTime() / 1000 + 86_400);
    expect(verifyMediaSignature("m", "file", p.exp, p.sig, NOW)).toBe("valid");
    expect(verifyMediaSignature("m", "file", p.exp, p.sig, NOW, SECRET)).toBe("invalid");
  });

  it("gives the same URL for calls close together (cacheable)", () => {
    const a = signedMediaUrl("", "m", "file", 3600, new Date(NOW.getTime() + 1_000), SECRET);
    const b = signedMediaUrl("", "m", "file", 3600, new Date(NOW.getTime() + 30_000), SECRET);
    expect(a).toBe(b);
  });
});
