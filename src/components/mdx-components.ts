import Callout from './Callout.astro';
import Exercise from './Exercise.astro';
import Ladder from './Ladder.astro';
import PeerLab from './PeerLab.astro';
import Quiz from './Quiz.astro';

/** Components every lesson can use without importing them. */
export const mdxComponents = { Callout, Exercise, Ladder, PeerLab, Quiz };
