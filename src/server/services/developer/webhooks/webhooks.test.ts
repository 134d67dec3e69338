/** The pure parts of outbound webhooks: the URL guard (SSRF), signatures, the retry schedule, error hygiene. */
import { createHmac } from "node:crypto";

import { describe, expect, it } from "vitest";

import { cleanError, nextAttemptAfter, parseRetryDelays } from "./retry";
import { newWebhookSecret, secretHintOf, signPayload } from "./signing";
import { checkWebhookTarget, checkWebhookUrl, isPrivateAddress } from "./url-guard";

describe("isPrivateAddress", () => {
  it.each([
    "127.0.0.1", "127.10.0.5", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.10", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1",
    "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:7f00:1", "64:ff9b::a9fe:a9fe", "ff02::1", "not-an-ip",
  ])("refuses %s", (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each(["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "203.0.113.10", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("allows %s", (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });
});

describe("checkWebhookUrl", () => {
  it("accepts only http(s), with no credentials in the URL", () => {
    expect(checkWebhookUrl("ftp://example.com/x", { production: false })).toBe("unsupportedScheme");
    expect(checkWebhookUrl("file:///etc/passwd", { production: false })).toBe("unsupportedScheme");
    expect(checkWebhookUrl("not a url", { production: false })).toBe("invalidUrl");
    expect(checkWebhookUrl("https://user:pw@example.com/", { production: false })).toBe("invalidUrl");
    expect(checkWebhookUrl("http://127.0.0.1:3000/hook", { production: false })).toBeNull();
  });

  it("in production: https only, and no loopback, private or internal hosts", () => {
    const production = { production: true };
    expect(checkWebhookUrl("http://example.com/hook", production)).toBe("httpsRequired");
    expect(checkWebhookUrl("https://example.com/hook", production)).toBeNull();
    for (const url of ["https://127.0.0.1/", "https://localhost/", "https://api.localhost/", "https://[::1]/", "https://10.1.2.3/", "https://169.254.169.254/latest", "https://db.internal/"]) {
      expect(checkWebhookUrl(url, production), url).toBe("privateAddress");
    }
  });

  it("in production checks every address a name resolves to", async () => {
    const resolve = async (host: string) => (host === "evil.example" ? ["93.184.216.34", "10.0.0.5"] : ["93.184.216.34"]);
    expect(await checkWebhookTarget("https://evil.example/x", { production: true, resolve })).toBe("privateAddress");
    expect(await checkWebhookTarget("https://good.example/x", { production: true, resolve })).toBeNull();
    // Outside production nothing is resolved.
    expect(await checkWebhookTarget("http://evil.example/x", { production: false, resolve })).toBeNull();
  });
});

describe("signing", () => {
  it("signs `${timestamp}.${body}` with HMAC-SHA256 keyed by the whole secret", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(secret);
    expect(secretHintOf(secret)).toBe(`${secret.slice(0, 10)}…`);
    const body = '{"id":"evt_1"}';
    expect(signPayload(secret, 1764151200, body)).toBe(`v1=${createHmac("sha256", secret).update(`1764151200.${body}`).digest("hex")}`);
    expect(signPayload(secret, 1764151201, body)).not.toBe(signPayload(secret, 1764151200, body));
  });
});

describe("retry schedule", () => {
  const delays = parseRetryDelays("60,300,1800,7200,21600,43200,86400");
  const now = new Date("2026-11-26T10:00:00Z");

  it("waits each delay in turn, at most 10 % later, and stops after the last", () => {
    expect(delays).toEqual([60, 300, 1800, 7200, 21600, 43200, 86400]);
    expect(nextAttemptAfter(1, now, delays, 0)!.getTime() - now.getTime()).toBe(60_000);
    expect(nextAttemptAfter(1, now, delays, 0.999)!.getTime() - now.getTime()).toBe(65_994);
    expect(nextAttemptAfter(2, now, delays, 0)!.getTime() - now.getTime()).toBe(300_000);
    expect(nextAttemptAfter(7, now, delays, 0)!.getTime() - now.getTime()).toBe(86_400_000);
    expect(nextAttemptAfter(8, now, delays, 0)).toBeNull();
  });

  it("keeps secrets out of recorded errors and bounds their length", () => {
    expect(cleanError("bad whsec_abcDEF123 and Authorization: Bearer xyz token=abc")).toBe("bad whsec_… and Authorization: … token=…");
    expect(cleanError('{"error":"invalid","password": "hunter2"} Bearer abc.def')).toBe('{"error":"invalid","password": "…"} Bearer …');
    expect(cleanError("HTTP 503: Service Unavailable")).toBe("HTTP 503: Service Unavailable");
    expect(cleanError("x".repeat(2000))).toHaveLength(500);
  });
});
