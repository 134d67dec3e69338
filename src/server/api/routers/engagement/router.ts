import { createTRPCRouter } from "../../trpc";

export const engagementRouter = createTRPCRouter({});
