export {
  INSTAGRAM_SANDBOX_APP_ID,
  INSTAGRAM_SANDBOX_APP_SECRET,
  createInstagramSandbox,
  type InstagramSandbox,
  type InstagramSandboxConfig,
  type InstagramSandboxFaults,
  type InstagramSandboxOptions,
  type SandboxPost,
} from "./sandbox";
export {
  SANDBOX_INSTAGRAM_ACCOUNTS,
  instagramSandboxHistory,
  type SandboxAccountDay,
  type SandboxHistoryPost,
  type SandboxInstagramAccount,
} from "./data";
