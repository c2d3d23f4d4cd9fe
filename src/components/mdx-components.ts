import Callout from './Callout.astro';
import Exercise from './Exercise.astro';
import Interview from './Interview.astro';
import Ladder from './Ladder.astro';
import PeerLab from './PeerLab.astro';
import Quiz from './Quiz.astro';
import ScrollTable from './ScrollTable.astro';

/** Components every lesson can use without importing them. */
export const mdxComponents = { Callout, Exercise, Interview, Ladder, PeerLab, Quiz, table: ScrollTable };
