import { expect, test, type Page } from "@playwright/test";

import { DEMO_PASSWORD, screen, signInAsDemo } from "./helpers";

// Issue 10, item 6: HTML/script and SQL injection payloads typed into every free-text field that
// the UI renders back. A few go through the forms (sign-up, search boxes), the rest through the
// tRPC API with the signed-in page's own cookies; then every page that shows them is visited and
// must show them as plain text: nothing executes (window.__xss stays undefined, no dialog, no CSP
// violation, no injected element in the DOM), the SQL payloads are stored and shown verbatim, and
// the app keeps working afterwards.

const SPEC = "injection";
const PASSWORD = "Jabuticaba-Orvalho-Trem-2026";

const P = {
  img: `<img src=x onerror="window.__xss=1">`,
  script: `<script>window.__xss=1</script>`,
  svg: `"><svg onload=window.__xss=1>`,
  js: "javascript:window.__xss=1",
  drop: `'; DROP TABLE users; --`,
  or: `' OR '1'='1`,
  mustache: "{{7*7}}",
  template: "${7*7}",
  // Right-to-left override, Arabic, Hebrew, an emoji: long, and must not break the layout or the data.
  rtl: `\u202Eمرحبا بالعالم שלום עולם 🛒 `.repeat(6).trim(),
};

/** Watches everything that would mean a payload ran: dialogs, CSP violations, window.__xss, injected nodes. */
async function guard(page: Page) {
  const problems: string[] = [];
  page.on("dialog", (dialog) => {
    problems.push(`dialog: ${dialog.type()} ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  page.on("console", (message) => {
    const text = message.text();
    if (message.type() !== "error" || !/Content Security Policy/i.test(text)) return;
    problems.push(text);
  });
  page.on("pageerror", (error) => {
    if (/__xss/.test(String(error))) problems.push(`page error: ${String(error)}`);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return async function check(where: string) {
    const found = await page.evaluate(() => ({
      xss: (window as unknown as { __xss?: unknown }).__xss,
      // Elements a payload would create if it reached the DOM as HTML.
      injected: document.querySelectorAll('img[src="x"], [onerror], [onload], svg[onload]').length,
      scripts: Array.from(document.querySelectorAll("script")).filter((s) => s.textContent?.trim().startsWith("window.__xss")).length,
      javascriptLinks: Array.from(document.querySelectorAll("a[href]")).filter((a) => /^\s*javascript:/i.test(a.getAttribute("href") ?? "")).length,
    }));
    expect(found, where).toEqual({ xss: undefined, injected: 0, scripts: 0, javascriptLinks: 0 });
    expect(problems, where).toEqual([]);
  };
}

/** A tRPC mutation with the page's session cookie (superjson envelope), returning its data. */
async function mutate<T>(page: Page, path: string, input: unknown): Promise<T> {
  const response = await page.request.post(`/api/trpc/${path}`, { data: { json: input } });
  expect(response.ok(), `${path}: ${response.status()} ${await response.text()}`).toBe(true);
  return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
}

/**
 * The payload is on the page literally (escaped): in the rendered text, or as the value of a form
 * field (editors show titles and captions in inputs and textareas).
 */
async function shows(page: Page, text: string) {
  const squash = (value: string) => value.replace(/\s+/g, " ").trim();
  const pageText = () =>
    page.evaluate(() => {
      const fields = Array.from(document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("input, textarea")).map((field) => field.value);
      return [document.body.innerText, ...fields].join("\n");
    });
  await expect.poll(async () => squash(await pageText()), { message: `the page shows ${text}` }).toContain(squash(text));
}

test.describe.configure({ mode: "serial" });

test.describe("injection payloads in free-text fields render as text and break nothing", () => {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const person = { name: `${P.img} Ana`, email: `xss-${id}@example.com`, organization: `${P.svg} Loja ${id.slice(-4)}` };
  const secondOrganization = `${P.script} ${P.or}`;
  const campaignName = `${P.drop} ${P.mustache}`;
  const contentTitle = `${P.script} ${P.template} ${P.drop}`;
  const caption = [P.img, P.svg, P.js, P.or, P.mustache, P.template].join("\n");
  const variantCaption = `${P.svg} ${P.mustache} ${P.template}`;
  const youtubeTitle = `${P.img} ${P.or}`;
  const reviewComment = `${P.img} ${P.or}`;
  const automationName = `${P.or} ${P.img}`;
  const automationTemplate = `${P.svg} ${P.mustache} ${P.template}`;
  const apiKeyName = P.img;
  const webhookDescription = `${P.script} ${P.drop}`;
  const webhookUrl = `http://127.0.0.1:9/hook?q="><svg onload=window.__xss=1>`;
  const invitedEmail = `x'or'1'-'1-${id}@example.com`;
  let contentId = "";
  let webhookId = "";
  let invitePath = "";

  let page: Page;
  let check: (where: string) => Promise<void>;

  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    check = await guard(page);
  });
  test.afterAll(async () => {
    await page.close();
  });

  test("seed: sign up through the form with payload names, the rest through the API", async () => {
    test.setTimeout(60_000);
    await page.goto("/sign-up");
    await page.getByLabel("Seu nome").fill(person.name);
    await page.getByLabel("E-mail", { exact: true }).fill(person.email);
    await page.getByLabel(/Nome da organização/).fill(person.organization);
    await page.getByLabel("Senha", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Criar conta" }).click();
    await page.waitForURL("**/dashboard");
    await check("dashboard after sign-up");

    // Creating an organization switches to it: everything below lives in the second one.
    await mutate(page, "tenants.create", { name: secondOrganization });
    const campaign = await mutate<{ id: string }>(page, "content.campaigns.create", { name: campaignName });
    contentId = (await mutate<{ id: string }>(page, "content.create", { title: contentTitle, baseCaption: caption, campaignId: campaign.id, networks: ["INSTAGRAM", "YOUTUBE"] })).id;
    await mutate(page, "content.upsertVariant", { contentId, network: "INSTAGRAM", caption: variantCaption, hashtags: [P.mustache, "promo"] });
    await mutate(page, "content.upsertVariant", { contentId, network: "YOUTUBE", caption: P.drop, hashtags: [], title: youtubeTitle, privacy: "public" });
    await mutate(page, "content.comment", { id: contentId, body: reviewComment });
    await mutate(page, "content.create", { title: P.rtl.slice(0, 200), baseCaption: P.rtl });
    await mutate(page, "engagement.automations.create", {
      name: automationName,
      keywords: [P.script, P.mustache],
      replyTemplate: automationTemplate,
      useAi: false,
      perThreadLimit: 1,
      networks: ["INSTAGRAM"],
      enabled: false,
    });
    // Step-up protected: the sign-up just now counts as a fresh confirmation.
    await mutate(page, "apiKeys.create", { name: apiKeyName, scopes: ["listings:read"] });
    webhookId = (await mutate<{ endpoint?: { id: string }; id?: string }>(page, "webhooks.create", { url: webhookUrl, description: webhookDescription, events: ["publication.published"] }).then(
      (result) => result.endpoint?.id ?? result.id ?? "",
    ));
    invitePath = (await mutate<{ path: string }>(page, "tenants.invitations.create", { email: invitedEmail, role: "VIEWER" })).path;

    // What the schemas refuse never reaches a page: a javascript: webhook URL, an e-mail with markup.
    const badUrl = await page.request.post("/api/trpc/webhooks.create", { data: { json: { url: P.js, description: "x", events: ["publication.published"] } } });
    expect(badUrl.status()).toBe(400);
    const badEmail = await page.request.post("/api/trpc/tenants.invitations.create", { data: { json: { email: `${P.script}@example.com`, role: "VIEWER" } } });
    expect(badEmail.status()).toBe(400);
  });

  test("shell: user menu and organization switcher", async () => {
    await page.goto("/dashboard");
    const switcher = page.getByRole("button", { name: `Organização atual: ${secondOrganization}. Trocar de organização` });
    await expect(switcher).toBeVisible();
    await switcher.click();
    await shows(page, person.organization);
    await screen(page, SPEC, "01-org-switcher");
    await page.screenshot({ path: "test-results/e2e/screens/injection-org-switcher.png" });
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: `Menu da conta de ${person.name}` }).click();
    await shows(page, person.name);
    await page.keyboard.press("Escape");
    await check("shell");
  });

  test("content: list, search box (SQL payloads as search terms), detail with variants and review comments, campaigns", async () => {
    await page.goto("/social/content");
    await shows(page, contentTitle);
    await shows(page, "مرحبا بالعالم");
    await check("content list");
    const search = page.getByRole("searchbox").first();
    // The SQL payload is a plain search term: it finds the content whose title holds it, nothing else.
    await search.fill(P.drop);
    await expect(page.getByText(contentTitle).first()).toBeVisible();
    await expect(page.getByText("مرحبا بالعالم")).toHaveCount(0);
    // A tautology is not a condition: no title or caption holds this one, so nothing matches.
    await search.fill(`' OR 'x'='x`);
    await expect(page.getByText(contentTitle)).toHaveCount(0);
    await expect(page.getByText("مرحبا بالعالم")).toHaveCount(0);
    await expect(page.getByText("Nenhum conteúdo com esses filtros")).toBeVisible();
    await search.fill(P.script);
    await expect(page.getByText(contentTitle).first()).toBeVisible();
    await check("content search");
    await screen(page, SPEC, "02-content-list");

    await page.goto(`/social/content/${contentId}`);
    await shows(page, contentTitle);
    await shows(page, reviewComment);
    await shows(page, campaignName);
    // Template syntax is not evaluated anywhere: shown as typed.
    await shows(page, variantCaption);
    await shows(page, youtubeTitle);
    await check("content detail");
    await screen(page, SPEC, "03-content-detail");
    await page.screenshot({ path: "test-results/e2e/screens/injection-content-detail.png", fullPage: true });

    await page.goto("/social/campaigns");
    await shows(page, campaignName);
    await check("campaigns");
    await page.goto("/social/calendar");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await check("calendar");
  });

  test("automations, API keys, webhooks (list and detail)", async () => {
    await page.goto("/social/automations");
    await shows(page, automationName);
    await check("automations");
    await screen(page, SPEC, "04-automations");

    await page.goto("/settings/api-keys");
    await expect(page.getByRole("row").filter({ hasText: apiKeyName })).toBeVisible();
    await check("api keys");

    await page.goto("/settings/webhooks");
    await shows(page, webhookDescription);
    await shows(page, "127.0.0.1:9/hook");
    await check("webhooks");
    await screen(page, SPEC, "05-webhooks");
    await page.screenshot({ path: "test-results/e2e/screens/injection-webhooks.png", fullPage: true });
    if (webhookId) {
      await page.goto(`/settings/webhooks/${webhookId}`);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await check("webhook detail");
    }
  });

  test("members, organization settings, audit log; the tables are intact afterwards", async () => {
    await page.goto("/settings/members");
    await shows(page, person.name);
    await shows(page, invitedEmail);
    await check("members");
    await screen(page, SPEC, "06-members");
    await page.screenshot({ path: "test-results/e2e/screens/injection-members.png", fullPage: true });

    // The public invitation page shows the organization, the inviter and the e-mail to anyone with the link.
    expect(invitePath).toMatch(/^\/invite\//);
    const anonymous = await page.context().browser()!.newPage();
    try {
      const checkAnonymous = await guard(anonymous);
      await anonymous.goto(invitePath);
      await shows(anonymous, secondOrganization);
      await shows(anonymous, person.name);
      await shows(anonymous, invitedEmail);
      await checkAnonymous("public invitation page");
      await screen(anonymous, SPEC, "06b-invitation");
    } finally {
      await anonymous.close();
    }

    await page.goto("/settings/organization");
    await expect(page.getByRole("main").getByRole("textbox", { name: "Nome", exact: true })).toHaveValue(secondOrganization);
    await check("organization settings");

    await page.goto("/settings/audit");
    await shows(page, person.name);
    await check("audit");
    await screen(page, SPEC, "07-audit");

    // Nothing was dropped: a later list still loads, with everything seeded above.
    const list = await page.request.get(`/api/trpc/content.list?input=${encodeURIComponent(JSON.stringify({ json: { limit: 25 } }))}`);
    expect(list.status()).toBe(200);
    const items = ((await list.json()) as { result: { data: { json: { items: { title: string }[] } } } }).result.data.json.items;
    expect(items.map((item) => item.title)).toContain(contentTitle);
    const mine = await page.request.get("/api/trpc/tenants.mine");
    expect(mine.status()).toBe(200);
    expect(JSON.stringify(await mine.json())).toContain(JSON.stringify(secondOrganization).slice(1, -1));
    await page.goto("/dashboard");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await check("dashboard at the end");
  });
  test("platform admin: tenant-controlled names in the organization and user lists, a flag description", async () => {
    const admin = await page.context().browser()!.newPage();
    try {
      const checkAdmin = await guard(admin);
      await admin.goto("/sign-in");
      await admin.getByLabel("E-mail", { exact: true }).fill("admin@superseller.dev");
      await admin.getByLabel("Senha", { exact: true }).fill(DEMO_PASSWORD);
      await admin.getByRole("button", { name: "Entrar", exact: true }).click();
      await admin.waitForURL("**/dashboard");
      const flagDescription = `${P.svg} ${P.drop}`;
      await mutate(admin, "admin.setFlag", { key: `e2e.injection-${id}`, enabled: false, description: flagDescription });

      await admin.goto("/admin/organizations");
      await admin.getByRole("search").getByRole("searchbox").fill(`Loja ${id.slice(-4)}`);
      await admin.getByRole("search").getByRole("searchbox").press("Enter");
      await shows(admin, person.organization);
      await checkAdmin("admin organizations");
      await screen(admin, SPEC, "09-admin-organizations");

      await admin.goto("/admin/users");
      await admin.getByRole("search").getByRole("searchbox").fill(person.email);
      await admin.getByRole("search").getByRole("searchbox").press("Enter");
      await shows(admin, person.name);
      await checkAdmin("admin users");

      await admin.goto("/admin/flags");
      await shows(admin, flagDescription);
      await checkAdmin("admin flags");
    } finally {
      await admin.close();
    }
  });
});

test("demo organization: a payload reply in the inbox, SQL payloads in the listing, action and inbox search boxes", async ({ browser }) => {
  const page = await browser.newPage();
  const check = await guard(page);
  try {
    await signInAsDemo(page);
    // Read-only for the other journeys: one reply on a seeded comment, nothing else changes.
    const inbox = await page.request.get(`/api/trpc/engagement.inbox?input=${encodeURIComponent(JSON.stringify({ json: { limit: 25, status: "unanswered" } }))}`);
    expect(inbox.status()).toBe(200);
    const rows = ((await inbox.json()) as { result: { data: { json: { items: { id: string; text: string }[] } } } }).result.data.json.items;
    const comment = rows.at(-1);
    expect(comment, "the seed has unanswered comments").toBeTruthy();
    const replyText = `${P.img} ${P.drop} ${P.mustache} ${P.template}`;
    await mutate(page, "engagement.reply", { commentId: comment!.id, text: replyText });

    await page.goto("/social/inbox");
    const search = page.locator("#inbox-search");
    await search.fill(P.or);
    await expect(page.getByText(comment!.text).first()).toBeHidden();
    await check("inbox search");
    await search.fill(comment!.text.slice(0, 40));
    await page.getByRole("button").filter({ hasText: comment!.text.slice(0, 40) }).first().click();
    await shows(page, replyText);
    await check("inbox thread");
    await screen(page, SPEC, "08-inbox-reply");
    await page.screenshot({ path: "test-results/e2e/screens/injection-inbox-reply.png", fullPage: true });

    await page.goto("/seller/listings");
    const listings = page.locator("#listing-search");
    const firstRow = page.getByRole("row").nth(1);
    await expect(firstRow).toBeVisible();
    // A tautology or a DROP in the search box is a search term: no listing matches, and the table is still there.
    for (const term of [P.or, P.drop, P.script]) {
      await listings.fill(term);
      await expect(page.getByText("Nenhum anúncio com esses filtros")).toBeVisible();
      await check(`listing search ${term}`);
    }
    await listings.fill("");
    await expect(firstRow).toBeVisible();

    await page.goto("/seller/actions");
    const actionSearch = page.getByRole("search").getByRole("searchbox").first();
    await actionSearch.fill(P.or);
    await expect(page.getByText("Nenhuma ação com esses filtros")).toBeVisible();
    await check("action search");
  } finally {
    await page.close();
  }
});
