import { serviceRoute } from "@/lib/server/tokenRoutes";

/** A job's service on a port its spec declares, for its buyer's "service" token (lib/server/tokenRelay.ts).
 * Every method; websockets are not relayed. */
export const { GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS } = serviceRoute;
