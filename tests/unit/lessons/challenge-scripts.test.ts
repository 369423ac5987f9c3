// Script-level tests for the ten kind lessons' challenges: the file is valid, every script parses as bash and is
// shellcheck-clean, targets are the kind sandboxes' lesson targets, and the challenge keeps the course's contract
// (3–6 tasks, a found answer graded from a file, a break-fix task with invariants, progressive hints, timeouts
// that cover the waits a script was written to do). None of this needs a cluster.
import { describe, expect, it } from 'vitest';
import {
  KIND_LESSONS,
  KIND_TARGETS,
  answersRead,
  bashParses,
  designedWaitSeconds,
  loadChallenge,
  scriptsOf,
  shellcheck,
  shellcheckAvailable,
  withoutQuotedText,
} from './kind-lesson-files.ts';
import type { Challenge } from '../../../course/challenge/challenge-schema.ts';

const haveShellcheck = shellcheckAvailable();

describe.each(KIND_LESSONS)('%s/challenge.yaml', (lesson) => {
  let challenge: Challenge = { setup: [], tasks: [] };
  let loadError = '';
  try {
    challenge = loadChallenge(lesson);
  } catch (err) {
    loadError = (err as Error).message;
  }
  const scripts = scriptsOf(challenge);

  it('exists and matches the challenge schema', () => {
    expect(loadError).toBe('');
  });

  it('has 3–6 tasks, hidden setup, and hints that escalate', () => {
    expect(challenge.tasks.length).toBeGreaterThanOrEqual(3);
    expect(challenge.tasks.length).toBeLessThanOrEqual(6);
    expect(challenge.setup.length).toBeGreaterThan(0);
    for (const t of challenge.tasks) {
      expect(t.hints.length, `${t.id} needs at least two hints`).toBeGreaterThanOrEqual(2);
      expect(t.solution.text.trim().length, `${t.id} needs a written solution`).toBeGreaterThan(40);
    }
  });

  it("only uses the kind sandboxes' lesson targets", () => {
    for (const s of scripts) expect(KIND_TARGETS, `${s.where} targets "${s.target}"`).toContain(s.target);
  });

  it('has a found-answer task whose check reads the file the description and solution name', () => {
    const found = challenge.tasks.filter((t) => answersRead(t.check).length > 0);
    expect(found.length, 'at least one task grades an answer file').toBeGreaterThan(0);
    for (const t of found) {
      for (const name of answersRead(t.check)) {
        expect(t.description, `${t.id} tells the learner to write ~/answers/${name}`).toContain(`answers/${name}`);
        expect(t.solution.script, `${t.id}'s solution writes answers/${name}`).toContain(`answers/${name}`);
      }
    }
  });

  it('has a break-fix task guarded by invariants', () => {
    const guarded = challenge.tasks.filter((t) => t.invariants.length > 0);
    expect(guarded.length).toBeGreaterThan(0);
  });

  it.each(scripts.map((s) => [s.where, s] as const))('%s parses as bash', (_where, s) => {
    const r = bashParses(s.script);
    expect(r.ok, r.output).toBe(true);
  });

  it.skipIf(!haveShellcheck).each(scripts.map((s) => [s.where, s] as const))('%s is shellcheck-clean', (_where, s) => {
    const r = shellcheck(s.script);
    expect(r.ok, r.output).toBe(true);
  });

  it.each(scripts.filter((s) => s.timeoutMs !== undefined).map((s) => [s.where, s] as const))(
    '%s has a timeout that covers its designed waits',
    (_where, s) => {
      const waits = designedWaitSeconds(s.script);
      // Margin for the last attempt of a retry loop and for kubectl round trips.
      if (waits > 0) expect(s.timeoutMs! / 1000, `waits up to ${waits}s`).toBeGreaterThanOrEqual(waits + 10);
    },
  );

  it('makes checks read-only: no kubectl writes or route changes in checks and invariants', () => {
    const writes =
      /\bkubectl\s+(?:[^|;&\n]*\s)?(apply|create|delete|patch|edit|scale|label|annotate|replace|set|rollout\s+restart)\b|\bip\s+(?:-\d\s+)?(?:route|addr|link)\s+(add|del|replace|set)\b|\biptables\s+-[ADIRF]\b|\bnft\s+(add|delete|flush)\b/;
    for (const s of scripts.filter((x) => x.kind === 'check' || x.kind === 'invariant')) {
      expect(writes.exec(withoutQuotedText(s.script))?.[0], `${s.where} must not change the lab`).toBeUndefined();
    }
  });
});

it.runIf(!haveShellcheck)('reports that shellcheck is missing instead of passing silently', () => {
  console.warn('kind lessons: shellcheck not installed (apt-get install -y shellcheck); lint tests skipped');
  expect(haveShellcheck).toBe(false);
});
