/**
 * Reading JSON that people or browsers wrote (saved progress, hand-ins, exercise.json): the parse step and
 * the one-line reason a schema gives, shared so every reader reports problems the same way.
 */
export function parseJsonText(raw: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch (e) {
    return { ok: false, reason: `not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** "field: message" for the first problem a zod schema found (progress.ts has the valibot twin). */
export function firstIssue(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>, what: string): { where: string; message: string } {
  const issue = issues[0];
  return { where: issue?.path.length ? issue.path.map(String).join('.') : '', message: issue?.message ?? `does not match the ${what} format` };
}
