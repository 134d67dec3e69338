import { SANDBOX_TIKTOK_ACCOUNTS } from "./data";

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const SCOPE_LABELS: Record<string, string> = {
  "user.info.basic": "Ler seu nome de perfil e avatar",
  "user.info.stats": "Ler seus números de seguidores, curtidas e vídeos",
  "video.publish": "Publicar vídeos no seu perfil",
  "video.upload": "Enviar vídeos como rascunho",
  "video.list": "Ler seus vídeos públicos e as métricas deles",
};

/**
 * The sandbox's stand-in for www.tiktok.com/v2/auth/authorize/. The real page asks the creator to
 * log in first; here the creator picks one of the sandbox accounts and presses "Permitir".
 */
export function tiktokConsentPage(action: string, params: URLSearchParams): string {
  const hidden = ["client_key", "scope", "response_type", "redirect_uri", "state", "code_challenge", "code_challenge_method"]
    .map((name) => {
      const value = params.get(name);
      return value === null ? "" : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
    })
    .join("\n        ");
  const options = SANDBOX_TIKTOK_ACCOUNTS.map(
    (a, i) => `<option value="${escapeHtml(a.openId)}"${i === 0 ? " selected" : ""}>${escapeHtml(`@${a.username} (${a.displayName})`)}</option>`,
  ).join("");
  const scopes = (params.get("scope") ?? "")
    .split(",")
    .filter(Boolean)
    .map((s) => `<li>${escapeHtml(SCOPE_LABELS[s] ?? s)}</li>`)
    .join("");
  return `<!doctype html>
<html lang="pt-BR">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Autorizar Super Seller no TikTok (sandbox)</title>
    <style>
      body { font-family: system-ui, sans-serif; background: #121212; margin: 0; display: grid; place-items: center; min-height: 100vh; }
      main { background: #fff; border-radius: 12px; padding: 2rem; max-width: 28rem; }
      h1 { font-size: 1.3rem; margin-top: 0; }
      label, select { display: block; width: 100%; margin: .5rem 0 1rem; }
      .actions { display: flex; gap: .75rem; }
      button { flex: 1; padding: .7rem; border-radius: 6px; border: 0; font-size: 1rem; cursor: pointer; }
      button[value=allow] { background: #fe2c55; color: #fff; }
      button[value=deny] { background: #f1f1f2; color: #161823; }
      small { color: #666; }
    </style>
  </head>
  <body>
    <main>
      <h1>Autorizar Super Seller no TikTok (sandbox)</h1>
      <p>O aplicativo <strong>Super Seller</strong> quer:</p>
      <ul>${scopes}</ul>
      <form method="post" action="${escapeHtml(action)}">
        ${hidden}
        <label for="open_id">Conta do TikTok do sandbox</label>
        <select id="open_id" name="open_id">${options}</select>
        <div class="actions">
          <button type="submit" name="decision" value="allow">Permitir</button>
          <button type="submit" name="decision" value="deny">Negar</button>
        </div>
      </form>
      <p><small>Simulador local do TikTok: nenhum dado sai desta máquina.</small></p>
    </main>
  </body>
</html>`;
}
