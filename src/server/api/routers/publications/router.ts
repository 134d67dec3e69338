import { createTRPCRouter } from "../../trpc";

export const publicationsRouter = createTRPCRouter({});
