export {
  TIKTOK_SANDBOX_CLIENT_KEY,
  TIKTOK_SANDBOX_CLIENT_SECRET,
  createTikTokSandbox,
  type SandboxTikTokPost,
  type TikTokSandbox,
  type TikTokSandboxFaults,
  type TikTokSandboxOptions,
} from "./sandbox";
export {
  SANDBOX_TIKTOK_ACCOUNTS,
  tiktokSandboxHistory,
  type SandboxTikTokAccount,
  type TikTokHistory,
  type TikTokHistoryDay,
  type TikTokHistoryPost,
} from "./data";
export { syntheticMp4 } from "./mp4";
