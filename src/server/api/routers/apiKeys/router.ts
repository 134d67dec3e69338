import { createTRPCRouter } from "../../trpc";

// API keys of the active organization (issue 8; procedures added by the keys work).
export const apiKeysRouter = createTRPCRouter({});
