import { describe, expect, it } from "vitest";

import { BodyTooLargeError, jsonError, readBodyWithLimit } from "./http";
import { correlationIdFrom, clientIpFrom } from "./request-meta";
import { slugify } from "./slug";

function streamingRequest(bytes: number, declared?: number) {
  const chunk = new Uint8Array(1024);
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  const headers = declared === undefined ? undefined : { "content-length": String(declared) };
  return new Request("http://x/api", { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

describe("readBodyWithLimit", () => {
  it("reads a body within the limit", async () => {
    const body = await readBodyWithLimit(new Request("http://x", { method: "POST", body: "hello" }), 10);
    expect(new TextDecoder().decode(body)).toBe("hello");
  });

  it("refuses a declared oversized body before reading it", async () => {
    await expect(readBodyWithLimit(streamingRequest(0, 5_000_000), 1024)).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it("refuses an oversized body whose length was not declared", async () => {
    await expect(readBodyWithLimit(streamingRequest(64 * 1024), 8 * 1024)).rejects.toBeInstanceOf(BodyTooLargeError);
  });
});

describe("request metadata", () => {
  it("keeps a well-formed correlation id and replaces a hostile one", () => {
    expect(correlationIdFrom(new Headers({ "x-correlation-id": "abc-123-def" }))).toBe("abc-123-def");
    const replaced = correlationIdFrom(new Headers({ "x-correlation-id": "<script>alert(1)</script>" }));
    expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("takes the address our own proxy added, ignoring what a client prepended", () => {
    const headers = new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.5" });
    expect(clientIpFrom(headers, 1)).toBe("203.0.113.5");
    expect(clientIpFrom(new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.5, 10.0.0.1" }), 2)).toBe("203.0.113.5");
    expect(clientIpFrom(new Headers({ "x-forwarded-for": "203.0.113.5" }), 3)).toBe("203.0.113.5");
    expect(clientIpFrom(new Headers(), 1)).toBe("unknown");
  });

  it("reads an IPv4 client seen through an IPv6 socket as the IPv4 address; real IPv6 stays", () => {
    expect(clientIpFrom(new Headers({ "x-forwarded-for": "::ffff:127.0.0.1" }), 1)).toBe("127.0.0.1");
    expect(clientIpFrom(new Headers({ "x-forwarded-for": "2001:db8::1" }), 1)).toBe("2001:db8::1");
  });

  it("formats uniform JSON errors", async () => {
    const response = jsonError("NOT_FOUND", "nope", { correlationId: "corr-12345" });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ data: null, errors: [{ code: "NOT_FOUND", message: "nope" }], meta: { correlationId: "corr-12345" } });
  });
});

describe("slugify", () => {
  it("folds accents and punctuation", () => {
    expect(slugify("Loja da Conceição & Cia!")).toBe("loja-da-conceicao-cia");
    expect(slugify("!!!")).toBe("org");
  });
});
