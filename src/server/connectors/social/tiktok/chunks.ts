/**
 * TikTok's FILE_UPLOAD chunk rules (Content Posting API, "Media Transfer Guide"), shared by the
 * client (which plans the upload) and the sandbox (which refuses a plan or a chunk that breaks them):
 *   - a video under 5 MB goes whole: chunk_size = video_size, total_chunk_count = 1;
 *   - otherwise chunk_size is 5–64 MB and total_chunk_count = floor(video_size / chunk_size): the
 *     remainder rides on the LAST chunk, which can therefore reach (almost) 128 MB;
 *   - at most 1000 chunks, uploaded in order.
 * Client-safe and pure.
 */
export const MB = 1024 * 1024;
export const TIKTOK_MIN_CHUNK_BYTES = 5 * MB;
export const TIKTOK_MAX_CHUNK_BYTES = 64 * MB;
export const TIKTOK_MAX_CHUNKS = 1000;
/** What we ask for when free to choose: small enough to retry cheaply, big enough to stay far from 1000 chunks. */
export const TIKTOK_DEFAULT_CHUNK_BYTES = 10 * MB;

export type ChunkPlan = { videoSize: number; chunkSize: number; totalChunkCount: number };

/** The init parameters for a video of `videoSize` bytes, using chunks of about `preferredChunkSize`. */
export function planChunks(videoSize: number, preferredChunkSize = TIKTOK_DEFAULT_CHUNK_BYTES): ChunkPlan {
  if (!Number.isSafeInteger(videoSize) || videoSize <= 0) throw new RangeError(`video size must be a positive integer, got ${videoSize}`);
  let chunkSize = Math.min(TIKTOK_MAX_CHUNK_BYTES, Math.max(TIKTOK_MIN_CHUNK_BYTES, Math.trunc(preferredChunkSize)));
  // Below 5 MB, or not bigger than one chunk: one whole chunk (floor() would give 0 chunks otherwise).
  if (videoSize < TIKTOK_MIN_CHUNK_BYTES || videoSize <= chunkSize) return { videoSize, chunkSize: videoSize, totalChunkCount: 1 };
  if (Math.floor(videoSize / chunkSize) < 2) {
    // Between one and two chunks: whole when it fits one chunk (≤ 64 MB); above that TikTok wants
    // several chunks, so halve it (each half is 32–64 MB).
    if (videoSize <= TIKTOK_MAX_CHUNK_BYTES) return { videoSize, chunkSize: videoSize, totalChunkCount: 1 };
    chunkSize = Math.floor(videoSize / 2);
  }
  // Very large videos: grow the chunk so the count stays within TikTok's 1000.
  if (Math.floor(videoSize / chunkSize) > TIKTOK_MAX_CHUNKS) chunkSize = Math.ceil(videoSize / TIKTOK_MAX_CHUNKS);
  if (chunkSize > TIKTOK_MAX_CHUNK_BYTES) throw new RangeError(`a ${videoSize}-byte video cannot be cut into ${TIKTOK_MAX_CHUNKS} chunks of at most 64 MB`);
  return { videoSize, chunkSize, totalChunkCount: Math.floor(videoSize / chunkSize) };
}

/** Byte range [start, end) of chunk `index`; the last chunk runs to the end of the file. */
export function chunkRange(plan: ChunkPlan, index: number): { start: number; end: number } {
  if (!Number.isInteger(index) || index < 0 || index >= plan.totalChunkCount) throw new RangeError(`chunk ${index} is outside 0..${plan.totalChunkCount - 1}`);
  const start = index * plan.chunkSize;
  const end = index === plan.totalChunkCount - 1 ? plan.videoSize : start + plan.chunkSize;
  return { start, end };
}

/** Why TikTok would refuse this init plan, or null when it is valid. */
export function chunkPlanProblem(plan: ChunkPlan): string | null {
  const { videoSize, chunkSize, totalChunkCount } = plan;
  if (![videoSize, chunkSize, totalChunkCount].every((n) => Number.isSafeInteger(n) && n > 0)) {
    return "video_size, chunk_size and total_chunk_count must be positive integers";
  }
  if (videoSize < TIKTOK_MIN_CHUNK_BYTES) {
    return chunkSize === videoSize && totalChunkCount === 1 ? null : "a video smaller than 5 MB must be uploaded whole (chunk_size = video_size, total_chunk_count = 1)";
  }
  if (totalChunkCount === 1) {
    return chunkSize === videoSize && videoSize <= TIKTOK_MAX_CHUNK_BYTES ? null : "a single chunk must carry the whole video and be at most 64 MB";
  }
  if (chunkSize < TIKTOK_MIN_CHUNK_BYTES || chunkSize > TIKTOK_MAX_CHUNK_BYTES) return "chunk_size must be between 5 MB and 64 MB";
  if (totalChunkCount > TIKTOK_MAX_CHUNKS) return "total_chunk_count must be at most 1000";
  if (totalChunkCount !== Math.floor(videoSize / chunkSize)) return "total_chunk_count must be video_size / chunk_size rounded down";
  return null;
}
