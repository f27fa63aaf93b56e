/** A refusal with the HTTP status the agent's server answers with and a reason a person can read. */
export class HostError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
