import type { Rule } from "../access.test";

/**
 * Access rows of the product-telemetry procedures. `setEnabled` keeps the setting on (the default),
 * so no other test file sees an organization opted out.
 */
export const productTelemetryAccess: Record<string, Rule> = {
  "productTelemetry.settings": { access: "tenant", permission: "org:read", minRole: "VIEWER", input: () => undefined },
  "productTelemetry.setEnabled": { access: "tenant", permission: "org:update", minRole: "MANAGER", input: () => ({ enabled: true }) },
  "productTelemetry.dashboard": { access: "admin", input: () => undefined },
};
