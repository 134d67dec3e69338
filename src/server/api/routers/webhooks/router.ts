import { createTRPCRouter } from "../../trpc";

// Outbound webhook endpoints and deliveries (issue 8; procedures added by the webhooks work).
export const webhooksRouter = createTRPCRouter({});
