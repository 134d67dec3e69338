import { describe, expect, it } from "vitest";

import { MESSAGES } from "~/i18n/messages";

const en = MESSAGES.en;
const ptBR = MESSAGES["pt-BR"];

type Tree = { [key: string]: string | Tree };

function paths(tree: Tree, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "string" ? [prefix + key] : [prefix + key, ...paths(value, `${prefix}${key}.`)],
  );
}

describe("messages", () => {
  it("pt-BR and en have exactly the same keys", () => {
    expect(paths(en as Tree).sort()).toEqual(paths(ptBR as Tree).sort());
  });

  it("no key contains a dot (next-intl reads dots as nesting)", () => {
    const dotted = (t: Tree): string[] =>
      Object.entries(t).flatMap(([k, v]) => [...(k.includes(".") ? [k] : []), ...(typeof v === "string" ? [] : dotted(v))]);
    expect([...dotted(ptBR as Tree), ...dotted(en as Tree)]).toEqual([]);
  });

  it("no message is empty", () => {
    const empty = (t: Tree, p = ""): string[] =>
      Object.entries(t).flatMap(([k, v]) => (typeof v === "string" ? (v.trim() ? [] : [p + k]) : empty(v, `${p}${k}.`)));
    expect([...empty(ptBR as Tree), ...empty(en as Tree)]).toEqual([]);
  });
});
