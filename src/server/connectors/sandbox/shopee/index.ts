export { createShopeeSandbox, SHOPEE_SANDBOX_DEFAULT_SHOPS } from "./sandbox";
export type { ShopeeFaults, ShopeePushRecord, ShopeeSandbox, ShopeeSandboxOptions } from "./sandbox";
export { SHOPEE_SANDBOX_MOUNT, SHOPEE_SANDBOX_PARTNER_ID, SHOPEE_SANDBOX_PARTNER_KEY } from "./constants";
