import { describe, expect, it } from "vitest";

import { checkPasswordStrength, hashPassword, verifyPassword } from "./password";

describe("password policy", () => {
  it.each([
    ["curta", "tooShort"],
    ["1234567890", "tooWeak"],
    ["password123", "tooWeak"],
    ["qwertyuiop", "tooWeak"],
    ["ç".repeat(40), "tooLong"],
  ])("refuses %s as %s", (password, problem) => {
    expect(checkPasswordStrength(password)).toBe(problem);
  });

  it("accepts a long passphrase", () => {
    expect(checkPasswordStrength("tamarindo azul 42 voando")).toBeNull();
  });

  it("treats the user's own name and e-mail as weak material", () => {
    expect(checkPasswordStrength("mariasilva2024", ["Maria Silva", "maria.silva@loja.com"])).toBe("tooWeak");
  });

  it("hashes with a salt and verifies", async () => {
    const [a, b] = await Promise.all([hashPassword("tamarindo azul 42"), hashPassword("tamarindo azul 42")]);
    expect(a).not.toBe(b);
    expect(await verifyPassword("tamarindo azul 42", a)).toBe(true);
    expect(await verifyPassword("tamarindo azul 43", a)).toBe(false);
  });
});
