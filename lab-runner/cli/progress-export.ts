// npm run progress:export -- <learnerId> [--out=<file.json>]   one learner's progress as JSON (stdout by default)
// npm run progress:export -- --list                             learner ids with their last activity
// npm run progress:export -- --classes                          classes (id, name, trainer, learners)
// npm run progress:export -- --class=<classId> [--format=csv|json] [--out=<file>]   a class: per learner per task
// Reads DATA_DIR's database directly; safe while the server runs (WAL readers never block the writer).
import { writeFile } from 'node:fs/promises';
import { loadConfig } from '../../lib/config.ts';
import { setLogLevel } from '../../lib/log.ts';
import { openDatabase } from '../store/database.ts';
import { SqliteProgressStore } from '../store/progress-store-sqlite.ts';
import { exportClassForShell, listClassesForShell } from '../classroom/shell-export.ts';

const USAGE =
  'Usage: npm run progress:export -- <learnerId> [--out=<file.json>]\n       npm run progress:export -- --list\n' +
  '       npm run progress:export -- --classes\n       npm run progress:export -- --class=<classId> [--format=csv|json] [--out=<file>]';

async function main(args: string[]): Promise<number> {
  setLogLevel('warn');
  const config = loadConfig();
  const db = openDatabase(config.DATA_DIR);
  try {
    if (args.includes('--list')) {
      const rows = db.prepare('SELECT id, last_seen_at FROM learners ORDER BY last_seen_at DESC').all() as { id: string; last_seen_at: number }[];
      for (const r of rows) process.stdout.write(`${r.id}\t${new Date(r.last_seen_at).toISOString()}\n`);
      if (rows.length === 0) process.stderr.write(`No learners yet in ${config.DATA_DIR}.\n`);
      return 0;
    }
    if (args.includes('--classes')) {
      process.stdout.write(listClassesForShell(db));
      return 0;
    }
    const classId = args.find((a) => a.startsWith('--class='))?.slice('--class='.length);
    if (classId !== undefined) {
      const format = args.find((a) => a.startsWith('--format='))?.slice('--format='.length) ?? 'csv';
      if (format !== 'csv' && format !== 'json') {
        process.stderr.write(`--format must be csv or json\n${USAGE}\n`);
        return 2;
      }
      const text = await exportClassForShell(db, classId, format, config.CLASS_STUCK_AFTER);
      const out = args.find((a) => a.startsWith('--out='))?.slice('--out='.length);
      if (out) {
        await writeFile(out, text);
        process.stderr.write(`wrote ${out}\n`);
      } else process.stdout.write(text);
      return 0;
    }
    const learnerId = args.find((a) => !a.startsWith('--'));
    if (!learnerId) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    const data = await new SqliteProgressStore(db).exportLearner(learnerId);
    if (!data) {
      process.stderr.write(`No learner "${learnerId}" in ${config.DATA_DIR}. List them with: npm run progress:export -- --list\n`);
      return 1;
    }
    const text = JSON.stringify(data, null, 2) + '\n';
    const out = args.find((a) => a.startsWith('--out='))?.slice('--out='.length);
    if (out) {
      await writeFile(out, text);
      process.stderr.write(`wrote ${out}\n`);
    } else process.stdout.write(text);
    return 0;
  } finally {
    db.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
