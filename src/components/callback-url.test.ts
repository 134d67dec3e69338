import { describe, expect, it } from "vitest";

import { authHref, safeCallbackUrl } from "./callback-url";

describe("safeCallbackUrl", () => {
  it.each([
    ["/dashboard", "/dashboard"],
    ["/invite/abc123?x=1#top", "/invite/abc123?x=1#top"],
    ["/settings/members", "/settings/members"],
  ])("keeps the same-origin path %s", (input, expected) => {
    expect(safeCallbackUrl(input)).toBe(expected);
  });

  it.each([
    "https://evil.example/steal",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    " /dashboard",
    "/\tevil",
    "/sign-in?callbackUrl=/x",
    "evil.example",
    "",
    undefined,
    42,
  ])("refuses %s", (input) => {
    expect(safeCallbackUrl(input)).toBe("/dashboard");
  });

  it("keeps encoded characters encoded (a harmless same-origin path)", () => {
    expect(safeCallbackUrl("/%0d%0aSet-Cookie:x")).toBe("/%0d%0aSet-Cookie:x");
  });

  it("resolves dot segments without leaving the origin", () => {
    expect(safeCallbackUrl("/a/../../b")).toBe("/b");
  });
});

describe("authHref", () => {
  it("omits empty parameters and encodes the rest", () => {
    expect(authHref("/sign-in")).toBe("/sign-in");
    expect(authHref("/sign-up", { email: "a+b@x.com", callbackUrl: "/invite/t" })).toBe("/sign-up?email=a%2Bb%40x.com&callbackUrl=%2Finvite%2Ft");
  });
});
