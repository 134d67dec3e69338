import { escapeHtml } from "./http";

export type ConsentPage = {
  /** The page's <title>, also its heading unless `heading` is given. */
  title: string;
  heading?: string;
  /** Trusted HTML of the paragraph under the heading. */
  intro: string;
  /** The requested scopes, listed under the intro with the provider's wording. */
  scopes?: { separator: string | RegExp; labels: Record<string, string> };
  /** Authorization parameters carried from the GET into the POST, in the provider's order. */
  forward: readonly string[];
  /** The account the person picks instead of logging in; the first option is preselected. */
  account: { field: string; label: string; options: readonly { value: string; label: string }[] };
  denyLabel: string;
  /** Named in the footer: "Simulador local do <network>". */
  network: string;
  theme: {
    page: string;
    cardRadius: string;
    cardWidth?: string;
    /** Extra declaration for the card (a shadow or a border). */
    cardFrame?: string;
    buttonRadius: string;
    allow: { background: string; color: string };
    deny: { background: string; color: string };
    muted?: string;
  };
};

/**
 * A sandbox's stand-in for a provider's consent screen: the real ones ask the person to log in
 * first; here they pick one of the sandbox's accounts and press Permitir, which posts the form
 * (decision=allow|deny plus the forwarded parameters) back to `action`.
 */
export function renderConsentPage(page: ConsentPage, action: string, params: URLSearchParams): string {
  const { theme } = page;
  const hidden = page.forward
    .map((name) => {
      const value = params.get(name);
      return value === null ? "" : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
    })
    .join("\n        ");
  const options = page.account.options
    .map((o, i) => `<option value="${escapeHtml(o.value)}"${i === 0 ? " selected" : ""}>${escapeHtml(o.label)}</option>`)
    .join("");
  const scopes = page.scopes
    ? `\n      <ul>${(params.get("scope") ?? "")
        .split(page.scopes.separator)
        .filter(Boolean)
        .map((s) => `<li>${escapeHtml(page.scopes!.labels[s] ?? s)}</li>`)
        .join("")}</ul>`
    : "";
  const field = page.account.field;
  return `<!doctype html>
<html lang="pt-BR">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${page.title}</title>
    <style>
      body { font-family: system-ui, sans-serif; background: ${theme.page}; margin: 0; display: grid; place-items: center; min-height: 100vh; }
      main { background: #fff; border-radius: ${theme.cardRadius}; padding: 2rem; max-width: ${theme.cardWidth ?? "28rem"};${theme.cardFrame ? ` ${theme.cardFrame};` : ""} }
      h1 { font-size: 1.3rem; margin-top: 0; }
      label, select { display: block; width: 100%; margin: .5rem 0 1rem; }
      .actions { display: flex; gap: .75rem; }
      button { flex: 1; padding: .7rem; border-radius: ${theme.buttonRadius}; border: 0; font-size: 1rem; cursor: pointer; }
      button[value=allow] { background: ${theme.allow.background}; color: ${theme.allow.color}; }
      button[value=deny] { background: ${theme.deny.background}; color: ${theme.deny.color}; }
      small { color: ${theme.muted ?? "#666"}; }
    </style>
  </head>
  <body>
    <main>
      <h1>${page.heading ?? page.title}</h1>
      <p>${page.intro}</p>${scopes}
      <form method="post" action="${escapeHtml(action)}">
        ${hidden}
        <label for="${field}">${page.account.label}</label>
        <select id="${field}" name="${field}">${options}</select>
        <div class="actions">
          <button type="submit" name="decision" value="allow">Permitir</button>
          <button type="submit" name="decision" value="deny">${page.denyLabel}</button>
        </div>
      </form>
      <p><small>Simulador local do ${page.network}: nenhum dado sai desta máquina.</small></p>
    </main>
  </body>
</html>`;
}
