import { createTRPCRouter } from "../../trpc";

export const mediaRouter = createTRPCRouter({});
