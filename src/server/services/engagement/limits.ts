/**
 * How long a comment (or reply) may be on each network. Client-safe: the inbox's reply box counts
 * against it while typing, and the services refuse a longer reply before anything is queued.
 * Instagram: 2 200 characters; TikTok: 150; YouTube: 10 000.
 */
export const COMMENT_MAX_LENGTH = { INSTAGRAM: 2200, TIKTOK: 150, YOUTUBE: 10_000 } as const;

export type CommentNetwork = keyof typeof COMMENT_MAX_LENGTH;
