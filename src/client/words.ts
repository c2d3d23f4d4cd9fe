/** Small phrases the pages build from numbers, with the right plural. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "0 of 1 checkpoint done", "2 of 3 checkpoints done". */
export function checkpointsDone(done: number, total: number): string {
  return `${done} of ${total} ${total === 1 ? 'checkpoint' : 'checkpoints'} done`;
}
