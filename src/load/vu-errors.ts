/**
 * What a verb throws when the virtual user cannot go on, counted where it
 * happened (not again as the scenario's error): the run stopped or its
 * connection closed (`VuStopped`), a round trip got no answer (`RequestTimeout`,
 * counted `timeout`).
 */
export class VuStopped extends Error {
  constructor(why: string) {
    super(`the virtual user stopped: ${why}`);
    this.name = "VuStopped";
  }
}

export class RequestTimeout extends Error {
  constructor(withinMs: number) {
    super(`no reply within ${withinMs} ms`);
    this.name = "RequestTimeout";
  }
}

/** Whether `error` is already counted where it happened. */
export const countedAlready = (error: unknown): boolean => error instanceof VuStopped || error instanceof RequestTimeout;
