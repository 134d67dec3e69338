import { createTRPCRouter } from "../../trpc";

export const notificationsRouter = createTRPCRouter({});
