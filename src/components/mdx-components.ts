import Callout from './Callout.astro';
import Ladder from './Ladder.astro';
import Quiz from './Quiz.astro';

/** Components every lesson can use without importing them. */
export const mdxComponents = { Callout, Ladder, Quiz };
