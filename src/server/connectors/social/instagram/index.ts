export {
  INSTAGRAM_GRAPH_VERSION,
  INSTAGRAM_SCOPES,
  SLOW_DOWN_CALL_COUNT,
  createInstagramConnector,
  type InstagramConfig,
  type InstagramConnector,
  type InstagramUsage,
} from "./client";
export { createInstagramConnectorFromEnv } from "./from-env";
