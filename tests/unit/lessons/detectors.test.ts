// The detectors the kind-lesson tests rely on must themselves catch what they claim to catch.
import { describe, expect, it } from 'vitest';
import { answersRead, bashParses, designedWaitSeconds, shellcheck, shellcheckAvailable, withoutQuotedText } from './kind-lesson-files.ts';

describe('kind-lesson test detectors', () => {
  it('answersRead finds helper calls, not prose that happens to say "answer"', () => {
    const script = 'got=$(answer netns)\nn=$(answer_all healthy-nodes | sort)\nfail "client gets no answer from http://web"';
    expect(answersRead(script)).toEqual(['netns', 'healthy-nodes']);
  });

  it('designedWaitSeconds adds up retry windows and kubectl --timeout waits', () => {
    expect(designedWaitSeconds('retry() { local end=$(( $(date +%s) + $1 )); }\nretry 30 probe || fail x\nkubectl rollout status d --timeout=60s')).toBe(90);
    expect(designedWaitSeconds('kubectl --request-timeout=5s get pods')).toBe(0);
  });

  it('withoutQuotedText hides commands quoted in messages but keeps real ones', () => {
    expect(withoutQuotedText('fail "try kubectl patch service x"')).not.toContain('patch');
    expect(withoutQuotedText("kubectl patch service x -p '{}'")).toContain('kubectl patch service x');
  });

  it('bashParses rejects a script with a syntax error', () => {
    expect(bashParses('if true; then echo ok; fi').ok).toBe(true);
    expect(bashParses('if true; then echo broken').ok).toBe(false);
  });

  it.runIf(shellcheckAvailable())('shellcheck flags an unquoted expansion', () => {
    expect(shellcheck('x="a b"\n[ $x = y ] && echo same\n').ok).toBe(false);
    expect(shellcheck('x="a b"\n[ "$x" = y ] && echo same\n').ok).toBe(true);
  });
});
