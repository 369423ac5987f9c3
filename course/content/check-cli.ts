// `npm run content:check`: exit 0 with a one-line summary, or exit 1 with every error grouped by file.
// Warnings (tasks without near misses) are printed first and never change the exit code.
import { checkContent, formatCheckResult, formatWarnings } from './check.ts';
import { contentRootsFromEnv } from './content-paths.ts';

const roots = contentRootsFromEnv();
try {
  const result = await checkContent(roots);
  const report = formatCheckResult(result, roots.baseDir);
  const warnings = formatWarnings(result, roots.baseDir);
  if (warnings) process.stdout.write(`content:check warnings:\n\n${warnings}\n\n`);
  if (result.issues.length) {
    process.stderr.write(`content:check found problems in ${roots.contentDir}\n\n${report}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`content:check: ${report}\n`);
  }
} catch (err) {
  process.stderr.write(`content:check could not run: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 2;
}
