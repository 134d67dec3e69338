import { SANDBOX_YOUTUBE_ACCOUNTS } from "./data";

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const FORWARDED = [
  "client_id",
  "redirect_uri",
  "response_type",
  "scope",
  "access_type",
  "prompt",
  "include_granted_scopes",
  "state",
  "code_challenge",
  "code_challenge_method",
];

const SCOPE_TEXT: Record<string, string> = {
  "https://www.googleapis.com/auth/youtube.upload": "Enviar vídeos para o seu canal do YouTube",
  "https://www.googleapis.com/auth/youtube.force-ssl": "Ver, editar e excluir seus vídeos, comentários e legendas do YouTube",
  "https://www.googleapis.com/auth/yt-analytics.readonly": "Ver relatórios do YouTube Analytics do seu canal",
};

/**
 * The sandbox's stand-in for accounts.google.com's consent screen. The real one asks the user to
 * sign in and pick a channel; here the user picks one of the sandbox channels and approves.
 */
export function consentPage(action: string, params: URLSearchParams): string {
  const hidden = FORWARDED.map((name) => {
    const value = params.get(name);
    return value === null ? "" : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  }).join("\n        ");
  const options = SANDBOX_YOUTUBE_ACCOUNTS.map(
    (a, i) => `<option value="${a.id}"${i === 0 ? " selected" : ""}>${escapeHtml(`${a.title} (${a.handle}) — ${a.email}`)}</option>`,
  ).join("");
  const scopes = (params.get("scope") ?? "")
    .split(/\s+/)
    .filter(Boolean)
    .map((s) => `<li>${escapeHtml(SCOPE_TEXT[s] ?? s)}</li>`)
    .join("");
  return `<!doctype html>
<html lang="pt-BR">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Fazer login com o Google (sandbox do YouTube)</title>
    <style>
      body { font-family: system-ui, sans-serif; background: #f1f3f4; margin: 0; display: grid; place-items: center; min-height: 100vh; }
      main { background: #fff; border-radius: 8px; padding: 2rem; max-width: 30rem; border: 1px solid #dadce0; }
      h1 { font-size: 1.3rem; margin-top: 0; }
      label, select { display: block; width: 100%; margin: .5rem 0 1rem; }
      .actions { display: flex; gap: .75rem; }
      button { flex: 1; padding: .7rem; border-radius: 6px; border: 0; font-size: 1rem; cursor: pointer; }
      button[value=allow] { background: #1a73e8; color: #fff; }
      button[value=deny] { background: #e8f0fe; color: #1a73e8; }
      small { color: #5f6368; }
    </style>
  </head>
  <body>
    <main>
      <h1>O Super Seller quer acessar sua Conta do Google</h1>
      <p>Isso permitirá que o <strong>Super Seller</strong>:</p>
      <ul>${scopes}</ul>
      <form method="post" action="${escapeHtml(action)}">
        ${hidden}
        <label for="channel_id">Canal do YouTube do sandbox</label>
        <select id="channel_id" name="channel_id">${options}</select>
        <div class="actions">
          <button type="submit" name="decision" value="allow">Permitir</button>
          <button type="submit" name="decision" value="deny">Cancelar</button>
        </div>
      </form>
      <p><small>Simulador local do Google/YouTube: nenhum dado sai desta máquina.</small></p>
    </main>
  </body>
</html>`;
}
