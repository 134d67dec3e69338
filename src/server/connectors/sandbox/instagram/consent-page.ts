import { SANDBOX_INSTAGRAM_ACCOUNTS } from "./data";

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const SCOPE_LABELS: Record<string, string> = {
  instagram_business_basic: "ver seu perfil e suas publicações",
  instagram_business_content_publish: "publicar conteúdo na sua conta",
  instagram_business_manage_comments: "ler, responder e ocultar comentários",
  instagram_business_manage_insights: "ver as métricas da conta e das publicações",
};

/**
 * The sandbox's stand-in for instagram.com's consent screen (Instagram Login). The real one asks
 * the person to log in first; here they pick one of the sandbox's professional accounts.
 */
export function instagramConsentPage(action: string, params: URLSearchParams): string {
  const hidden = ["client_id", "redirect_uri", "response_type", "scope", "state"]
    .map((name) => {
      const value = params.get(name);
      return value === null ? "" : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
    })
    .join("\n        ");
  const options = SANDBOX_INSTAGRAM_ACCOUNTS.map(
    (a, i) => `<option value="${a.id}"${i === 0 ? " selected" : ""}>${escapeHtml(`@${a.username} (${a.name})`)}</option>`,
  ).join("");
  const scopes = (params.get("scope") ?? "")
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((s) => `<li>${escapeHtml(SCOPE_LABELS[s] ?? s)}</li>`)
    .join("");
  return `<!doctype html>
<html lang="pt-BR">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Autorizar Super Seller no Instagram (sandbox)</title>
    <style>
      body { font-family: system-ui, sans-serif; background: linear-gradient(135deg, #f58529, #dd2a7b 50%, #8134af); margin: 0; display: grid; place-items: center; min-height: 100vh; }
      main { background: #fff; border-radius: 12px; padding: 2rem; max-width: 28rem; box-shadow: 0 2px 10px rgba(0,0,0,.2); }
      h1 { font-size: 1.3rem; margin-top: 0; }
      label, select { display: block; width: 100%; margin: .5rem 0 1rem; }
      .actions { display: flex; gap: .75rem; }
      button { flex: 1; padding: .7rem; border-radius: 8px; border: 0; font-size: 1rem; cursor: pointer; }
      button[value=allow] { background: #0095f6; color: #fff; }
      button[value=deny] { background: #efefef; color: #262626; }
      small { color: #666; }
    </style>
  </head>
  <body>
    <main>
      <h1>Autorizar Super Seller no Instagram (sandbox)</h1>
      <p>O aplicativo <strong>Super Seller</strong> quer:</p>
      <ul>${scopes}</ul>
      <form method="post" action="${escapeHtml(action)}">
        ${hidden}
        <label for="user_id">Conta profissional do sandbox</label>
        <select id="user_id" name="user_id">${options}</select>
        <div class="actions">
          <button type="submit" name="decision" value="allow">Permitir</button>
          <button type="submit" name="decision" value="deny">Cancelar</button>
        </div>
      </form>
      <p><small>Simulador local do Instagram: nenhum dado sai desta máquina.</small></p>
    </main>
  </body>
</html>`;
}
