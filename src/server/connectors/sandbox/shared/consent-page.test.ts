import { describe, expect, it } from "vitest";

import { renderConsentPage, type ConsentPage } from "./consent-page";

const page: ConsentPage = {
  title: "Autorizar (sandbox)",
  intro: "O aplicativo quer:",
  scopes: { separator: ",", labels: { read: "Ler seus dados" } },
  forward: ["client_id", "state", "scope"],
  account: { field: "user_id", label: "Conta", options: [{ value: "1", label: "Ana & <Bia>" }, { value: '2"', label: "Caio" }] },
  denyLabel: "Negar",
  network: "Exemplo",
  theme: { page: "#fff", cardRadius: "8px", buttonRadius: "6px", allow: { background: "#00f", color: "#fff" }, deny: { background: "#eee", color: "#000" } },
};

describe("sandbox consent page", () => {
  it("forwards only the parameters present, escaped, and lists the scopes with the provider's wording", () => {
    const html = renderConsentPage(page, "/authorize?a=1&b=2", new URLSearchParams({ state: `x"><script>`, scope: "read,other" }));
    expect(html).toContain('<form method="post" action="/authorize?a=1&amp;b=2">');
    expect(html).toContain('<input type="hidden" name="state" value="x&quot;&gt;&lt;script&gt;">');
    expect(html).not.toContain('name="client_id"');
    expect(html).toContain("<ul><li>Ler seus dados</li><li>other</li></ul>");
  });

  it("offers the accounts with the first one selected and both decisions", () => {
    const html = renderConsentPage({ ...page, scopes: undefined }, "/a", new URLSearchParams());
    expect(html).toContain('<select id="user_id" name="user_id"><option value="1" selected>Ana &amp; &lt;Bia&gt;</option><option value="2&quot;">Caio</option></select>');
    expect(html).toContain('value="allow">Permitir</button>');
    expect(html).toContain('value="deny">Negar</button>');
    expect(html).not.toContain("<ul>");
    expect(html).toContain("Simulador local do Exemplo");
  });
});
