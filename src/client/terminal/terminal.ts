/**
 * The small interface every terminal user (the lab's shells, the runners) goes through; nothing else in
 * the site touches xterm directly.
 */
export interface TerminalHandle {
  write(text: string): void;
  /** Keystrokes and pastes from the user. Returns an unsubscribe function. */
  onInput(listener: (data: string) => void): () => void;
  /** Types `data` as if the user had (the on-screen keys of touch screens). */
  input(data: string): void;
  /** Fits the terminal to its container (call after layout changes). Returns the new size. */
  resize(): { cols: number; rows: number };
  /** Clears screen and scrollback. */
  reset(): void;
  focus(): void;
  dispose(): void;
  readonly cols: number;
  readonly rows: number;
}
