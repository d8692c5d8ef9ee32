/** A minimal SSE reader for tests: collects parsed events of one response as they arrive. */
/** Whatever JSON the service sent; tests assert on its shape. */
type Json = ReturnType<typeof JSON.parse>;

export interface ReceivedEvent {
  id?: string;
  event: string;
  data: Json;
}

export class SseClient {
  readonly events: ReceivedEvent[] = [];
  readonly status: number;
  private readonly controller: AbortController;
  private readonly done: Promise<void>;

  private constructor(response: Response, controller: AbortController) {
    this.status = response.status;
    this.controller = controller;
    this.done = this.read(response);
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const controller = new AbortController();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
    return new SseClient(response, controller);
  }

  private async read(response: Response): Promise<void> {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: ReceivedEvent = { event: 'message', data: undefined };
          let data = '';
          for (const line of frame.split('\n')) {
            if (line.startsWith('id: ')) event.id = line.slice(4);
            else if (line.startsWith('event: ')) event.event = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (data) {
            event.data = JSON.parse(data);
            this.events.push(event);
          }
        }
      }
    } catch {
      // aborted by close()
    }
  }

  async close(): Promise<void> {
    this.controller.abort();
    await this.done;
  }
}
