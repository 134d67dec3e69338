import { renderConsentPage, type ConsentPage } from "../shared/consent-page";
import { SANDBOX_INSTAGRAM_ACCOUNTS } from "./data";

/**
 * The sandbox's stand-in for instagram.com's consent screen (Instagram Login). The real one asks
 * the person to log in first; here they pick one of the sandbox's professional accounts.
 */
const PAGE: ConsentPage = {
  title: "Autorizar Super Seller no Instagram (sandbox)",
  intro: "O aplicativo <strong>Super Seller</strong> quer:",
  scopes: {
    separator: /[,\s]+/,
    labels: {
      instagram_business_basic: "ver seu perfil e suas publicações",
      instagram_business_content_publish: "publicar conteúdo na sua conta",
      instagram_business_manage_comments: "ler, responder e ocultar comentários",
      instagram_business_manage_insights: "ver as métricas da conta e das publicações",
    },
  },
  forward: ["client_id", "redirect_uri", "response_type", "scope", "state"],
  account: {
    field: "user_id",
    label: "Conta profissional do sandbox",
    options: SANDBOX_INSTAGRAM_ACCOUNTS.map((a) => ({ value: a.id, label: `@${a.username} (${a.name})` })),
  },
  denyLabel: "Cancelar",
  network: "Instagram",
  theme: {
    page: "linear-gradient(135deg, #f58529, #dd2a7b 50%, #8134af)",
    cardRadius: "12px",
    cardFrame: "box-shadow: 0 2px 10px rgba(0,0,0,.2)",
    buttonRadius: "8px",
    allow: { background: "#0095f6", color: "#fff" },
    deny: { background: "#efefef", color: "#262626" },
  },
};

export function instagramConsentPage(action: string, params: URLSearchParams): string {
  return renderConsentPage(PAGE, action, params);
}
