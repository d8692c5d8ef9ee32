/** Another writer appended to the stream since it was read: re-read, decide again, or report a conflict. */
export class WrongExpectedSequenceError extends Error {
  constructor(
    readonly streamId: string,
    readonly expectedSequence: number,
  ) {
    super(`stream ${streamId} changed since sequence ${expectedSequence} was read (concurrent append)`);
    this.name = 'WrongExpectedSequenceError';
  }
}

/** A stored message is not a commit this library wrote. */
export class CorruptCommitError extends Error {
  constructor(sequence: number, reason: string) {
    super(`message at stream sequence ${sequence} is not a valid commit: ${reason}`);
    this.name = 'CorruptCommitError';
  }
}
