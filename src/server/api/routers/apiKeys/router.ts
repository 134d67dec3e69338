import * as apiKeys from "~/server/services/developer/api-keys";
import { ZPage } from "../../schemas";
import { createTRPCRouter, tenantProcedure } from "../../trpc";
import { ZApiKey, ZApiKeyListInput, ZCreateApiKeyInput, ZCreateApiKeyOutput, ZRevokeApiKeyInput } from "./schemas";

// API keys of the active organization (issue 8). `developers:manage` maps to no API scope, so a key
// can never list, mint or revoke keys: only people signed in (session or access token) can.
export const apiKeysRouter = createTRPCRouter({
  list: tenantProcedure
    .meta({ permission: "developers:manage" })
    .input(ZApiKeyListInput)
    .output(ZPage(ZApiKey))
    .query(({ ctx, input }) => apiKeys.listApiKeys(ctx.tenantCtx, input)),
  create: tenantProcedure
    .meta({ permission: "developers:manage", stepUp: true })
    .input(ZCreateApiKeyInput)
    .output(ZCreateApiKeyOutput)
    .mutation(({ ctx, input }) => apiKeys.createApiKey(ctx.tenantCtx, input)),
  // Allowed while suspended or in maintenance: cutting off a leaked key must always work.
  revoke: tenantProcedure
    .meta({ permission: "developers:manage", revokesAccess: true })
    .input(ZRevokeApiKeyInput)
    .output(ZApiKey)
    .mutation(({ ctx, input }) => apiKeys.revokeApiKey(ctx.tenantCtx, input)),
});
