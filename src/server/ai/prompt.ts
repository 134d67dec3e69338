/**
 * The prompts sent to the LLM. Portuguese, because the listings and their buyers are Brazilian; the
 * facts travel as a plain list and the model is told to use nothing else. The answer's JSON shape is
 * spelled out in the system prompt because many OpenAI-compatible servers only honour
 * `response_format: json_object` (no schema): see docs/ai.md.
 */
import type { ListingCopyRequest } from "./types";

const MARKETPLACE = { MERCADOLIVRE: "Mercado Livre", SHOPEE: "Shopee" } as const;

export function systemPrompt(request: ListingCopyRequest): string {
  const marketplace = MARKETPLACE[request.facts.provider];
  const common = [
    `Você é um especialista em anúncios do ${marketplace} no Brasil e escreve em português do Brasil.`,
    "Use somente os fatos do anúncio fornecidos. Não invente marca, modelo, medidas, números, compatibilidades, garantias nem benefícios.",
    "Não use emojis, HTML, links, e-mails nem telefones.",
  ];
  const rules =
    request.kind === "title"
      ? [
          `Escreva um novo TÍTULO com no máximo ${request.maxLength} caracteres (limite rígido da categoria).`,
          "Estrutura: tipo de produto + marca + modelo + atributos principais (ex.: cor, voltagem, tamanho, capacidade).",
          'Sem palavras promocionais ("promoção", "oferta", "desconto", "frete grátis", "grátis", "imperdível", "barato"), sem preço, sem condição do produto ("novo", "usado").',
          'Sem palavras em CAIXA ALTA (exceto siglas e marcas escritas assim nos fatos); conectores em minúsculas ("de", "com", "para").',
          "Não repita palavras. Uma única linha. O título deve ser diferente do atual.",
        ]
      : [
          `Escreva uma nova DESCRIÇÃO em texto simples com no máximo ${request.maxLength} caracteres.`,
          'Organize em seções com títulos em linhas próprias: "Características", "Especificações" (a partir dos atributos) e "Conteúdo da embalagem" somente se os fatos o informarem.',
          "Mantenha as informações verdadeiras da descrição atual. A descrição deve ser diferente da atual.",
        ];
  return [
    ...common,
    ...rules,
    'Responda APENAS com um objeto JSON: {"text": "<o novo texto>", "notes": ["<o que mudou, em poucas palavras>"]}.',
  ].join("\n");
}

/** The listing's facts as the user message. */
export function userPrompt(request: ListingCopyRequest): string {
  const { facts } = request;
  const lines = [
    `Marketplace: ${MARKETPLACE[facts.provider]}`,
    `Título atual: ${facts.title}`,
    `Categoria: ${facts.categoryName ?? facts.categoryId ?? "não informada"}`,
    `Limite de caracteres: ${request.maxLength}`,
  ];
  if (facts.gtin) lines.push(`GTIN/EAN: ${facts.gtin}`);
  lines.push(`Frete grátis: ${facts.freeShipping ? "sim" : "não"}`);
  const attributes = facts.attributes.filter((a) => a.value);
  lines.push("Atributos:", ...(attributes.length ? attributes.map((a) => `- ${a.name}: ${a.value}`) : ["- (nenhum)"]));
  lines.push("Descrição atual:", facts.description?.trim() || "(sem descrição)");
  return lines.join("\n");
}

/** The retry's message: what was wrong with the previous answer. */
export function retryPrompt(problems: string[], maxLength: number): string {
  return [
    "A resposta anterior foi recusada pelos seguintes motivos:",
    ...problems.map((p) => `- ${p}`),
    `Corrija e responda novamente apenas com o JSON {"text": ..., "notes": [...]}, com no máximo ${maxLength} caracteres em "text".`,
  ].join("\n");
}
