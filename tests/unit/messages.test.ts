import { describe, expect, it } from "vitest";

import { createTranslator, type AbstractIntlMessages } from "use-intl/core";

import { MESSAGES } from "~/i18n/messages";
import { NOTIFICATION_KINDS } from "~/server/services/notifications/notify";

const en = MESSAGES.en;
const pt = MESSAGES["pt-BR"];

function keys(node: unknown, prefix = ""): string[] {
  if (typeof node !== "object" || node === null) return [prefix];
  return Object.entries(node).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe("translations", () => {
  it("have the same keys in Portuguese and English", () => {
    expect(keys(en).sort()).toEqual(keys(pt).sort());
  });

  it("have no empty strings and no dots inside keys", () => {
    for (const [name, messages] of [["pt-BR", pt], ["en", en]] as const) {
      const walk = (node: unknown, path: string) => {
        if (typeof node === "string") {
          expect(node.trim(), `${name}:${path}`).not.toBe("");
          return;
        }
        for (const [k, v] of Object.entries(node as object)) {
          expect(k.includes("."), `${name}:${path}.${k}`).toBe(false);
          walk(v, `${path}.${k}`);
        }
      };
      walk(messages, "");
    }
  });

  it("translate every reason a service can return", async () => {
    const { readFile } = await import("node:fs/promises");
    const { globby } = await import("./list-files");
    const sources = await globby("src/server");
    const reasons = new Set<string>();
    for (const file of sources) {
      const text = await readFile(file, "utf8");
      for (const match of text.matchAll(/new AppError\(\s*"[A-Z_]+",\s*[`"]([A-Za-z.]+)(?:\$\{[^}]+\})?[`"]/g)) reasons.add(match[1]!);
      for (const match of text.matchAll(/forbidden\(\s*"([A-Za-z.]+)"/g)) reasons.add(match[1]!);
    }
    const known = new Set(keys(pt.errors));
    const missing = [...reasons].filter((r) => !r.endsWith(".") && !known.has(r));
    expect(missing).toEqual([]);
    expect(reasons.size).toBeGreaterThan(5);
  });

  it("have a sentence for every notification kind in both languages", () => {
    for (const [locale, messages] of [["pt-BR", pt], ["en", en]] as const) {
      const t = createTranslator({ locale, messages, namespace: "notifications" });
      const missing = NOTIFICATION_KINDS.filter((kind) => !t.has(`kinds.${kind}` as never));
      expect(missing, locale).toEqual([]);
    }
  });

  it("announce an outage for one account or for the whole provider", () => {
    const outage = (locale: "pt-BR" | "en", params: { provider: string; account: string }) =>
      (createTranslator({ locale, messages: MESSAGES[locale] as AbstractIntlMessages }) as unknown as (key: string, values: object) => string)(
        "notifications.kinds.connection.providerUnavailable",
        params,
      );
    expect(outage("pt-BR", { provider: "SHOPEE", account: "Loja Azul" })).toMatch(/^A Shopee não está respondendo para a conta Loja Azul\. Pausamos/);
    expect(outage("pt-BR", { provider: "MERCADOLIVRE", account: "none" })).toMatch(/^O Mercado Livre não está respondendo\. Pausamos/);
    expect(outage("en", { provider: "MERCADOLIVRE", account: "none" })).toMatch(/^Mercado Livre is not responding\. Calls are paused/);
  });

  it("name every background function on the Tarefas page in both languages", async () => {
    const { functions } = await import("~/server/jobs/functions");
    const ids = functions.map((fn) => (fn as unknown as { opts: { id: string } }).opts.id);
    expect(ids.length).toBeGreaterThan(30);
    for (const [locale, messages] of [["pt-BR", pt], ["en", en]] as const) {
      const names = (messages.jobs as { functions: Record<string, string> }).functions;
      expect(ids.filter((id) => !names[id]), locale).toEqual([]);
    }
  });
});
