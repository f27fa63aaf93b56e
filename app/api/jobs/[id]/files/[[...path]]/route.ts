import { filesRoute } from "@/lib/server/tokenRoutes";

/** A job's files for its buyer's "files" token (lib/server/tokenRelay.ts): GET the manifest or a file, PUT an
 * input before the job is dispatched. */
export const { GET, PUT } = filesRoute;
