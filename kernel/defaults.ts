/** @module Defaults shared by the CLI, the tests and the fixture builder. */

export const DEFAULT_SEED = 1;
/** 2000-01-01T00:00:00Z */
export const DEFAULT_EPOCH = 946684800;
/** The guest environment when no --env is given: fixed, never the host's. */
export const DEFAULT_ENV: readonly string[] = [
  "PATH=/usr/local/bin:/usr/bin:/bin",
  "HOME=/root",
  "LANG=C",
  "TERM=dumb",
  "USER=root",
];
