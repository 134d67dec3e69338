export {
  YOUTUBE_SANDBOX_CLIENT_ID,
  YOUTUBE_SANDBOX_CLIENT_SECRET,
  YOUTUBE_SCOPES,
  createYouTubeSandbox,
  type SandboxPost,
  type YouTubeSandbox,
  type YouTubeSandboxFaults,
  type YouTubeSandboxOptions,
} from "./sandbox";
export {
  SANDBOX_YOUTUBE_ACCOUNTS,
  youtubeSandboxHistory,
  type SandboxHistory,
  type SandboxHistoryComment,
  type SandboxHistoryDay,
  type SandboxHistoryPost,
  type SandboxYouTubeAccount,
} from "./data";
