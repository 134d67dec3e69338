/**
 * The editor's working copy of a content piece and how it compares with what is saved. Inputs
 * keep what the person typed (hashtags as one text, blank titles); comparisons and saves use the
 * normalized form the server stores, so "#a #b" and "a, b" are the same hashtags.
 */
import { SOCIAL_NETWORKS, type SocialNetworkId } from "~/lib/social/networks";
import { normalizeHashtags, type VariantDraft } from "~/lib/social/validate";

export type VariantInput = { caption: string; hashtagsText: string; title: string; privacy: string };
export type EditorDraft = {
  title: string;
  campaignId: string;
  baseCaption: string;
  variants: Partial<Record<SocialNetworkId, VariantInput>>;
};

type SavedVariant = { network: SocialNetworkId; caption: string; hashtags: string[]; title: string | null; privacy: string | null };
export type SavedContent = { title: string; baseCaption: string; campaign: { id: string } | null; variants: SavedVariant[] };

export function parseHashtags(text: string): string[] {
  return normalizeHashtags(text.split(/[\s,]+/));
}

export function formatHashtags(hashtags: string[]): string {
  return hashtags.map((h) => `#${h}`).join(" ");
}

export function toDraft(saved: SavedContent): EditorDraft {
  const variants: EditorDraft["variants"] = {};
  for (const v of saved.variants) variants[v.network] = { caption: v.caption, hashtagsText: formatHashtags(v.hashtags), title: v.title ?? "", privacy: v.privacy ?? "" };
  return { title: saved.title, campaignId: saved.campaign?.id ?? "", baseCaption: saved.baseCaption, variants };
}

/** What validateVariant and upsertVariant receive for one tab. */
export function variantDraftOf(network: SocialNetworkId, input: VariantInput): VariantDraft {
  return { network, caption: input.caption, hashtags: parseHashtags(input.hashtagsText), title: input.title.trim() || null, privacy: input.privacy || null };
}

export function emptyVariant(baseCaption: string): VariantInput {
  return { caption: baseCaption, hashtagsText: "", title: "", privacy: "" };
}

export type DraftChanges = {
  content: { title?: string; baseCaption?: string; campaignId?: string | null } | null;
  upserts: VariantDraft[];
  removals: SocialNetworkId[];
};

/** What a save has to send: changed content fields, changed or new variants, removed networks. */
export function changesBetween(saved: EditorDraft, draft: EditorDraft): DraftChanges {
  const content: NonNullable<DraftChanges["content"]> = {};
  if (draft.title.trim() !== saved.title.trim()) content.title = draft.title.trim();
  if (draft.baseCaption !== saved.baseCaption) content.baseCaption = draft.baseCaption;
  if (draft.campaignId !== saved.campaignId) content.campaignId = draft.campaignId || null;
  const upserts: VariantDraft[] = [];
  const removals: SocialNetworkId[] = [];
  for (const network of SOCIAL_NETWORKS) {
    const before = saved.variants[network];
    const after = draft.variants[network];
    if (before && !after) removals.push(network);
    if (!after) continue;
    const next = variantDraftOf(network, after);
    if (!before || JSON.stringify(variantDraftOf(network, before)) !== JSON.stringify(next)) upserts.push(next);
  }
  return { content: Object.keys(content).length > 0 ? content : null, upserts, removals };
}

export function hasChanges(changes: DraftChanges): boolean {
  return changes.content !== null || changes.upserts.length > 0 || changes.removals.length > 0;
}

/** A save that changes what would be published (not only the campaign) sends an approved piece back to draft. */
export function changesText(changes: DraftChanges): boolean {
  return changes.content?.title !== undefined || changes.content?.baseCaption !== undefined || changes.upserts.length > 0 || changes.removals.length > 0;
}
