// Building blocks shared by every sandbox runtime's schema: names, sizes, durations, setup steps.
import { z } from 'zod';

export const sandboxName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, { message: 'must be lowercase letters, digits and dashes, starting with a letter (max 40), and match the folder name' });

export const targetName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, { message: 'must be lowercase letters, digits and dashes, starting with a letter (max 32), e.g. node1' });

const UNITS = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 } as const;

/** "256Mi", "1Gi" -> bytes. Binary units only, so there is no doubt about what "M" means. */
export const byteSize = z
  .string()
  .regex(/^\d+(Ki|Mi|Gi)$/, { message: 'must be a size such as 64Mi or 1Gi (units Ki, Mi, Gi)' })
  .transform((v) => Number.parseInt(v, 10) * UNITS[v.replace(/^\d+/, '') as keyof typeof UNITS]);

/** "30s", "500ms", "2m" -> milliseconds. */
export const durationMs = z
  .string()
  .regex(/^\d+(ms|s|m)$/, { message: 'must be a duration such as 500ms, 30s or 2m' })
  .transform((v) => {
    const n = Number.parseInt(v, 10);
    return v.endsWith('ms') ? n : v.endsWith('m') ? n * 60_000 : n * 1000;
  });

export const setupStepSchema = z
  .strictObject({
    target: z.union([targetName, z.literal('all')]).meta({ description: 'Target the step runs on (e.g. node1), or "all" to run it on every target.' }),
    script: z
      .string()
      .min(1, { message: 'must be a non-empty bash script' })
      .meta({ description: 'Bash run as root, script on stdin; a non-zero exit fails the lab.' }),
    timeout: durationMs.prefault('60s').meta({ description: 'Kill the step after this long (default 60s).' }),
  })
  .meta({ description: 'A command run on a target once every target is ready, before the lab is handed out.' });
