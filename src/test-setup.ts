/** Before every test file: the modules the lab's commands load on first use are loaded (tests run commands synchronously). */
import { preloadAll } from './shell/lazy.ts';

await preloadAll();
