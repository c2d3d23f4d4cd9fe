/** The parts of the course, in order. A lesson's frontmatter names one of these ids. */
export const PARTS = [
  { id: 'basics', title: 'Opening and closing' },
  { id: 'who-closes', title: 'Who closes, and what is left behind' },
  { id: 'half-close', title: 'Half-close and the FIN_WAIT_2 timer' },
  { id: 'fewer-segments', title: 'Closing in three and two segments' },
  { id: 'beyond', title: 'Beyond the article' },
  { id: 'production', title: 'Closing in production' },
  { id: 'review', title: 'Review' },
] as const;

export type PartId = (typeof PARTS)[number]['id'];
export const PART_IDS = PARTS.map((p) => p.id) as [PartId, ...PartId[]];
