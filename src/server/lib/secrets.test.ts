import { describe, expect, it } from "vitest";

describe("token encryption with the environment's key", () => {
  it("works with the development default (no TOKEN_ENCRYPTION_KEY set)", async () => {
    const saved = process.env.TOKEN_ENCRYPTION_KEY;
    delete process.env.TOKEN_ENCRYPTION_KEY;
    process.env.DATABASE_URL ??= "postgresql://unused@127.0.0.1:1/unused";
    try {
      const { encrypt, decrypt } = await import("./secrets");
      expect(decrypt(encrypt("APP_USR-123"))).toBe("APP_USR-123");
    } finally {
      if (saved !== undefined) process.env.TOKEN_ENCRYPTION_KEY = saved;
    }
  });
});
