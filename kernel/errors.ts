/** @module Errors caused by user input (bad ELF, missing file, bad trace): printed as one line by the CLI. */

export class UserError extends Error {
  /** process exit code the CLI should use */
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = "UserError";
    this.exitCode = exitCode;
  }
}
