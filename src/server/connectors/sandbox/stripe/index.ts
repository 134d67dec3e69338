export {
  STRIPE_SANDBOX_SECRET_KEY,
  STRIPE_SANDBOX_WEBHOOK_SECRET,
  createStripeSandbox,
  type StripeSandbox,
  type StripeSandboxEvent,
  type StripeSandboxOptions,
} from "./sandbox";
export { parseStripeForm } from "./form";
