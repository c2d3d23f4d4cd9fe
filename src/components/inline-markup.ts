/** Escapes text for HTML and turns `code` spans into <code>: enough markup for quiz prompts and choices. */
export function inlineMarkup(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return escaped.replace(/`([^`]+)`/g, '<code>$1</code>');
}
