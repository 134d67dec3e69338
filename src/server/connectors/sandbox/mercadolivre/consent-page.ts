import { SANDBOX_SELLERS } from "./items";

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/**
 * The sandbox's stand-in for auth.mercadolivre.com.br's consent screen. The real one first asks the
 * seller to log in; here the seller picks one of the sandbox accounts instead.
 */
export function consentPage(action: string, params: URLSearchParams): string {
  const hidden = ["response_type", "client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method", "scope"]
    .map((name) => {
      const value = params.get(name);
      return value === null ? "" : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
    })
    .join("\n      ");
  const options = SANDBOX_SELLERS.map(
    (s, i) => `<option value="${s.id}"${i === 0 ? " selected" : ""}>${escapeHtml(`${s.nickname} (${s.firstName} ${s.lastName})`)}</option>`,
  ).join("");
  return `<!doctype html>
<html lang="pt-BR">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Autorizar Super Seller (sandbox)</title>
    <style>
      body { font-family: system-ui, sans-serif; background: #fff159; margin: 0; display: grid; place-items: center; min-height: 100vh; }
      main { background: #fff; border-radius: 8px; padding: 2rem; max-width: 28rem; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
      h1 { font-size: 1.3rem; margin-top: 0; }
      label, select { display: block; width: 100%; margin: .5rem 0 1rem; }
      .actions { display: flex; gap: .75rem; }
      button { flex: 1; padding: .7rem; border-radius: 6px; border: 0; font-size: 1rem; cursor: pointer; }
      button[value=allow] { background: #3483fa; color: #fff; }
      button[value=deny] { background: #e3edfb; color: #3483fa; }
      small { color: #666; }
    </style>
  </head>
  <body>
    <main>
      <h1>Autorizar Super Seller (sandbox)</h1>
      <p>O aplicativo <strong>Super Seller</strong> quer acessar sua conta do Mercado Livre para ler seus anúncios,
      visitas e qualidade, e alterar preço, estoque e fotos quando você aprovar.</p>
      <form method="post" action="${escapeHtml(action)}">
      ${hidden}
        <label for="user_id">Conta de vendedor do sandbox</label>
        <select id="user_id" name="user_id">${options}</select>
        <div class="actions">
          <button type="submit" name="decision" value="allow">Permitir</button>
          <button type="submit" name="decision" value="deny">Negar</button>
        </div>
      </form>
      <p><small>Simulador local do Mercado Livre: nenhum dado sai desta máquina.</small></p>
    </main>
  </body>
</html>`;
}
