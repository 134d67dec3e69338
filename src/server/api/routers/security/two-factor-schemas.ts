import { z } from "zod";

export const ZConfirmTwoFactor = z.object({ code: z.string().trim().regex(/^\d{6}$/) });
export const ZStepUp = z
  .object({ code: z.string().trim().min(6).max(32).optional(), password: z.string().min(1).max(200).optional() })
  .refine((v) => v.code !== undefined || v.password !== undefined, { message: "code or password" });
export const ZTwoFactorPolicy = z.object({ requireOwnerTwoFactor: z.boolean() });
