// The dot on a terminal tab. No xterm code here: tabs render before the terminal bundle loads.
import type { TerminalStatus } from './terminal-connection.ts';
import styles from './terminal-status-dot.module.css';

export const STATUS_LABEL: Record<TerminalStatus, string> = {
  connecting: 'connecting',
  live: 'live',
  reconnecting: 'reconnecting',
  exited: 'exited',
  closed: 'closed',
};

export function TerminalStatusDot({ status }: { status: TerminalStatus }) {
  return (
    <span className={styles.dot} data-status={status} data-testid="terminal-status" role="img" aria-label={STATUS_LABEL[status]} title={STATUS_LABEL[status]} />
  );
}
