// Errors particular to data functions, in the one hierarchy (they extend AnyscaleError). Each names
// the function, and the argument or the object, so the user can fix their program without a stack trace.
import { AnyscaleError } from "../core/errors";

/** Bad input, reported before any request is made. */
export class InvalidArgumentError extends AnyscaleError {
  constructor(
    /** The data function, e.g. "anyscale.listServices". */
    readonly functionName: string,
    /** Dotted path of the offending argument, e.g. "tags.team" or "states[1]". */
    readonly argument: string,
    readonly problem: string,
  ) {
    super(`${functionName}: invalid argument '${argument}': ${problem}`);
  }
}

/** The object a get function was asked for does not exist (or is archived and archived ones were not asked for). */
export class ObjectNotFoundError extends AnyscaleError {
  constructor(
    readonly functionName: string,
    readonly description: string,
  ) {
    super(`${functionName}: ${description} was not found`);
  }
}

/** A name matches more than one object; the message says which argument narrows it. */
export class AmbiguousNameError extends AnyscaleError {
  constructor(
    readonly functionName: string,
    message: string,
  ) {
    super(`${functionName}: ${message}`);
  }
}
