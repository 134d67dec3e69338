/**
 * Every action type's preview and editor render in both languages without a missing message or
 * an ICU formatting error (a payload field a sentence needs that the payload does not carry), and
 * every reason code renders with the payload of its type.
 */
import { NextIntlClientProvider } from "next-intl";
import { createElement, type ComponentProps, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import en from "../../../messages/en.json";
import pt from "../../../messages/pt-BR.json";
import { PayloadEditor, PayloadPreview, needsInput, type ActionTypeName, type Payload } from "./action-payload";
import { useReasonText } from "./action-card";

const PAYLOADS: Record<ActionTypeName, Payload> = {
  REWRITE_TITLE: { title: "Fone Bluetooth Acme X200 Preto", previousTitle: "fone", maxLength: 60, generator: "local", notes: ["marca", "modelo"] },
  REWRITE_DESCRIPTION: { description: "Fone sem fio com estojo de carga e garantia de 12 meses.", previousDescription: null, generator: "ai", notes: [] },
  COMPLETE_ATTRIBUTES: { attributes: [{ id: "BRAND", name: "Marca", value: "Acme" }, { id: "GTIN", name: "Código universal", value: null }] },
  ADD_PHOTOS: { currentCount: 1, targetCount: 5, pictureUrls: ["https://img.example.com/1.jpg"] },
  ADJUST_PRICE: { fromCents: 15990, toCents: 13990, referenceCents: 13500 },
  ENABLE_FREE_SHIPPING: {},
  RESTOCK_ALERT: { currentStock: 2, daysOfCover: null, suggestedStock: 30 },
  PAUSE_LISTING: { daysWithoutSales: 60, visits30d: 140 },
};

/** Which payload each reason code is written for (src/server/services/actions/engine.ts). */
const REASON_TYPE: Record<string, ActionTypeName> = {
  title_too_short: "REWRITE_TITLE",
  title_too_long: "REWRITE_TITLE",
  title_missing_key_attributes: "REWRITE_TITLE",
  title_marketplace_rule: "REWRITE_TITLE",
  description_missing: "REWRITE_DESCRIPTION",
  description_too_short: "REWRITE_DESCRIPTION",
  gtin_missing: "COMPLETE_ATTRIBUTES",
  attributes_missing: "COMPLETE_ATTRIBUTES",
  few_photos: "ADD_PHOTOS",
  poor_quality_photos: "ADD_PHOTOS",
  photos_marketplace_rule: "ADD_PHOTOS",
  price_above_reference: "ADJUST_PRICE",
  price_marketplace_rule: "ADJUST_PRICE",
  free_shipping_off: "ENABLE_FREE_SHIPPING",
  low_days_of_cover: "RESTOCK_ALERT",
  out_of_stock_with_sales: "RESTOCK_ALERT",
  dead_listing: "PAUSE_LISTING",
};

function render(locale: "pt-BR" | "en", children: ReactNode) {
  const errors: string[] = [];
  type ProviderProps = ComponentProps<typeof NextIntlClientProvider>;
  const config: Omit<ProviderProps, "children"> = { locale, messages: locale === "en" ? en : pt, timeZone: "America/Sao_Paulo", onError: (e: Error) => errors.push(e.message) };
  const html = renderToStaticMarkup(createElement(NextIntlClientProvider, config as ProviderProps, children));
  return { html, errors };
}

function Reason({ code, payload }: { code: string; payload: Payload }) {
  return createElement("p", null, useReasonText()(code, payload));
}

describe.each(["pt-BR", "en"] as const)("%s", (locale) => {
  it.each(Object.keys(PAYLOADS) as ActionTypeName[])("previews and edits %s", (type) => {
    const preview = render(locale, createElement(PayloadPreview, { type, payload: PAYLOADS[type] }));
    expect(preview.errors).toEqual([]);
    const editor = render(locale, createElement(PayloadEditor, { id: "t", type, payload: PAYLOADS[type], onChange: () => undefined }));
    expect(editor.errors).toEqual([]);
  });

  it("shows prices in reais and the title's character count against its limit", () => {
    const { html } = render(locale, createElement(PayloadPreview, { type: "ADJUST_PRICE", payload: PAYLOADS.ADJUST_PRICE }));
    expect(html).toMatch(/R\$\s?159[.,]90/);
    expect(html).toMatch(/R\$\s?139[.,]90/);
    const editor = render(locale, createElement(PayloadEditor, { id: "t", type: "REWRITE_TITLE", payload: PAYLOADS.REWRITE_TITLE, onChange: () => undefined }));
    expect(editor.html).toContain(`${String(PAYLOADS.REWRITE_TITLE.title).length}/60`);
  });

  it("renders every reason code with its type's payload (and the code itself when unknown)", () => {
    const messages = (locale === "en" ? en : pt) as { actionReasons: Record<string, string> };
    for (const code of Object.keys(messages.actionReasons)) {
      const type = REASON_TYPE[code];
      expect(type, `reason ${code} has no payload type in this test`).toBeDefined();
      const { html, errors } = render(locale, createElement(Reason, { code, payload: PAYLOADS[type!] }));
      expect(errors, code).toEqual([]);
      expect(html).not.toContain(code);
    }
    expect(render(locale, createElement(Reason, { code: "some_new_code", payload: {} })).html).toContain("some_new_code");
  });
});

describe("needsInput", () => {
  it("asks the seller for photo URLs and attribute values before approving", () => {
    expect(needsInput("ADD_PHOTOS", { ...PAYLOADS.ADD_PHOTOS, pictureUrls: [] })).toBe(true);
    expect(needsInput("ADD_PHOTOS", PAYLOADS.ADD_PHOTOS)).toBe(false);
    expect(needsInput("COMPLETE_ATTRIBUTES", PAYLOADS.COMPLETE_ATTRIBUTES)).toBe(true);
    expect(needsInput("REWRITE_TITLE", PAYLOADS.REWRITE_TITLE)).toBe(false);
  });
});
