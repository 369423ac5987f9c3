// The repository's sandboxes/ directory: where the engine reads templates unless it is given another one.
import { fileURLToPath } from 'node:url';

export const DEFAULT_SANDBOXES_DIR = fileURLToPath(new URL('../../sandboxes/', import.meta.url));
