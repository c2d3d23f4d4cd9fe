/**
 * Where a ladder diagram puts a segment's label: parallel to its arrow, centred on it and `gap` units
 * above it, never upside down, so the arrow never runs through the text (the static lesson figures and
 * the live lab ladder both use it).
 */
export function labelAlong(x1: number, y1: number, x2: number, y2: number, gap = 6): { x: number; y: number; angle: number } {
  let angle = (Math.atan2(y2 - y1, x2 - x1) * 180) / Math.PI;
  if (angle > 90) angle -= 180;
  else if (angle < -90) angle += 180;
  const rad = (angle * Math.PI) / 180;
  const round = (v: number) => Math.round(v * 100) / 100;
  // The text's "up" is the arrow's normal turned towards the top of the picture.
  return { x: round((x1 + x2) / 2 + Math.sin(rad) * gap), y: round((y1 + y2) / 2 - Math.cos(rad) * gap), angle: round(angle) };
}
