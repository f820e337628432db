// When the language server stops unexpectedly: restart it with a notice, unless it keeps
// crashing (5 times within 3 minutes), then stop and say how to restart it by hand. Kept free of
// the VS Code API so the decisions can be tested without an editor.

export const MAX_RESTARTS = 5;
export const RESTART_WINDOW_MS = 3 * 60_000;

export type RestartDecision =
  | { restart: true; count: number; log: string; notice: string }
  | { restart: false; count: number; message: string };

export class RestartPolicy {
  private restarts: number[] = [];

  /** Called each time the connection to the server closes unexpectedly, at time `now` (ms). */
  closed(now: number): RestartDecision {
    this.restarts = this.restarts.filter((t) => now - t < RESTART_WINDOW_MS);
    this.restarts.push(now);
    const count = this.restarts.length;
    if (count >= MAX_RESTARTS) {
      return {
        restart: false,
        count,
        message: `The Parapet server crashed ${MAX_RESTARTS} times in 3 minutes and will not be restarted. Run "Parapet: Restart Server" after checking the Parapet output.`,
      };
    }
    return {
      restart: true,
      count,
      log: `[client] The Parapet server stopped unexpectedly; restarting it (${count}/${MAX_RESTARTS}).`,
      notice: 'Parapet: the server stopped unexpectedly and was restarted.',
    };
  }

  /** A restart the user asked for starts the count again. */
  reset(): void {
    this.restarts = [];
  }
}
