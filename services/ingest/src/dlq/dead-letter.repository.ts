import type { DeadLetter } from '@vigil/contracts';
import type { WalPublisher } from '../wal/wal.repository';

const MAX_INPUT_CHARS = 4096;

export interface DeadLetterSink {
  /** Stores rejects on the DLQ subject; `dedupKey` makes a redelivered message's rejects land once. */
  publish(letters: DeadLetter[], dedupKey?: string): Promise<void>;
}

/** Rejected input goes to `metrics.dlq` (METRICS_DLQ stream), one message per reject, input truncated. */
export class DeadLetterRepository implements DeadLetterSink {
  constructor(
    private readonly publisher: WalPublisher,
    private readonly subject: string,
  ) {}

  async publish(letters: DeadLetter[], dedupKey?: string): Promise<void> {
    await Promise.all(
      letters.map((letter, index) =>
        this.publisher.publish({
          subject: this.subject,
          data: Buffer.from(JSON.stringify(truncate(letter))),
          msgId: dedupKey ? `${dedupKey}-${index}` : undefined,
        }),
      ),
    );
  }
}

function truncate(letter: DeadLetter): DeadLetter {
  if (letter.input === undefined || letter.input.length <= MAX_INPUT_CHARS) return letter;
  return { ...letter, input: `${letter.input.slice(0, MAX_INPUT_CHARS)}…` };
}
