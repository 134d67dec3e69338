/**
 * Our failure and waiting sentences, stored in publications.last_error next to a stable
 * failure_code. Stored in Portuguese (the product's first language, and what a notification e-mail
 * or an export shows); the Publicações page translates our codes through messages
 * (publishing.failures.<code>) and shows the network's own text for the codes it sends.
 */
import type { SocialNetworkId } from "~/lib/social/networks";

export const NETWORK_NAMES: Record<SocialNetworkId, string> = { INSTAGRAM: "Instagram", TIKTOK: "TikTok", YOUTUBE: "YouTube" };

/** Codes whose sentence is ours (the page translates them); any other code carries the network's text. */
export const OWN_FAILURE_CODES = [
  "quota_wait",
  "retrying",
  "retries_exhausted",
  "needs_reconnect",
  "content_not_approved",
  "variant_missing",
  "variant_invalid",
  "media_unavailable",
  "content_deleted",
  "unconfirmed_checking",
  "unconfirmed_needs_check",
  "internal_error",
  // The account is beyond the plan's social accounts (a downgrade): retried after an upgrade.
  "plan_limit",
] as const;
export type OwnFailureCode = (typeof OWN_FAILURE_CODES)[number];

export function failureText(code: OwnFailureCode, network: SocialNetworkId, detail?: string): string {
  const name = NETWORK_NAMES[network];
  switch (code) {
    case "quota_wait":
      return network === "YOUTUBE"
        ? "Aguardando cota diária do YouTube (renova à meia-noite do horário do Pacífico). A publicação sai assim que houver cota."
        : `Aguardando cota do ${name}: a conta atingiu o limite de publicações em 24 horas. A publicação sai assim que abrir uma vaga.`;
    case "retrying":
      return `O ${name} falhou temporariamente${detail ? ` (${detail})` : ""}. Vamos tentar de novo automaticamente.`;
    case "retries_exhausted":
      return `O ${name} continuou indisponível depois de várias tentativas.${detail ? ` Último erro: ${detail}` : ""}`;
    case "needs_reconnect":
      return `Reconecte a conta do ${name}: a rede não aceita mais a autorização do aplicativo.`;
    case "content_not_approved":
      return "O conteúdo deixou de estar aprovado antes do horário de publicação. Aprove-o e tente de novo.";
    case "variant_missing":
      return `O conteúdo não tem mais uma versão para o ${name}.`;
    case "variant_invalid":
      return `A versão para o ${name} deixou de ser válida${detail ? ` (${detail})` : ""}. Corrija-a no editor e tente de novo.`;
    case "media_unavailable":
      return "Não foi possível abrir a mídia do conteúdo para enviá-la à rede.";
    case "content_deleted":
      return "O conteúdo foi excluído antes da publicação.";
    case "unconfirmed_checking":
      return `O ${name} não respondeu quando pedimos a publicação. Estamos conferindo com a rede se o post foi ao ar antes de qualquer nova tentativa.`;
    case "unconfirmed_needs_check":
      return `Não conseguimos confirmar com o ${name} se o post foi ao ar. Confira o perfil: não vamos reenviar automaticamente para não publicar duas vezes.`;
    case "internal_error":
      return "Um erro interno interrompeu a publicação antes de qualquer envio à rede. Tente de novo.";
    case "plan_limit":
      return `A conta do ${name} está acima do limite de contas de redes sociais do plano. Faça upgrade e tente de novo.`;
  }
}
