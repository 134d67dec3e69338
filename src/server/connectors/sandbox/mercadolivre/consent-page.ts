import { renderConsentPage, type ConsentPage } from "../shared/consent-page";
import { SANDBOX_SELLERS } from "./items";

/**
 * The sandbox's stand-in for auth.mercadolivre.com.br's consent screen. The real one first asks the
 * seller to log in; here the seller picks one of the sandbox accounts instead.
 */
const PAGE: ConsentPage = {
  title: "Autorizar Super Seller (sandbox)",
  intro: `O aplicativo <strong>Super Seller</strong> quer acessar sua conta do Mercado Livre para ler seus anúncios,
      visitas e qualidade, e alterar preço, estoque e fotos quando você aprovar.`,
  forward: ["response_type", "client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method", "scope"],
  account: {
    field: "user_id",
    label: "Conta de vendedor do sandbox",
    options: SANDBOX_SELLERS.map((s) => ({ value: String(s.id), label: `${s.nickname} (${s.firstName} ${s.lastName})` })),
  },
  denyLabel: "Negar",
  network: "Mercado Livre",
  theme: {
    page: "#fff159",
    cardRadius: "8px",
    cardFrame: "box-shadow: 0 1px 4px rgba(0,0,0,.15)",
    buttonRadius: "6px",
    allow: { background: "#3483fa", color: "#fff" },
    deny: { background: "#e3edfb", color: "#3483fa" },
  },
};

export function consentPage(action: string, params: URLSearchParams): string {
  return renderConsentPage(PAGE, action, params);
}
