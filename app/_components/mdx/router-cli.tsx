// <RouterCli rows={[{router, linux, note?}]} title?> — "you know this from the router CLI" translation table.
import type { MdxProps } from '../../../course/content/mdx-component-props.ts';
import styles from './router-cli.module.css';

export function RouterCli({ rows, title }: MdxProps<'RouterCli'>) {
  const hasNotes = rows.some((r) => r.note);
  return (
    <div className={styles.wrap}>
      <table className={styles.table}>
        <caption className={styles.caption}>
          <span className={styles.kicker}>From the router CLI</span>
          {title && title !== 'From the router CLI' ? <span className={styles.title}>{title}</span> : null}
        </caption>
        <thead>
          <tr>
            <th scope="col">Router</th>
            <th scope="col">Linux</th>
            {hasNotes ? <th scope="col">Note</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.router}|${row.linux}`}>
              <td>
                <code className={styles.router}>{row.router}</code>
              </td>
              <td>
                <code className={styles.linux}>{row.linux}</code>
              </td>
              {hasNotes ? <td className={styles.note}>{row.note}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
