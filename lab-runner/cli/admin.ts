// npm run admin -- create-admin --email=<email> --name=<name>      first admin (AUTH=accounts asks for a password on
//                                                                  stdin; AUTH=oidc: the account links at first SSO)
// npm run admin -- grant --email=<email> --role=trainer|admin|learner
// npm run admin -- list                                            accounts and roles
// npm run admin -- audit [--limit=50]                              newest trainer/admin actions
// The shell is trusted (it can read DATA_DIR anyway); every change is audited with actor "shell". Users are
// better-auth's (lab-runner/classroom/account-auth.ts), so it needs AUTH=accounts or oidc like the site.
import { loadConfig } from '../../lib/config.ts';
import { setLogLevel } from '../../lib/log.ts';
import { openDatabase } from '../store/database.ts';
import { AccountStore } from '../classroom/account-store.ts';
import { Identity } from '../classroom/identity.ts';
import { AuditLog } from '../classroom/audit-log.ts';
import { ROLES, type Role } from '../classroom/roles.ts';
import { z } from 'zod';

const USAGE = `Usage:
  npm run admin -- create-admin --email=<email> --name=<name>   (password from stdin with AUTH=accounts: echo "$PW" | npm run admin -- create-admin ...)
  npm run admin -- grant --email=<email> --role=${ROLES.join('|')}
  npm run admin -- list
  npm run admin -- audit [--limit=50]`;

function flag(args: string[], name: string): string | undefined {
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new Error('Pipe the password on stdin (it must not appear in the shell history): echo "$PW" | npm run admin -- create-admin ...');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function main(args: string[]): Promise<number> {
  setLogLevel('warn');
  const config = loadConfig();
  const db = openDatabase(config.DATA_DIR);
  const accounts = new AccountStore(db);
  const identity = new Identity(accounts, config);
  const audit = new AuditLog(db);
  try {
    if (config.AUTH === 'anonymous') throw new Error('This site runs with AUTH=anonymous: accounts need AUTH=accounts or AUTH=oidc (see docs/classroom.md).');
    await identity.start(db, { sso: false }); // users and passwords only: the provider need not be reachable from here
    const [command] = args;
    if (command === 'create-admin') {
      const email = z.email().safeParse(flag(args, 'email'));
      const name = flag(args, 'name')?.trim();
      if (!email.success || !name) throw new Error(`--email=<an email address> and --name=<a name> are required.\n${USAGE}`);
      let password: string | undefined;
      if (config.AUTH === 'accounts') {
        password = await readStdin();
        if (password.length < 10) throw new Error('The password must be at least 10 characters.');
      }
      const existing = accounts.byEmail(email.data);
      const created = existing ?? (await identity.createFromShell({ email: email.data, name, ...(password !== undefined ? { password } : {}) }));
      const account = accounts.setRole(created.id, 'admin');
      if (existing && existing.role !== 'admin') await identity.signOutEverywhere(existing.id);
      audit.record({
        actorId: 'shell',
        action: 'role-change',
        target: account.id,
        detail: { email: account.email, from: existing?.role ?? null, to: 'admin' },
      });
      process.stdout.write(
        `${account.email} is an admin${config.AUTH === 'oidc' && !existing ? ' (the first single sign-on with this email joins this account when the provider vouches for the address (email_verified): see docs/classroom.md)' : ''}.\n`,
      );
      return 0;
    }
    if (command === 'grant') {
      const email = flag(args, 'email');
      const role = z.enum(ROLES).safeParse(flag(args, 'role'));
      const account = email ? accounts.byEmail(email) : undefined;
      if (!account || !role.success) throw new Error(`Need --email=<an existing account> and --role=${ROLES.join('|')}.\n${USAGE}`);
      const updated = accounts.setRole(account.id, role.data as Role);
      if (account.role !== updated.role) await identity.signOutEverywhere(account.id);
      audit.record({ actorId: 'shell', action: 'role-change', target: account.id, detail: { email: account.email, from: account.role, to: role.data } });
      process.stdout.write(`${updated.email}: ${account.role} -> ${updated.role}\n`);
      return 0;
    }
    if (command === 'list') {
      for (const a of accounts.list()) process.stdout.write(`${a.role}\t${a.email}\t${a.name}\t${a.kind}\n`);
      return 0;
    }
    if (command === 'audit') {
      const limit = Number(flag(args, 'limit') ?? 50);
      for (const e of audit.recent(Number.isInteger(limit) && limit > 0 ? limit : 50))
        process.stdout.write(`${new Date(e.at).toISOString()}\t${e.actorId}\t${e.action}\t${e.target}\t${JSON.stringify(e.detail)}\n`);
      return 0;
    }
    process.stderr.write(`${USAGE}\n`);
    return 2;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    db.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
