import { beforeEach, describe, expect, it, vi } from "vitest";

// A mutable env the factory and the sandbox route read (env.js itself validates process.env).
const env: Record<string, string | undefined> = {};
vi.mock("~/env", () => ({ env }));

const { createYouTubeConnectorFromEnv } = await import("./index");
const route = await import("~/app/api/sandbox/youtube/[...path]/route");

beforeEach(() => {
  for (const key of Object.keys(env)) delete env[key];
  // ENABLE_SANDBOXES: the sandbox routes answer 404 without it (env.js turns it into true).
  Object.assign(env, { APP_URL: "http://localhost:3000", AUTH_SECRET: "unit-secret-0123456789-0123456789-01", ENABLE_SANDBOXES: "1" });
});

describe("createYouTubeConnectorFromEnv", () => {
  it("points every host at the built-in sandbox without Google credentials", () => {
    const connector = createYouTubeConnectorFromEnv();
    expect(connector.isSandbox).toBe(true);
    const url = new URL(connector.authorizationUrl({ state: "s", redirectUri: "http://localhost:3000/cb" }));
    expect(`${url.origin}${url.pathname}`).toBe("http://localhost:3000/api/sandbox/youtube/o/oauth2/v2/auth");
    expect(url.searchParams.get("client_id")).toBe("204815360927-sandbox.apps.googleusercontent.com");
  });

  it("uses Google's hosts with credentials", () => {
    Object.assign(env, { GOOGLE_CLIENT_ID: "real-id.apps.googleusercontent.com", GOOGLE_CLIENT_SECRET: "real-secret" });
    const connector = createYouTubeConnectorFromEnv();
    expect(connector.isSandbox).toBe(false);
    const url = new URL(connector.authorizationUrl({ state: "s", redirectUri: "https://app.example/cb" }));
    expect(`${url.origin}${url.pathname}`).toBe("https://accounts.google.com/o/oauth2/v2/auth");
    expect(url.searchParams.get("client_id")).toBe("real-id.apps.googleusercontent.com");
  });
});

describe("sandbox route", () => {
  const consent = "http://localhost:3000/api/sandbox/youtube/o/oauth2/v2/auth?client_id=204815360927-sandbox.apps.googleusercontent.com&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcb&response_type=code&scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fyoutube.upload";

  it("serves Google's consent page under /api/sandbox/youtube", async () => {
    const response = await route.GET(new Request(consent));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Permitir");
  });

  it("is switched off (404) when real Google credentials are configured", async () => {
    env.GOOGLE_CLIENT_ID = "real-id.apps.googleusercontent.com";
    const response = await route.GET(new Request(consent));
    expect(response.status).toBe(404);
  });
});

describe("sandbox route, end to end in-process", () => {
  it("connects and opens an upload session whose URI is under APP_URL and the mount path", async () => {
    const { createYouTubeConnector } = await import("./client");
    const handlers: Record<string, (r: Request) => Promise<Response>> = { GET: route.GET, POST: route.POST, PUT: route.PUT };
    const base = "http://localhost:3000/api/sandbox/youtube";
    const connector = createYouTubeConnector({
      apiUrl: base,
      analyticsUrl: base,
      oauthUrl: base,
      tokenUrl: base,
      clientId: "204815360927-sandbox.apps.googleusercontent.com",
      clientSecret: "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t",
      isSandbox: true,
      chunkSize: 256 * 1024,
      fetch: (input, init) => {
        const request = new Request(input, init);
        return handlers[request.method]!(request);
      },
    });
    const authUrl = new URL(connector.authorizationUrl({ state: "s", redirectUri: "http://localhost:3000/cb" }));
    const form = new URLSearchParams(authUrl.searchParams);
    form.set("decision", "allow");
    const consent = await route.POST(new Request(`${base}/o/oauth2/v2/auth`, { method: "POST", body: form }));
    const code = new URL(consent.headers.get("location")!).searchParams.get("code")!;
    const tokens = await connector.exchangeCode({ code, redirectUri: "http://localhost:3000/cb", callbackParams: {} });
    expect(tokens.accountName).toBe("Loja Demo");

    const bytes = new Uint8Array(300 * 1024);
    const media = { kind: "VIDEO" as const, mimeType: "video/mp4", sizeBytes: bytes.length, width: 1, height: 1, durationMs: 5_000, url: "", read: async (a: number, b: number) => bytes.slice(a, b) };
    const request = { caption: "Legenda", title: "Título", privacy: "unlisted", reference: "r", media: [media] };
    const credentials = { accessToken: tokens.accessToken, externalAccountId: tokens.externalAccountId };
    const opened = await connector.advancePublish(credentials, request, null);
    expect(opened.kind).toBe("next");
    const state = (opened as { state: { phase: string; data: Record<string, unknown> } }).state;
    expect(String(state.data.sessionUri)).toMatch(/^http:\/\/localhost:3000\/api\/sandbox\/youtube\/upload\/youtube\/v3\/videos\?.*upload_id=/);
    const chunk = await connector.advancePublish(credentials, request, state);
    expect(chunk).toMatchObject({ kind: "next", state: { phase: "upload", data: { offset: 256 * 1024 } } });
  });
});
