import { renderConsentPage, type ConsentPage } from "../shared/consent-page";
import { SANDBOX_TIKTOK_ACCOUNTS } from "./data";

/**
 * The sandbox's stand-in for www.tiktok.com/v2/auth/authorize/. The real page asks the creator to
 * log in first; here the creator picks one of the sandbox accounts and presses "Permitir".
 */
const PAGE: ConsentPage = {
  title: "Autorizar Super Seller no TikTok (sandbox)",
  intro: "O aplicativo <strong>Super Seller</strong> quer:",
  scopes: {
    separator: ",",
    labels: {
      "user.info.basic": "Ler seu nome de perfil e avatar",
      "user.info.stats": "Ler seus números de seguidores, curtidas e vídeos",
      "video.publish": "Publicar vídeos no seu perfil",
      "video.upload": "Enviar vídeos como rascunho",
      "video.list": "Ler seus vídeos públicos e as métricas deles",
    },
  },
  forward: ["client_key", "scope", "response_type", "redirect_uri", "state", "code_challenge", "code_challenge_method"],
  account: {
    field: "open_id",
    label: "Conta do TikTok do sandbox",
    options: SANDBOX_TIKTOK_ACCOUNTS.map((a) => ({ value: a.openId, label: `@${a.username} (${a.displayName})` })),
  },
  denyLabel: "Negar",
  network: "TikTok",
  theme: {
    page: "#121212",
    cardRadius: "12px",
    buttonRadius: "6px",
    allow: { background: "#fe2c55", color: "#fff" },
    deny: { background: "#f1f1f2", color: "#161823" },
  },
};

export function tiktokConsentPage(action: string, params: URLSearchParams): string {
  return renderConsentPage(PAGE, action, params);
}
