import { AppError } from "~/server/lib/errors";
import type { TenantCtx } from "../context";

export async function startCheckout(_ctx: TenantCtx, _input: { planCode: string; interval: "MONTH" | "YEAR" }): Promise<{ kind: "redirect"; url: string } | { kind: "applied"; planCode: string }> {
  throw new AppError("PRECONDITION_FAILED", "notImplemented", "Checkout is being built");
}
