import { serve } from "inngest/next";

import { inngest } from "~/server/jobs/client";
import { functions } from "~/server/jobs/functions";
import { jobsMode } from "~/server/jobs/mode";

/**
 * Inngest's endpoint: it syncs the function list (PUT), introspects (GET) and calls steps (POST),
 * authenticated by INNGEST_SIGNING_KEY in cloud mode. In local mode there is no Inngest server and
 * the client runs unsigned, so the endpoint stays closed: the local runner calls the same handler
 * in-process instead.
 */
const localMode = () =>
  Response.json(
    { error: "No Inngest server is configured: background functions run in-process (local mode)." },
    { status: 404 },
  );

const handlers = jobsMode === "inngest" ? serve({ client: inngest, functions }) : { GET: localMode, POST: localMode, PUT: localMode };

export const { GET, POST, PUT } = handlers;
