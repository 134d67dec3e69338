import { createTRPCRouter } from "~/server/api/trpc";

/** LGPD rights: data export, account and organization erasure, consent history (services/privacy). */
export const privacyRouter = createTRPCRouter({});
