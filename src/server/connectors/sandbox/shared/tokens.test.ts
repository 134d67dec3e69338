import { describe, expect, it } from "vitest";

import { prefixedTokens } from "./tokens";

type Claims = { k: "code" | "short" | "long"; j: string; u: string; e: number };

describe("shared sandbox tokens", () => {
  const tokens = prefixedTokens<Claims, "j">({ code: "AQ", short: "IGAAS", long: "IGAAL" }, "j");

  it("stamps a fresh unique id under the sandbox's own claim name", () => {
    const a = tokens.read("secret", tokens.issue("secret", { k: "long", u: "1", e: 9 }), "long");
    const b = tokens.read("secret", tokens.issue("secret", { k: "long", u: "1", e: 9 }), "long");
    expect(a).toMatchObject({ k: "long", u: "1", e: 9 });
    expect(a?.j).toMatch(/^[0-9a-f-]{36}$/);
    expect(b?.j).not.toBe(a?.j);
  });

  it("reads a token of any of the kinds asked for, and no other", () => {
    const short = tokens.issue("secret", { k: "short", u: "7", e: 1 });
    expect(short.startsWith("IGAAS")).toBe(true);
    expect(tokens.read("secret", short, ["long", "short"])?.u).toBe("7");
    expect(tokens.read("secret", short, ["long", "code"])).toBeNull();
    expect(tokens.read("other", short, ["long", "short"])).toBeNull();
    expect(tokens.read("secret", `${short}x`, ["short"])).toBeNull();
    expect(tokens.read("secret", "IGAAS", ["short"])).toBeNull();
  });
});
