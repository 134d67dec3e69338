import { renderConsentPage, type ConsentPage } from "../shared/consent-page";
import { SANDBOX_YOUTUBE_ACCOUNTS } from "./data";

/**
 * The sandbox's stand-in for accounts.google.com's consent screen. The real one asks the user to
 * sign in and pick a channel; here the user picks one of the sandbox channels and approves.
 */
const PAGE: ConsentPage = {
  title: "Fazer login com o Google (sandbox do YouTube)",
  heading: "O Super Seller quer acessar sua Conta do Google",
  intro: "Isso permitirá que o <strong>Super Seller</strong>:",
  scopes: {
    separator: /\s+/,
    labels: {
      "https://www.googleapis.com/auth/youtube.upload": "Enviar vídeos para o seu canal do YouTube",
      "https://www.googleapis.com/auth/youtube.force-ssl": "Ver, editar e excluir seus vídeos, comentários e legendas do YouTube",
      "https://www.googleapis.com/auth/yt-analytics.readonly": "Ver relatórios do YouTube Analytics do seu canal",
    },
  },
  forward: [
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
  ],
  account: {
    field: "channel_id",
    label: "Canal do YouTube do sandbox",
    options: SANDBOX_YOUTUBE_ACCOUNTS.map((a) => ({ value: a.id, label: `${a.title} (${a.handle}) — ${a.email}` })),
  },
  denyLabel: "Cancelar",
  network: "Google/YouTube",
  theme: {
    page: "#f1f3f4",
    cardRadius: "8px",
    cardWidth: "30rem",
    cardFrame: "border: 1px solid #dadce0",
    buttonRadius: "6px",
    allow: { background: "#1a73e8", color: "#fff" },
    deny: { background: "#e8f0fe", color: "#1a73e8" },
    muted: "#5f6368",
  },
};

export function consentPage(action: string, params: URLSearchParams): string {
  return renderConsentPage(PAGE, action, params);
}
