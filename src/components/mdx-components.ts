import Callout from './Callout.astro';
import Quiz from './Quiz.astro';

/** Components every lesson can use without importing them. */
export const mdxComponents = { Callout, Quiz };
