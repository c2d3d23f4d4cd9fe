/** A table region's accessible name from its column headings: "Table: segment, meaning, active side". */
export function tableLabel(html: string): string {
  const heads = [...html.matchAll(/<th\b[^>]*>([\s\S]*?)<\/th>/g)]
    .map((m) => m[1]!.replace(/<[^>]+>/g, '').replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16))).replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').trim())
    .filter(Boolean);
  return heads.length > 0 ? `Table: ${heads.join(', ')}` : 'Table';
}
