// Anonymous learner identity: a signed, httpOnly cookie. Stable API used by labs, terminals and progress.
export { getLearner, readLearnerId, withLearnerCookie, type Learner } from './get-learner.ts';
export { LEARNER_COOKIE, isLearnerId } from './learner-cookie.ts';
export { getSessionSecret, deriveKey } from './session-secret.ts';
