// In the integration project: the page embeds the whole app router, which loads the database module (DATABASE_URL).
import { beforeAll, describe, expect, it, vi } from "vitest";

import type * as MonacoRoute from "~/app/api/panel/monaco/[...path]/route";
import type * as Render from "~/app/api/panel/_lib/render";

// The tRPC panel's page and its local Monaco files. The panel is off under NODE_ENV=test unless the
// flag says so; the modules read the environment when first imported.
vi.stubEnv("ENABLE_TRPC_PANEL", "1");

let monaco: typeof MonacoRoute.GET;
let render: typeof Render;

beforeAll(async () => {
  monaco = (await import("~/app/api/panel/monaco/[...path]/route")).GET;
  render = await import("~/app/api/panel/_lib/render");
});

function getMonaco(...path: string[]) {
  return monaco(new Request(`http://app.test/api/panel/monaco/${path.join("/")}`), { params: Promise.resolve({ path }) });
}

describe("tRPC panel page", () => {
  it("lists every router of the app and points the JSON editor at our own Monaco copy", async () => {
    const { appRouter } = await import("~/server/api/root");
    const html = await render.renderPanelPage();
    expect(html).not.toContain("cdn.jsdelivr.net");
    expect(html).toContain('"/api/panel/monaco/vs"');
    expect(html).toContain("<title>Super Seller tRPC panel</title>");
    // The parsed router is embedded in the page: each top-level router is a child there.
    const routers = Object.keys(appRouter._def.record);
    expect(routers).toEqual(expect.arrayContaining(["auth", "listings", "apiKeys", "webhooks"]));
    for (const router of routers) expect(html).toContain(`"path":["${router}"]`);
    // Every procedure made it (one whose input the panel cannot parse would be left out).
    const procedures = html.match(/"nodeType":"procedure"/g) ?? [];
    expect(procedures).toHaveLength(Object.keys(appRouter._def.procedures).length);
  });

  it("drops routers without procedures (the panel's sidebar crashes on an empty one)", async () => {
    const { createTRPCRouter, publicProcedure } = await import("~/server/api/trpc");
    const router = createTRPCRouter({
      empty: createTRPCRouter({}),
      nested: createTRPCRouter({ emptyToo: createTRPCRouter({}), ping: publicProcedure.query(() => "pong") }),
    });
    const pruned = render.withoutEmptyRouters(router)!;
    expect(Object.keys(pruned)).toEqual(["nested"]);
    expect(Object.keys(pruned.nested as object)).toEqual(["ping"]);
    expect(render.withoutEmptyRouters(createTRPCRouter({}))).toBeNull();
  });
});

describe("GET /api/panel/monaco/[...path]", () => {
  it.each([
    [["vs", "loader.js"], "text/javascript; charset=utf-8"],
    [["vs", "editor", "editor.main.css"], "text/css; charset=utf-8"],
  ])("serves %j from node_modules/monaco-editor/min", async (path, contentType) => {
    const response = await getMonaco(...path);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(contentType);
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(100);
  });

  it.each([
    [["vs", "..", "package.json"]],
    [["vs", "..", "..", "package.json"]],
    [["vs", "%2e%2e", "package.json"]],
    [["vs", ".hidden.js"]],
    [["vs", "missing-file.js"]],
    [["vs", "loader.js.map"]],
    [["vs"]],
    [["dev", "vs", "loader.js"]],
  ])("refuses %j", async (path) => {
    const response = await getMonaco(...path);
    expect(response.status).toBe(404);
  });
});
