export {
  MERCADOLIVRE_SANDBOX_CLIENT_ID,
  MERCADOLIVRE_SANDBOX_CLIENT_SECRET,
  createMercadoLivreSandbox,
  type MercadoLivreSandbox,
  type MercadoLivreSandboxOptions,
  type SandboxFaults,
} from "./sandbox";
export { SANDBOX_SELLERS, type SandboxSeller } from "./items";
