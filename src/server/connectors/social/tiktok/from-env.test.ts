import { beforeEach, describe, expect, it, vi } from "vitest";

import { syntheticMp4 } from "~/server/connectors/sandbox/tiktok/mp4";

// A mutable env the factory and the sandbox route read (env.js itself validates process.env).
const env: Record<string, string | undefined> = {};
vi.mock("~/env", () => ({ env }));

const { createTikTokConnectorFromEnv, createTikTokConnector } = await import("./index");
const route = await import("~/app/api/sandbox/tiktok/[...path]/route");

const BASE = "http://localhost:3000/api/sandbox/tiktok";

beforeEach(() => {
  for (const key of Object.keys(env)) delete env[key];
  // ENABLE_SANDBOXES: the sandbox routes answer 404 without it (env.js turns it into true).
  Object.assign(env, { APP_URL: "http://localhost:3000", AUTH_SECRET: "unit-secret-0123456789-0123456789-01", ENABLE_SANDBOXES: "1" });
});

describe("createTikTokConnectorFromEnv", () => {
  it("points every host at the built-in sandbox without TikTok credentials", () => {
    const connector = createTikTokConnectorFromEnv();
    expect(connector.isSandbox).toBe(true);
    const url = new URL(connector.authorizationUrl({ state: "s", redirectUri: "http://localhost:3000/cb" }));
    expect(`${url.origin}${url.pathname}`).toBe(`${BASE}/v2/auth/authorize/`);
    expect(url.searchParams.get("client_key")).toBe("sbawsuperseller0001");
    expect(url.searchParams.get("scope")).toBe("user.info.basic,user.info.stats,video.publish,video.upload,video.list");
  });

  it("uses TikTok's hosts with credentials", () => {
    Object.assign(env, { TIKTOK_CLIENT_KEY: "awrealkey", TIKTOK_CLIENT_SECRET: "real-secret" });
    const connector = createTikTokConnectorFromEnv();
    expect(connector.isSandbox).toBe(false);
    const url = new URL(connector.authorizationUrl({ state: "s", redirectUri: "https://app.example/cb", codeChallenge: "abc" }));
    expect(`${url.origin}${url.pathname}`).toBe("https://www.tiktok.com/v2/auth/authorize/");
    expect(url.searchParams.get("client_key")).toBe("awrealkey");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
  });
});

describe("sandbox route", () => {
  const consent = `${BASE}/v2/auth/authorize/?client_key=sbawsuperseller0001&scope=user.info.basic,video.publish&response_type=code&redirect_uri=${encodeURIComponent("http://localhost:3000/cb")}&state=s`;

  it("serves TikTok's consent page under /api/sandbox/tiktok", async () => {
    const response = await route.GET(new Request(consent));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Permitir");
  });

  it("is switched off (404) when a real client key is configured", async () => {
    env.TIKTOK_CLIENT_KEY = "awrealkey";
    const response = await route.GET(new Request(consent));
    expect(response.status).toBe(404);
  });

  it("connects and uploads through the mounted route, with the upload URL under APP_URL and the mount path", async () => {
    const handlers: Record<string, (r: Request) => Promise<Response>> = { GET: route.GET, POST: route.POST, PUT: route.PUT };
    const connector = createTikTokConnector({
      authUrl: BASE,
      apiUrl: BASE,
      businessApiUrl: BASE,
      clientKey: "sbawsuperseller0001",
      clientSecret: "sandbox-tiktok-client-secret",
      isSandbox: true,
      fetch: (input, init) => {
        const request = new Request(input, init);
        return handlers[request.method]!(request);
      },
    });
    const authUrl = new URL(connector.authorizationUrl({ state: "s", redirectUri: "http://localhost:3000/cb" }));
    const form = new URLSearchParams(authUrl.searchParams);
    form.set("decision", "allow");
    const answer = await route.POST(new Request(`${BASE}/v2/auth/authorize/`, { method: "POST", body: form }));
    const code = new URL(answer.headers.get("location")!).searchParams.get("code")!;
    const tokens = await connector.exchangeCode({ code, redirectUri: "http://localhost:3000/cb", callbackParams: {} });
    expect(tokens.accountName).toBe("Loja Demo");

    const bytes = syntheticMp4(10, 200_000);
    const media = { kind: "VIDEO" as const, mimeType: "video/mp4", sizeBytes: bytes.length, width: 1080, height: 1920, durationMs: 10_000, url: "", read: async (a: number, b: number) => new Uint8Array(bytes.subarray(a, b)) };
    const request = { caption: "Legenda", title: null, privacy: "SELF_ONLY", reference: "r", media: [media] };
    const credentials = { accessToken: tokens.accessToken, externalAccountId: tokens.externalAccountId };
    const info = await connector.advancePublish(credentials, request, null);
    if (info.kind !== "next") throw new Error(info.kind);
    const init = await connector.advancePublish(credentials, request, info.state);
    expect(init).toMatchObject({ kind: "next", state: { phase: "upload" } });
    if (init.kind !== "next") return;
    expect(String(init.state.data.uploadUrl)).toMatch(/^http:\/\/localhost:3000\/api\/sandbox\/tiktok\/video\/\?upload_id=/);
    const uploaded = await connector.advancePublish(credentials, request, init.state);
    expect(uploaded).toMatchObject({ kind: "next", state: { phase: "status" } });
  });
});
