import { z } from "zod";

import { minimumRole, ROLE_RANK, ROLES } from "~/server/auth/permissions";
import { SCOPE_OF_PERMISSION } from "~/server/auth/scopes";
import { ALL_WEBHOOK_EVENTS, WEBHOOK_EVENT_SCHEMAS } from "~/server/services/developer/webhooks/events";
import { getRestRoutes, type RestRoute } from "./routes";

/**
 * The OpenAPI 3.1 document of the REST API, generated from the route table (the procedures' input
 * schemas and their `meta.openapi` contracts): it cannot drift from what the dispatcher serves.
 */
type JsonSchema = Record<string, unknown>;

/** zod 4 → JSON Schema 2020-12; Dates (inputs) travel as ISO 8601 strings. */
export function toJsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const json = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: (ctx) => (ctx.zodSchema._zod.def.type === "date" ? { type: "string", format: "date-time" } : "throw"),
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

const RATE_LIMIT_HEADERS = {
  "RateLimit-Limit": { description: "The request budget of the most constraining limit in its window.", schema: { type: "integer" } },
  "RateLimit-Remaining": { description: "Requests left in the current window.", schema: { type: "integer" } },
  "RateLimit-Reset": { description: "Seconds until the window resets.", schema: { type: "integer" } },
  "RateLimit-Policy": { description: 'The most constraining limit, e.g. `300;w=60` (300 requests per 60 s).', schema: { type: "string" } },
  "x-correlation-id": { description: "The request's correlation id (echoed when you send a valid one).", schema: { type: "string" } },
};

const STATUS_TEXT: Record<number, string> = {
  400: "Invalid input (see `errors[0].fieldErrors`), a malformed JSON body or a body that is not a JSON object.",
  401: "No credential, or an invalid, expired or revoked one.",
  402: "The organization's plan does not allow this (upgrade to do it).",
  403: "The credential's role or API key scopes do not allow this, the organization is suspended, or a cookie request came from another origin.",
  404: "Not found (or it belongs to another organization).",
  409: "Conflicts with the current state (e.g. already approved).",
  412: "A precondition of the change is not met.",
  413: "The request body is too large.",
  415: "The body is not JSON: send `Content-Type: application/json`.",
  429: "Rate limited: wait `Retry-After` seconds.",
  500: "Internal error (the message is always \"Internal error\"; quote the correlation id).",
  503: "Writes are paused (maintenance).",
};

const DESCRIPTION = `The Super Seller REST API: the same operations, permissions and validation as the web app.

**Authentication.** Send \`Authorization: Bearer <credential>\`, where the credential is either an API key (\`ssk_…\`, created by an owner or manager in Settings → API keys (Configurações → Chaves de API); it acts for its organization within its scopes and never beyond its creator's role) or a short-lived access token (\`sst_…\`, from \`POST /auth/login\`; it acts as the user, in their active organization). Browsers signed in to the app may also use the session cookie; cookie requests that change something must come from the app's own origin. A bad bearer credential is refused (401), never downgraded to the cookie.

**Scopes.** Each operation names its required scope in \`x-required-scope\` (a \`…:write\` scope implies the \`…:read\` scope of the same domain) and the least role allowed.

**Envelope.** Every response is \`{ data, meta, errors }\`. Success: \`errors\` is \`[]\` and \`meta.correlationId\` identifies the request. Failure: \`data\` is \`null\` and \`errors[]\` has \`code\` (HTTP-like, e.g. \`NOT_FOUND\`), \`message\` (English), and when known a stable \`reason\` (e.g. \`actionAlreadyApproved\`), \`details\` and, for invalid input, \`fieldErrors\` (field → messages). Dates are ISO 8601 strings.

**Pagination.** List operations return a page in \`data\` and \`meta.nextCursor\`; pass it back as \`?cursor=\` to get the next page (\`null\` = last page). \`limit\` sets the page size.

**Rate limits.** Per client IP (all routes), and per credential (API key, else user, else IP) and class: \`read\` (GET), \`write\` (other methods) and \`auth\` (sign-in and sign-up, per IP). Each response carries \`RateLimit-Limit\`, \`RateLimit-Remaining\`, \`RateLimit-Reset\` (seconds) and \`RateLimit-Policy\` for the most constraining limit; a refused call gets 429 with \`Retry-After\` and the reason \`rateLimited\`.`;

function errorResponse(status: number) {
  return {
    description: STATUS_TEXT[status] ?? "Error",
    headers: status === 429 ? { ...RATE_LIMIT_HEADERS, "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer" } } } : RATE_LIMIT_HEADERS,
    content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorEnvelope" } } },
  };
}

/** The error statuses an operation of this kind can answer. */
export function errorStatuses(route: RestRoute): number[] {
  const statuses = new Set<number>([429, 500]);
  const mutation = route.type === "mutation";
  if (mutation || (route.input !== null && Object.keys(route.input.shape).length > 0)) statuses.add(400);
  // A public mutation (sign-in) refuses bad credentials; every other operation needs one.
  if (route.permission || mutation) statuses.add(401);
  if (mutation) [409, 413, 415].forEach((s) => statuses.add(s));
  if (route.permission) {
    statuses.add(403);
    if (route.pathParams.length > 0 || mutation) statuses.add(404);
    if (mutation) [402, 412, 503].forEach((s) => statuses.add(s));
  }
  return [...statuses].sort((a, b) => a - b);
}

function roleSentence(route: RestRoute): { scope: string | null; text: string } {
  if (!route.permission) return { scope: null, text: "Needs no credential." };
  const scope = SCOPE_OF_PERMISSION[route.permission];
  const least = minimumRole(route.permission);
  const roles = ROLES.filter((role) => ROLE_RANK[role] >= ROLE_RANK[least]).join(", ");
  const scopeText = scope ? `API keys need the \`${scope}\` scope` : "Not available to API keys";
  return { scope, text: `${scopeText}; the caller's role must be one of ${roles}.` };
}

function operation(route: RestRoute) {
  const { openapi } = route;
  const inputSchema = route.input ? toJsonSchema(route.input, "input") : null;
  const properties = (inputSchema?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((inputSchema?.required ?? []) as string[]);

  const parameters: JsonSchema[] = route.pathParams.map((name) => ({ name, in: "path", required: true, schema: properties[name] ?? { type: "string" } }));
  let requestBody: JsonSchema | undefined;
  if (openapi.method === "GET") {
    for (const [name, schema] of Object.entries(properties)) {
      if (route.pathParams.includes(name)) continue;
      const isArray = schema.type === "array";
      parameters.push({
        name,
        in: "query",
        required: required.has(name),
        schema,
        ...(isArray ? { style: "form", explode: true, description: "Repeat the key for several values." } : {}),
        ...(typeof schema.description === "string" ? { description: schema.description } : {}),
      });
    }
  } else if (inputSchema) {
    const bodyProperties = Object.fromEntries(Object.entries(properties).filter(([name]) => !route.pathParams.includes(name)));
    if (Object.keys(bodyProperties).length > 0) {
      const bodyRequired = [...required].filter((name) => !route.pathParams.includes(name));
      requestBody = {
        required: bodyRequired.length > 0,
        content: {
          "application/json": {
            schema: { ...inputSchema, properties: bodyProperties, ...(bodyRequired.length ? { required: bodyRequired } : { required: undefined }) },
          },
        },
      };
    }
  }

  const output = toJsonSchema(openapi.output, "output");
  const data = openapi.paginated ? { type: "array", items: output } : output;
  const success = {
    description: openapi.paginated ? "A page: `data` holds the items, `meta.nextCursor` the next page's cursor (null on the last page)." : "Success.",
    headers: RATE_LIMIT_HEADERS,
    content: {
      "application/json": {
        schema: {
          type: "object",
          properties: {
            data,
            meta: openapi.paginated ? { $ref: "#/components/schemas/PageMeta" } : { $ref: "#/components/schemas/Meta" },
            errors: { type: "array", maxItems: 0 },
          },
          required: ["data", "meta", "errors"],
        },
      },
    },
  };
  const access = roleSentence(route);
  const responses: Record<string, unknown> = { [String(openapi.successStatus ?? 200)]: success };
  for (const status of errorStatuses(route)) responses[String(status)] = errorResponse(status);

  return {
    operationId: route.procedure,
    summary: openapi.summary,
    description: [openapi.description, access.text].filter(Boolean).join("\n\n"),
    tags: openapi.tags,
    ...(route.permission ? { "x-required-scope": access.scope, security: [{ bearerAuth: [] }, { sessionCookie: [] }] } : { security: [] }),
    "x-rate-limit-class": openapi.rateLimitClass ?? (openapi.method === "GET" ? "read" : "write"),
    ...(parameters.length ? { parameters } : {}),
    ...(requestBody ? { requestBody: JSON.parse(JSON.stringify(requestBody)) as JsonSchema } : {}),
    responses,
  };
}

const WEBHOOK_HEADERS: Array<[string, string]> = [
  ["x-superseller-event", "The event type, e.g. `action.applied`."],
  ["x-superseller-event-id", "The event's id: the same across retries and replays (deduplicate on it)."],
  ["x-superseller-delivery", "This delivery's id (a replay gets a new one)."],
  ["x-superseller-timestamp", "Unix seconds when this attempt was signed; refuse attempts older than 5 minutes."],
  ["x-superseller-signature", "`v1=` + hex HMAC-SHA256 of `<timestamp>.<raw body>` under the endpoint's signing secret (`whsec_…`)."],
];

const WEBHOOK_DESCRIPTION = `Super Seller POSTs this to each endpoint subscribed to the event. Verify before trusting it:

1. Read the raw body as text (before any JSON parsing) and the \`x-superseller-timestamp\` and \`x-superseller-signature\` headers.
2. Refuse a timestamp more than 5 minutes away from your clock.
3. Compute hex HMAC-SHA256 of \`<timestamp>.<raw body>\` with your endpoint's signing secret (\`whsec_…\`, shown once) and compare it with the part after \`v1=\` in constant time.
4. Deduplicate on \`x-superseller-event-id\` (retries and replays resend the same event).

Answer 2xx quickly; anything else (or a timeout, or a redirect) is retried with backoff, and an endpoint failing for days is disabled.`;

/**
 * The outbound events (OpenAPI 3.1 `webhooks`): what Super Seller POSTs to the endpoints an
 * organization registers in Settings → Webhooks, from the same zod schemas the sender validates.
 */
function webhookOperations() {
  return Object.fromEntries(
    ALL_WEBHOOK_EVENTS.map((event) => [
      event,
      {
        post: {
          operationId: `webhook.${event}`,
          summary: event,
          description: WEBHOOK_DESCRIPTION,
          tags: ["Webhooks"],
          // Sent by us, not called by you: no credential (the signature authenticates it).
          security: [],
          parameters: WEBHOOK_HEADERS.map(([name, description]) => ({ name, in: "header", required: true, description, schema: { type: "string" } })),
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    id: { type: "string", description: "The event id (as `x-superseller-event-id`)." },
                    type: { const: event },
                    createdAt: { type: "string", format: "date-time" },
                    organizationId: { type: "string" },
                    data: toJsonSchema(WEBHOOK_EVENT_SCHEMAS[event], "output"),
                  },
                  required: ["id", "type", "createdAt", "organizationId", "data"],
                },
              },
            },
          },
          responses: { "2XX": { description: "Received. Answer within WEBHOOK_TIMEOUT_MS (10 s by default); do the work afterwards." } },
        },
      },
    ]),
  );
}

export function buildOpenApiDocument(routes: RestRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    (paths[route.openapi.path] ??= {})[route.openapi.method.toLowerCase()] = operation(route);
  }
  const tags = [...new Set(routes.flatMap((route) => route.openapi.tags))].sort().map((name) => ({ name }));
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
    info: { title: "Super Seller API", version: "1.0.0", description: DESCRIPTION },
    servers: [{ url: "/api/v1" }],
    tags,
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    paths,
    webhooks: webhookOperations(),
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "An API key (`ssk_…`) or an access token (`sst_…`) from `POST /auth/login`." },
        sessionCookie: { type: "apiKey", in: "cookie", name: "authjs.session-token", description: "The web app's session (browsers only)." },
      },
      schemas: {
        Meta: {
          type: "object",
          properties: {
            correlationId: { type: "string", description: "Identifies the request in our logs." },
            nextCursor: { type: ["string", "null"], description: "Pass as `?cursor=` for the next page; null on the last page." },
          },
          required: ["correlationId"],
        },
        PageMeta: {
          allOf: [{ $ref: "#/components/schemas/Meta" }, { type: "object", required: ["nextCursor"] }],
        },
        Error: {
          type: "object",
          properties: {
            code: { type: "string", description: "HTTP-like code, e.g. NOT_FOUND, TOO_MANY_REQUESTS." },
            message: { type: "string", description: "An English sentence; never contains secrets." },
            reason: { type: "string", description: "A stable, machine-readable reason, e.g. actionAlreadyApproved." },
            details: { type: "object", additionalProperties: true },
            fieldErrors: { type: "object", additionalProperties: { type: "array", items: { type: "string" } }, description: "Invalid input: field → messages." },
          },
          required: ["code", "message"],
        },
        ErrorEnvelope: {
          type: "object",
          properties: {
            data: { type: "null" },
            meta: { $ref: "#/components/schemas/Meta" },
            errors: { type: "array", minItems: 1, items: { $ref: "#/components/schemas/Error" } },
          },
          required: ["data", "meta", "errors"],
        },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;

let cached: OpenApiDocument | null = null;

/** The OpenAPI 3.1.0 document of /api/v1 (memoized). */
export function getOpenApiDocument(): OpenApiDocument {
  cached ??= buildOpenApiDocument(getRestRoutes());
  return cached;
}
