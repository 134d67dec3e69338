import { describe, expect, it } from "vitest";

import { parseStripeForm } from "./form";

describe("parseStripeForm", () => {
  it("nests bracketed keys, turns indexes into arrays and appends empty indexes", () => {
    const body = new URLSearchParams([
      ["mode", "subscription"],
      ["line_items[0][price]", "price_1"],
      ["line_items[0][quantity]", "1"],
      ["line_items[1][price]", "price_2"],
      ["metadata[organizationId]", "org_1"],
      ["subscription_data[metadata][planCode]", "pro"],
      ["expand[]", "customer"],
      ["expand[]", "subscription"],
    ]).toString();
    expect(parseStripeForm(body)).toEqual({
      mode: "subscription",
      line_items: [{ price: "price_1", quantity: "1" }, { price: "price_2" }],
      metadata: { organizationId: "org_1" },
      subscription_data: { metadata: { planCode: "pro" } },
      expand: ["customer", "subscription"],
    });
  });

  it("keeps indexes in numeric order (10 after 9)", () => {
    const pairs = Array.from({ length: 11 }, (_, i) => [`items[${i}][price]`, `p${i}`]);
    const parsed = parseStripeForm(new URLSearchParams(pairs).toString()) as { items: { price: string }[] };
    expect(parsed.items.map((i) => i.price)).toEqual(pairs.map((p) => p[1]));
  });
});
